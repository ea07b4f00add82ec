import { describe, expect, it } from 'vitest';
import { PaperConfigSchema } from '../../src/brokers/paper/config.js';
import { FaultInjector, httpFault } from '../../src/brokers/paper/faults.js';

const faults = (overrides: Record<string, number>) => PaperConfigSchema.parse({ faults: overrides }).faults;

/** The outcomes of `n` placements and, after each, an update that may be dropped. */
function draws(injector: FaultInjector, n: number): string[] {
  return Array.from({ length: n }, () => {
    const roll = injector.placement();
    const which = Object.entries(roll).filter(([, hit]) => hit).map(([name]) => name);
    return `${which.join('+') || 'ok'}${injector.dropsUpdate() ? ' (update dropped)' : ''}`;
  });
}

describe('paper fault draws', () => {
  it('follow the seed and the account: the same pair draws the same faults, another pair others', () => {
    const config = faults({ reject: 0.3, unavailable: 0.2, dropUpdate: 0.3 });
    const run = draws(new FaultInjector(config, 11, 'PAPER'), 60);
    expect(draws(new FaultInjector(config, 11, 'PAPER'), 60)).toEqual(run);
    expect(draws(new FaultInjector(config, 12, 'PAPER'), 60)).not.toEqual(run);
    expect(draws(new FaultInjector(config, 11, 'OTHER'), 60)).not.toEqual(run);
    expect(new Set(run)).toContain('reject');
    expect(run.some((o) => o.endsWith('(update dropped)'))).toBe(true);
  });

  it('make every draw on every call: switching one fault on leaves the others where they were', () => {
    const rejects = (config: ReturnType<typeof faults>) => {
      const injector = new FaultInjector(config, 5, 'PAPER');
      return Array.from({ length: 80 }, () => (injector.call(), injector.placement().reject));
    };
    const alone = rejects(faults({ reject: 0.4 }));
    expect(alone).toContain(true);
    expect(rejects(faults({ reject: 0.4, rateLimited: 0.9, unavailable: 0.5, timeoutBeforeAccept: 0.7 }))).toEqual(alone);
  });

  it('answer like HTTP: a 429 before a 503, and nothing when neither was drawn', () => {
    expect(httpFault({ rateLimited: true, unavailable: true })).toMatchObject({ kind: 'rate_limited', details: { status: 429, retryAfterMs: 1_000 } });
    expect(httpFault({ rateLimited: false, unavailable: true })).toMatchObject({ kind: 'unavailable', details: { status: 503 } });
    expect(httpFault({ rateLimited: false, unavailable: false })).toBeUndefined();
  });
});
