import * as Flags from '@oclif/core/flags';

/**
 * The flags that set a run's default execution, shared by `rebalance` and `check` so that a
 * scheduled job can be checked with exactly the flags it will trade with
 * (see `executionFromFlags`).
 */
export const executionFlags = {
  algo: Flags.string({ description: 'execution algorithm for legs whose line names none: market, limit, twap, vwap, pov, is, iceberg', default: 'market' }),
  duration: Flags.string({ description: 'horizon of each leg, e.g. 30m, 1h (market/limit default 15m)' }),
  slices: Flags.integer({ description: 'number of slices (twap, vwap, is)', min: 1 }),
  param: Flags.string({ description: 'algorithm parameter key=value (repeatable), e.g. --param rate=0.1', multiple: true }),
};
