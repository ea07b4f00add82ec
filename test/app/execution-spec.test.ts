import { describe, expect, it } from 'vitest';
import { executionFromFlags } from '../../src/app/execution-spec.js';
import { InvalidInputError } from '../../src/domain/errors/invalid-input-error.js';

function refusal(flags: Parameters<typeof executionFromFlags>[0]): InvalidInputError {
  try {
    executionFromFlags(flags);
  } catch (err) {
    if (err instanceof InvalidInputError) return err;
    throw err;
  }
  throw new Error('expected the flags to be refused');
}

describe('the run-wide execution flags', () => {
  it('are checked by the algorithm\'s own rules before a broker is opened', () => {
    expect(refusal({ algo: 'twap', duration: '2h', param: ['nosuch=1'] }).message).toBe('--algo twap: --param nosuch is not a parameter of any algorithm');
    const long = refusal({ algo: 'twap', duration: '99999h' });
    expect(long.message).toBe('--algo twap: --duration = "99999h" is longer than 24h, the longest a leg may work');
    expect(long.hint).toBe('write it with a unit: 90s, 30m, 1h or 2h30m (at most 24h)');
    expect(refusal({ algo: 'market', duration: 'NaN' }).message).toBe('--algo market: --duration = "NaN" is not a duration');
    expect(refusal({ algo: 'pov' }).message).toBe('--algo pov: --param rate is required');
    expect(refusal({ algo: 'twap', duration: '10s', slices: 100 }).message).toMatch(/--slices = 100 makes slices shorter than one second/);
    expect(refusal({ algo: 'nosuch' }).message).toBe('unknown algorithm "nosuch"');
  });

  it('let parameters of other algorithms through, for the lines that pick them', () => {
    expect(executionFromFlags({ algo: 'twap', duration: '2h', slices: 5, param: ['rate=0.1', 'display_qty=100'] })).toEqual({
      algo: 'twap',
      orderType: 'limit',
      params: { rate: 0.1, display_qty: 100, duration: '2h', slices: 5 },
    });
  });
});
