import type { AlgorithmFactory } from './algorithm.js';
import { icebergAlgorithm } from './iceberg.js';
import { implementationShortfallAlgorithm } from './implementation-shortfall.js';
import { limitAlgorithm } from './limit.js';
import { marketAlgorithm } from './market.js';
import { ALGORITHM_NAMES, type AlgorithmName } from './names.js';
import { povAlgorithm } from './pov.js';
import { twapAlgorithm } from './twap.js';
import { vwapAlgorithm } from './vwap.js';

/** Every algorithm by the name used in `--algo` and target files. Each lives in its own file. */
export const algorithms: Record<string, AlgorithmFactory> = {
  market: marketAlgorithm,
  limit: limitAlgorithm,
  twap: twapAlgorithm,
  vwap: vwapAlgorithm,
  is: implementationShortfallAlgorithm,
  pov: povAlgorithm,
  iceberg: icebergAlgorithm,
} satisfies Record<AlgorithmName, AlgorithmFactory>;

export function algorithmNames(): string[] {
  return [...ALGORITHM_NAMES];
}
