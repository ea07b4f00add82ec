import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { almgrenChrissSchedule } from '../../src/engine/algos/almgren-chriss.js';
import { algorithms } from '../../src/engine/algos/index.js';
import type { ParentState } from '../../src/engine/algos/algorithm.js';
import { twapSchedule } from '../../src/engine/algos/twap-schedule.js';
import { childQuantities, instrument, leg, NSE_OPEN, quote, simulate } from './harness.js';

const MIN = 60_000;

describe('twap', () => {
  it('sends the TWAP schedule at equal intervals and completes exactly Q', () => {
    const r = simulate({ algo: 'twap', quantity: 1003, params: { duration: '10m', slices: 10 } });
    expect(childQuantities(r)).toEqual(twapSchedule(1003, 10));
    expect(r.children.map((c) => c.placedAt - NSE_OPEN)).toEqual(Array.from({ length: 10 }, (_, j) => j * MIN));
    expect(r.filled).toBe(1003);
    expect(r.done).toBe(true);
  });

  it('prices children at the touch ± bps, passively on the tick, never through the leg limit', () => {
    const buy = simulate({ algo: 'twap', quantity: 100, params: { duration: '1m', slices: 2 } });
    expect(buy.children.map((c) => c.limitPrice)).toEqual([150_000, 150_000]);
    const sell = simulate({ algo: 'twap', quantity: 100, side: 'sell', params: { duration: '1m', slices: 2, offset_bps: 3 } });
    // 150050 · (1 − 0.0003) = 150004.985 → up to the tick for a sell: 150005.
    expect(sell.children.map((c) => c.limitPrice)).toEqual([150_005, 150_005]);
    const capped = simulate({ algo: 'twap', quantity: 100, limitPrice: 149_900, params: { duration: '1m', slices: 2, offset_bps: 20 } });
    expect(capped.children.map((c) => c.limitPrice)).toEqual([149_900, 149_900]);
    const market = simulate({ algo: 'twap', quantity: 100, params: { duration: '1m', slices: 2, child_type: 'market' } });
    expect(market.children.map((c) => c.type)).toEqual(['market', 'market']);
  });

  it('catches up after a partially filled slice: remaining / slices left', () => {
    const r = simulate({ algo: 'twap', quantity: 1000, params: { duration: '10m', slices: 10 }, fillRatio: (n) => (n === 0 ? 0.5 : 1) });
    const q = childQuantities(r);
    expect(q[0]).toBe(100);
    expect(q[1]).toBe(106); // 950 / 9 = 105.6
    // The unfilled rest of the first child was cancelled at the second slice, and the new child
    // sent only once the cancel was confirmed.
    const second = r.decisions.find((d) => d.at === NSE_OPEN + MIN && d.reason === 'timer')!;
    expect(second.decision.cancel).toEqual(['c0']);
    expect(second.decision.place).toBeUndefined();
    expect(r.children[1]!.placedAt).toBe(NSE_OPEN + MIN + 500);
    let remaining = 1000 - 50 - 106;
    for (let j = 2; j < 10; j++) {
      expect(q[j]).toBe(Math.floor(remaining / (10 - j) + 0.5));
      remaining -= q[j]!;
    }
    expect(r.filled).toBe(1000);
  });

  it('cleans up at the end of the horizon: market, aggressive limit (IOC) or leave', () => {
    const never = (n: number) => (n < 10 ? 0 : 1);
    const market = simulate({ algo: 'twap', quantity: 1000, params: { duration: '10m', slices: 10 }, fillRatio: never });
    const last = market.children.at(-1)!;
    expect(last.type).toBe('market');
    expect(last.quantity).toBe(1000);
    expect(last.placedAt).toBe(NSE_OPEN + 10 * MIN + 500);
    expect(market.filled).toBe(1000);

    const aggressive = simulate({ algo: 'twap', quantity: 1000, params: { duration: '10m', slices: 10, cleanup: 'aggressive_limit' }, fillRatio: never });
    // Ask 150050 + 10 bps = 150200.05, rounded up to the tick.
    expect(aggressive.children.at(-1)!.intent).toEqual({ quantity: 1000, type: 'limit', limitPrice: 150_205, timeInForce: 'ioc' });
    const cappedAggressive = simulate({ algo: 'twap', quantity: 1000, limitPrice: 150_100, params: { duration: '10m', slices: 10, cleanup: 'aggressive_limit' }, fillRatio: never });
    expect(cappedAggressive.children.at(-1)!.limitPrice).toBe(150_100);
    const cappedMarket = simulate({ algo: 'twap', quantity: 1000, limitPrice: 150_100, params: { duration: '10m', slices: 10 }, fillRatio: never });
    expect(cappedMarket.children.at(-1)!.intent).toMatchObject({ type: 'limit', limitPrice: 150_100 });

    const leave = simulate({ algo: 'twap', quantity: 1000, params: { duration: '10m', slices: 10, cleanup: 'leave' }, fillRatio: never });
    expect(leave.children).toHaveLength(10);
    expect(leave.done).toBe(true);
    expect(leave.doneAt).toBe(NSE_OPEN + 10 * MIN + 500);
    expect(leave.filled).toBe(0);
  });

  it('a fresh instance after a resume carries on the schedule: no slice is sent twice', () => {
    const spec = { algo: 'twap', orderType: 'limit' as const, params: { duration: '10m', slices: 10 } };
    const fresh = () => algorithms['twap']!(spec, { leg: leg(1000), instrument: instrument(), startAt: NSE_OPEN });
    const market = { quote: quote(), marketVolumeSinceStart: 0, arrivalPrice: 150_025 };
    const at = (now: number, filled: number, lastPlacedAt?: number): ParentState => ({
      parentId: 'p',
      leg: leg(1000),
      instrument: instrument(),
      quantity: 1000,
      filled,
      working: 0,
      openChildren: [],
      startedAt: NSE_OPEN,
      lastPlacedAt,
      now,
      reason: 'resume',
    });
    // Resumed 3.5 minutes in, after slice 3 (placed at 3m) filled: nothing until slice 4, on the original horizon.
    expect(fresh().decide(at(NSE_OPEN + 3.5 * MIN, 400, NSE_OPEN + 3 * MIN), market)).toEqual({ wakeAt: NSE_OPEN + 4 * MIN });
    // Resumed before slice 3 was sent: it is sent now.
    expect(fresh().decide(at(NSE_OPEN + 3.5 * MIN, 300, NSE_OPEN + 2 * MIN), market).place?.[0]?.quantity).toBe(100);
    // Resumed after the clean-up was sent: nothing is sent again.
    expect(fresh().decide(at(NSE_OPEN + 11 * MIN, 900, NSE_OPEN + 10 * MIN), market)).toEqual({ done: true });
  });

  it('keeps every child in whole lots', () => {
    const r = simulate({ algo: 'twap', quantity: 1000, instrument: instrument({ lotSize: 25 }), params: { duration: '6m', slices: 6 }, fillRatio: (_n, c) => (c.type === 'market' ? 1 : 0.6) });
    for (const c of r.children) expect(c.quantity % 25).toBe(0);
    expect(r.filled).toBe(1000);
  });
});

describe('vwap', () => {
  const profile = [0.3, 0.45, 0.6, 0.75, 1];
  const day = { duration: '6h15m', slices: 5 };

  it('sizes bins by the broker profile over the session', () => {
    const r = simulate({ algo: 'vwap', quantity: 1000, params: day, volumeProfile: profile });
    expect(childQuantities(r)).toEqual([300, 150, 150, 150, 250]);
    expect(r.children.map((c) => (c.placedAt - NSE_OPEN) / MIN)).toEqual([0, 75, 150, 225, 300]);
  });

  it('child per bin = remaining · u_j / Σ_{k≥j} u_k after a shortfall', () => {
    const r = simulate({ algo: 'vwap', quantity: 1000, params: day, volumeProfile: profile, fillRatio: (n) => (n === 0 ? 0.5 : 1) });
    const q = childQuantities(r);
    expect(q[1]).toBe(182); // 850 · 0.15 / 0.70 = 182.1
    expect(q[2]).toBe(Math.round((668 * 0.15) / 0.55)); // 182.2
    expect(r.filled).toBe(1000);
  });

  it('uses the default U shape without a broker profile', () => {
    const r = simulate({ algo: 'vwap', quantity: 1000, params: { duration: '6h15m', slices: 10 } });
    const q = childQuantities(r);
    expect(q[0]!).toBeGreaterThan(q[4]!);
    expect(q[9]!).toBeGreaterThan(q[5]!);
    expect(q[0]).toBe(172);
    expect(r.filled).toBe(1000);
  });
});

describe('is', () => {
  it('follows the Almgren–Chriss schedule with the given parameters', () => {
    const params = { duration: '6h15m', periods: 5, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625, lambda: 2e-5 };
    const r = simulate({ algo: 'is', quantity: 1_000_000, params });
    expect(childQuantities(r)).toEqual(almgrenChrissSchedule({ X: 1_000_000, T: 1, N: 5, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625, lambda: 2e-5 }));
    expect(r.filled).toBe(1_000_000);
  });

  it('estimates σ, η, γ, ε from volatility, ADV and the quoted spread', () => {
    const r = simulate({ algo: 'is', quantity: 50_000, params: { duration: '30m', slices: 10, lambda: 1e-5 } });
    const price = 1500.25;
    const spread = 0.5;
    const expected = almgrenChrissSchedule({
      X: 50_000,
      T: 30 / 375,
      N: 10,
      sigma: (price * 0.25) / Math.sqrt(252),
      eta: spread / (0.01 * 5_000_000),
      gamma: spread / (0.1 * 5_000_000),
      epsilon: spread / 2,
      lambda: 1e-5,
    });
    expect(childQuantities(r)).toEqual(expected);
    expect(expected[0]!).toBeGreaterThan(expected[9]!);
  });

  it('λ = 0 sends the TWAP schedule', () => {
    const r = simulate({ algo: 'is', quantity: 1003, params: { duration: '10m', periods: 10, lambda: 0 } });
    expect(childQuantities(r)).toEqual(twapSchedule(1003, 10));
  });
});

describe('pov', () => {
  it('trades ρ/(1−ρ) of the others’ volume each interval until done', () => {
    // Others trade 9000 shares a minute; own fills come on top in the reported market volume.
    const r = simulate({ algo: 'pov', quantity: 3500, params: { rate: 0.1, interval: '1m' }, othersVolume: (t) => Math.floor((t - NSE_OPEN) / MIN) * 9000 });
    expect(childQuantities(r)).toEqual([1000, 1000, 1000, 500]);
    expect(r.children.map((c) => (c.placedAt - NSE_OPEN) / MIN)).toEqual([1, 2, 3, 4]);
    expect(r.filled).toBe(3500);
  });

  it('respects max_child and min_child, and stops at the horizon', () => {
    const others = (t: number) => Math.floor((t - NSE_OPEN) / MIN) * 9000;
    const capped = simulate({ algo: 'pov', quantity: 3500, params: { rate: 0.1, max_child: 600 }, othersVolume: others });
    // Capped at 600; the shortfall is made up later, still capped.
    expect(childQuantities(capped)).toEqual([600, 600, 600, 600, 600, 500]);
    const slow = simulate({ algo: 'pov', quantity: 3500, params: { rate: 0.1, min_child: 1500 }, othersVolume: others });
    expect(childQuantities(slow)).toEqual([2000, 1500]);
    const horizon = simulate({ algo: 'pov', quantity: 3500, params: { rate: 0.1, duration: '2m' }, othersVolume: others });
    expect(horizon.filled).toBe(1000);
    expect(horizon.done).toBe(true);
    expect(horizon.doneAt).toBe(NSE_OPEN + 2 * MIN);
  });
});

describe('iceberg', () => {
  it('shows display_qty and refills after each fill until done', () => {
    const r = simulate({ algo: 'iceberg', quantity: 1000, params: { display_qty: 300 } });
    expect(childQuantities(r)).toEqual([300, 300, 300, 100]);
    expect(r.children.every((c) => c.limitPrice === 150_000)).toBe(true);
    expect(r.filled).toBe(1000);
  });

  it('randomises the shown size within ±pct, reproducibly', () => {
    const run = () => childQuantities(simulate({ algo: 'iceberg', quantity: 10_000, params: { display_qty: 300, randomize_pct: 20, seed: 5 } }));
    const q = run();
    expect(q).toEqual(run());
    for (const x of q.slice(0, -1)) {
      expect(x).toBeGreaterThanOrEqual(240);
      expect(x).toBeLessThanOrEqual(360);
    }
    expect(new Set(q).size).toBeGreaterThan(3);
    expect(q.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('rests a partly filled child and stops when a child ends short', () => {
    const partial = simulate({ algo: 'iceberg', quantity: 1000, params: { display_qty: 300 }, fillRatio: () => 0.5 });
    expect(childQuantities(partial)).toEqual([300]);
    expect(partial.filled).toBe(150);

    const algo = algorithms['iceberg']!({ algo: 'iceberg', orderType: 'limit', params: { display_qty: 300 } }, { leg: leg(1000), instrument: instrument(), startAt: NSE_OPEN });
    const state = (filled: number, working: number, reason: ParentState['reason']): ParentState => ({
      parentId: 'p',
      leg: leg(1000),
      instrument: instrument(),
      quantity: 1000,
      filled,
      working,
      openChildren: [],
      startedAt: NSE_OPEN,
      now: NSE_OPEN,
      reason,
    });
    const market = { quote: quote(), marketVolumeSinceStart: 0, arrivalPrice: 150_025 };
    expect(algo.decide(state(0, 0, 'start'), market).place?.[0]?.quantity).toBe(300);
    expect(algo.decide(state(100, 0, 'child_done'), market)).toEqual({ done: true });
  });

  it('moves a shown slice the market left behind to the touch, showing what it had not filled', () => {
    // The first slice fills a third, then the bid moves up 10 ticks a minute after the start.
    const moving = (t: number) => (t < NSE_OPEN + MIN ? quote() : quote({ bid: 151_000, ask: 151_050, last: 151_025 }));
    const r = simulate({ algo: 'iceberg', quantity: 1000, params: { display_qty: 300 }, quote: moving, fillRatio: (n) => (n === 0 ? 1 / 3 : 1), until: NSE_OPEN + 30 * MIN });
    expect(r.children.map((c) => [c.quantity, c.limitPrice])).toEqual([
      [300, 150_000],
      [200, 151_000],
      [300, 151_000],
      [300, 151_000],
      [100, 151_000],
    ]);
    const moved = r.decisions.find((d) => d.decision.cancelReason === 'reprice')!;
    expect(moved.at - (NSE_OPEN + MIN)).toBeLessThanOrEqual(10_000);
    expect(r.filled).toBe(1000);
  });

  it('cancels what is shown at the end of its horizon', () => {
    const r = simulate({ algo: 'iceberg', quantity: 1000, params: { display_qty: 300, duration: '10m' }, fillRatio: (n) => (n === 0 ? 1 : 0.5) });
    expect(childQuantities(r)).toEqual([300, 300]);
    expect(r.filled).toBe(450);
    expect(r.done).toBe(true);
    expect(r.doneAt).toBe(NSE_OPEN + 10 * MIN + 500);
  });

  it('uses the broker’s disclosed quantity with native=true', () => {
    const r = simulate({ algo: 'iceberg', quantity: 1000, limitPrice: 149_000, params: { display_qty: 100, native: 'true' } });
    expect(r.children.map((c) => c.intent)).toEqual([{ quantity: 1000, type: 'limit', limitPrice: 149_000, timeInForce: 'day', displayQuantity: 100 }]);
  });
});

describe('market and limit', () => {
  it('still send one child', () => {
    expect(simulate({ algo: 'market', quantity: 500 }).children.map((c) => c.intent)).toEqual([{ quantity: 500, type: 'market', timeInForce: 'day' }]);
    expect(simulate({ algo: 'limit', quantity: 500 }).children.map((c) => c.intent)).toEqual([{ quantity: 500, type: 'limit', limitPrice: 150_000, timeInForce: 'day' }]);
  });
});

describe('every algorithm, any fills', () => {
  const cases = {
    twap: { duration: '20m', slices: 8 },
    vwap: { duration: '1h', slices: 12 },
    is: { duration: '45m', periods: 9, lambda: 1e-5 },
    pov: { rate: 0.2, interval: '1m', duration: '30m', cleanup: 'market' },
    iceberg: { display_qty: 20, randomize_pct: 30 },
  } as const;

  it('never asks for more than remains, stays in lots, and ends with exactly Q when the clean-up fills', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(cases) as (keyof typeof cases)[])),
        fc.integer({ min: 1, max: 400 }),
        fc.constantFrom(1, 5, 10),
        fc.array(fc.constantFrom(0, 0.3, 0.5, 1), { minLength: 1, maxLength: 16 }),
        (algo, lots, lot, ratios) => {
          const quantity = lots * lot;
          const r = simulate({
            algo,
            quantity,
            params: cases[algo],
            instrument: instrument({ lotSize: lot }),
            // Children fill by the drawn pattern; the clean-up (an IOC or market child after the horizon) fills in full.
            fillRatio: (n, child) => (child.type === 'market' ? 1 : ratios[n % ratios.length]!),
            othersVolume: (t) => Math.floor((t - NSE_OPEN) / 1000) * 50,
          });
          expect(r.filled).toBeLessThanOrEqual(quantity);
          if (algo !== 'iceberg') {
            expect(r.done).toBe(true);
            expect(r.filled).toBe(quantity);
          } else if (!ratios.includes(0.3) && !ratios.includes(0.5) && !ratios.includes(0)) {
            expect(r.filled).toBe(quantity);
          }
        },
      ),
      { seed: 20260105, numRuns: 150 },
    );
  });
});
