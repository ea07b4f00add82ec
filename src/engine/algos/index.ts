import type { AlgorithmFactory } from './algorithm.js';
import { icebergAlgorithm, icebergParamSpecs, parseIcebergParams } from './iceberg.js';
import { implementationShortfallAlgorithm, isParamSpecs, parseIsParams } from './implementation-shortfall.js';
import { limitAlgorithm, limitParamSpecs, parseLimitParams } from './limit.js';
import { marketAlgorithm, marketParamSpecs, parseMarketParams } from './market.js';
import type { RawParams } from './params.js';
import { parsePovParams, povAlgorithm, povParamSpecs } from './pov.js';
import { parseTwapParams, twapAlgorithm, twapParamSpecs } from './twap.js';
import { parseVwapParams, vwapAlgorithm, vwapParamSpecs } from './vwap.js';
import { ALGORITHM_NAMES, type AlgorithmName } from './names.js';

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

/**
 * What each algorithm takes: the parameter names a target line may give it, and the checks that
 * need no instrument (the ones its factory starts with, so flags are checked by the same rules
 * before a broker is opened).
 */
export interface AlgorithmParameters {
  names: readonly string[];
  parse(raw: RawParams): unknown;
}

export const algorithmParameters: Record<string, AlgorithmParameters> = {
  market: { names: Object.keys(marketParamSpecs), parse: parseMarketParams },
  limit: { names: Object.keys(limitParamSpecs), parse: parseLimitParams },
  twap: { names: Object.keys(twapParamSpecs), parse: parseTwapParams },
  vwap: { names: Object.keys(vwapParamSpecs), parse: parseVwapParams },
  // `slices` is accepted for `periods`, as `--slices` is what the other algorithms take.
  is: { names: [...Object.keys(isParamSpecs), 'slices'], parse: parseIsParams },
  pov: { names: Object.keys(povParamSpecs), parse: parsePovParams },
  iceberg: { names: Object.keys(icebergParamSpecs), parse: parseIcebergParams },
};
