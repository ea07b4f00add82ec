import { describe, expect, it } from 'vitest';
import { fitImpact, type CalibrationPoint } from '../../src/engine/estimate/calibrate.js';
import { estimateVsActual } from '../../src/engine/estimate/estimate-vs-actual.js';
import type { LegTca } from '../../src/engine/tca/types.js';

/** A seeded generator (mulberry32): synthetic executions are the same every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('tca calibrate: least squares of the impact coefficient', () => {
  it('recovers η from synthetic executions made with η = 0.8 and noise', () => {
    const next = random(3);
    const points: CalibrationPoint[] = Array.from({ length: 400 }, () => {
      const impactScaleBps = 5 + 60 * next();
      const fixedBps = 2 + 3 * next();
      // Noise: uniform ±10 bps, mean zero.
      return { impactScaleBps, fixedBps, actualBps: fixedBps + 0.8 * impactScaleBps + (next() - 0.5) * 20 };
    });
    const fit = fitImpact(points, 0.5)!;
    expect(fit.n).toBe(400);
    expect(fit.coefficient).toBeCloseTo(0.8, 1);
    expect(fit.r2!).toBeGreaterThan(0.8);
    expect(fit.rmseAfterBps).toBeLessThan(fit.rmseBeforeBps);
    expect(fit.rmseAfterBps).toBeCloseTo(20 / Math.sqrt(12), 0);
  });

  it('an exact line gives η and R² = 1; a market that paid us gives η = 0; nothing usable gives no fit', () => {
    const exact = [10, 20, 40].map((x) => ({ impactScaleBps: x, fixedBps: 1, actualBps: 1 + 0.25 * x }));
    expect(fitImpact(exact, 1)).toMatchObject({ n: 3, coefficient: 0.25, r2: 1, rmseAfterBps: 0 });
    expect(fitImpact([{ impactScaleBps: 10, fixedBps: 5, actualBps: -20 }], 1)!.coefficient).toBe(0);
    expect(fitImpact([{ impactScaleBps: 0, fixedBps: 1, actualBps: 3 }], 1)).toBeUndefined();
  });

  it('TCA compares the estimate with trading + opportunity shortfall, per leg and value-weighted per run', () => {
    const leg = (index: number, paperValue: number, trading: number, opportunity: number) =>
      ({ leg: index, symbol: `S${index}`, paperValue, shortfall: { trading, opportunity }, shortfallBps: { trading: (trading / paperValue) * 1e4, opportunity: (opportunity / paperValue) * 1e4 } }) as unknown as LegTca;
    const estimate = (costBps: number, stdBps: number) => ({ costBps, stdBps }) as never;
    const r = estimateVsActual([leg(0, 1_000_000, 1_000, 500), leg(1, 3_000_000, 900, 0), leg(2, 1_000_000, 50, 0)], new Map([[0, estimate(10, 5)], [1, estimate(4, 2)]]))!;
    expect(r.legs.map((l) => l.symbol)).toEqual(['S0', 'S1']);
    expect(r.legs.flatMap((l) => [l.actualBps, l.zScore!])).toEqual([15, 1, expect.closeTo(3, 9), expect.closeTo(-0.5, 9)]);
    expect([r.estimateMinor, r.actualMinor]).toEqual([1_000 + 1_200, 2_400]);
    expect([r.estimateBps, r.actualBps]).toEqual([5.5, expect.closeTo(6, 9)]);
    expect(estimateVsActual([leg(0, 1, 0, 0)], new Map())).toBeNull();
  });
});
