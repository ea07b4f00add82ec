import type { AlgorithmFactory } from './algorithm.js';
import { limitAlgorithm } from './limit.js';
import { marketAlgorithm } from './market.js';

/** Every algorithm by the name used in `--algo` and target files. Each lives in its own file. */
export const algorithms: Record<string, AlgorithmFactory> = {
  market: marketAlgorithm,
  limit: limitAlgorithm,
};

export function algorithmNames(): string[] {
  return Object.keys(algorithms);
}
