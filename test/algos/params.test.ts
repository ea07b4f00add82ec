import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';
import { AlgoParamError } from '../../src/engine/algos/algo-param-error.js';
import { icebergParamSpecs } from '../../src/engine/algos/iceberg.js';
import { isParamSpecs } from '../../src/engine/algos/implementation-shortfall.js';
import { algorithms } from '../../src/engine/algos/index.js';
import { PARAMETER_VOCABULARY } from '../../src/engine/algos/param-vocabulary.js';
import { povParamSpecs } from '../../src/engine/algos/pov.js';
import { twapParamSpecs } from '../../src/engine/algos/twap.js';
import { vwapParamSpecs } from '../../src/engine/algos/vwap.js';
import type { ExecutionSpec } from '../../src/domain/plan.js';
import { instrument, leg, NSE_OPEN } from './harness.js';

function build(algo: string, params: ExecutionSpec['params'], inst = instrument()) {
  return () => algorithms[algo]!({ algo, orderType: 'limit', params }, { leg: leg(1000), instrument: inst, startAt: NSE_OPEN });
}

function paramError(fn: () => unknown): AlgoParamError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AlgoParamError) return err;
    throw err;
  }
  throw new Error('expected an AlgoParamError');
}

describe('algorithm parameters', () => {
  it('accepts numbers as numbers or strings and fills in defaults', () => {
    expect(build('twap', { duration: '30m', slices: '10' })).not.toThrow();
    expect(build('twap', { duration: '1h', slices: 12, child_type: 'MARKET', cleanup: 'leave' })).not.toThrow();
    expect(build('twap', {})).not.toThrow();
    expect(build('pov', { rate: '0.1' })).not.toThrow();
    expect(build('iceberg', { display_qty: 100, native: false })).not.toThrow();
  });

  it('names the parameter and the fix, and is invalid input (exit 2)', () => {
    const e = paramError(build('twap', { slices: 'abc' }));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e.param).toBe('slices');
    expect(e.message).toBe('twap parameter "slices" = "abc" is not a number; use a whole number of slices between 1 and 10000, e.g. slices=10');
    expect(paramError(build('twap', { slices: 2.5 })).message).toContain('must be a whole number');
    expect(paramError(build('twap', { duration: '30' })).message).toContain('"duration" = "30" needs a unit');
    expect(paramError(build('twap', { duration: 'soon' })).message).toContain('is not a duration');
    expect(paramError(build('twap', { cleanup: 'dump' })).message).toContain('is not one of market, aggressive_limit, leave');
    expect(paramError(build('twap', { slice: 10 })).message).toMatch(/"slice" is not a parameter of any algorithm; the twap parameters are duration, slices/);
    expect(paramError(build('twap', { duration: '10s', slices: 100 })).message).toContain('shorter than one second');
  });

  it('checks the horizon of market and limit legs, which the runtime reads, and refuses typos there too', () => {
    expect(paramError(build('market', { duration: 'NaN' })).message).toBe('market parameter "duration" = "NaN" is not a duration; write it with a unit: 90s, 30m, 1h or 2h30m (at most 24h)');
    expect(paramError(build('limit', { duration: '99999h' })).message).toContain('"duration" = "99999h" is longer than 24h');
    expect(paramError(build('twap', { duration: '25h' })).param).toBe('duration');
    expect(paramError(build('market', { duraton: '2h' })).message).toMatch(/"duraton" is not a parameter of any algorithm; the market parameters are duration/);
    expect(build('market', { duration: '2h', slices: 10 })).not.toThrow();
    expect(build('limit', { duration: '2h', offset_bps: 3 })).not.toThrow();
  });

  it('checks pov, iceberg and is parameters', () => {
    expect(paramError(build('pov', {})).message).toBe('pov parameter "rate" is required; give the participation rate as a fraction between 0 and 1, e.g. rate=0.1 for 10%');
    expect(paramError(build('pov', { rate: 1 })).param).toBe('rate');
    expect(paramError(build('pov', { rate: 0.1, min_child: 500, max_child: 100 })).param).toBe('min_child');
    expect(paramError(build('iceberg', {})).param).toBe('display_qty');
    expect(paramError(build('iceberg', { display_qty: 10 }, instrument({ lotSize: 25 }))).message).toContain('below the lot size 25');
    expect(paramError(build('iceberg', { display_qty: 10, randomize_pct: 80 })).param).toBe('randomize_pct');
    expect(paramError(build('is', { eta: 1e-7, gamma: 1 })).message).toContain('cannot be solved');
    expect(paramError(build('is', { periods: 5, slices: 6 })).param).toBe('slices');
    expect(build('is', { slices: 6 })).not.toThrow();
    expect(paramError(build('limit', { offset_bps: 'abc' })).param).toBe('offset_bps');
    expect(build('limit', { offset_bps: '5' })).not.toThrow();
    const noVolatility = instrument();
    delete noVolatility.volatility;
    expect(paramError(build('is', {}, noVolatility)).param).toBe('sigma');
    expect(build('is', { sigma: 10 }, noVolatility)).not.toThrow();
    const noAdv = instrument();
    delete noAdv.adv;
    expect(paramError(build('is', {}, noAdv)).param).toBe('eta');
    expect(build('is', { eta: 1e-6, gamma: 1e-7 }, noAdv)).not.toThrow();
  });

  it('ignores the parameters of other algorithms, which run-wide defaults bring to every leg', () => {
    // e.g. `--algo twap --slices 10` with one line of the target file asking for an iceberg.
    expect(build('iceberg', { display_qty: 100, slices: 10, duration: '30m', rate: 0.1 })).not.toThrow();
    expect(build('pov', { rate: 0.1, slices: 10, display_qty: 5 })).not.toThrow();
    const all = new Set([twapParamSpecs, vwapParamSpecs, isParamSpecs, povParamSpecs, icebergParamSpecs].flatMap((s) => Object.keys(s)));
    expect([...PARAMETER_VOCABULARY].sort()).toEqual([...all].sort());
  });
});
