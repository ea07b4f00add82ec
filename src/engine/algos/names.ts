/**
 * The algorithm names `--algo` and target files accept, without loading the algorithms: flag
 * definitions and completion need the list, and importing every algorithm for it would slow the
 * start of every command. `index.ts` is typed against this list, so the two cannot drift apart.
 */
export const ALGORITHM_NAMES = ['market', 'limit', 'twap', 'vwap', 'pov', 'is', 'iceberg'] as const;

export type AlgorithmName = (typeof ALGORITHM_NAMES)[number];
