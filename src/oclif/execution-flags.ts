import * as Flags from '@oclif/core/flags';
import { ALGORITHM_NAMES } from '../engine/algos/names.js';

/**
 * The flags that choose how legs are executed, shared by every command that plans a run. `--algo`
 * is checked against the algorithm names when the command line is parsed; `--param` takes one
 * `key=value` per occurrence, so a file argument after it is never taken for a second value.
 */
export const executionFlags = {
  algo: Flags.string({ description: 'for legs naming none: market, limit, twap, vwap, pov, is, iceberg, auto', options: [...ALGORITHM_NAMES, 'auto'], default: 'market', helpValue: 'NAME' }),
  duration: Flags.string({ description: 'horizon of each leg, e.g. 30m or 1h', helpValue: 'D' }),
  slices: Flags.integer({ description: 'number of slices (twap, vwap, is)', min: 1, helpValue: 'N' }),
  param: Flags.string({ description: 'an algorithm parameter, e.g. child_type=market', multiple: true, multipleNonGreedy: true, helpValue: 'K=V' }),
};
