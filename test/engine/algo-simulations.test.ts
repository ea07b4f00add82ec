import { afterEach, describe, expect, it } from 'vitest';
import { sideSign } from '../../src/domain/side.js';
import type { LegResult } from '../../src/engine/runtime/execution-runtime.js';
import { MONDAY_OPEN_IST, World } from './world.js';
import { connectionOf } from '../../src/store/connection.js';

/**
 * Seeded simulations on the paper market: each algorithm does what it is for. Money is large
 * enough that cash never binds; quantities are expressed as fractions of the instrument's ADV.
 */
const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

const TCS_ADV = 2_500_000;
const CASH = 100_000_000_000_00;

async function execute(seed: number, quantity: number, algo: string, params: Record<string, string | number>) {
  // Five-second market steps keep a simulated day to a few seconds of test time.
  const world = new World({ stepMs: 5_000 }, { cash: CASH, start: MONDAY_OPEN_IST, seed, inMemory: true });
  worlds.push(world);
  const start = world.clock.now();
  const { checked, outcome } = await world.rebalance(
    `symbol,target_quantity\nTCS,${quantity}\n`,
    { planOptions: { defaultExecution: { algo, orderType: algo === 'market' ? 'market' : 'limit', params } } },
    world.service({ runtimeOptions: { pollMs: 5_000 } }),
  );
  const leg = outcome.legs[0]!;
  const fills = connectionOf(world.store).prepare('SELECT quantity, price, ts FROM fills WHERE run_id = ? ORDER BY seq').all(checked.runId) as { quantity: number; price: number; ts: number }[];
  const arrival = (connectionOf(world.store).prepare('SELECT arrival_price FROM orders WHERE run_id = ? AND parent_id IS NULL').pluck().get(checked.runId) as number) ?? 0;
  const end = fills[fills.length - 1]!.ts + 1;
  return { world, leg, fills, arrival, start, end };
}

/** Slippage against arrival in bps, positive = cost (EXECUTION.md). */
function costBps(leg: LegResult, arrival: number): number {
  return (sideSign(leg.side) * (leg.averagePrice - arrival) / arrival) * 10_000;
}

function meanFillTime(fills: { quantity: number; ts: number }[], start: number): number {
  const q = fills.reduce((s, f) => s + f.quantity, 0);
  return fills.reduce((s, f) => s + f.quantity * (f.ts - start), 0) / q;
}

const stdev = (xs: number[]) => {
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};

describe('algorithms on the seeded paper market', { timeout: 120_000 }, () => {
  it('VWAP over the session: average price within 5 bps of the interval VWAP (5% of ADV)', async () => {
    const { world, leg, start, end } = await execute(11, TCS_ADV * 0.05, 'vwap', { duration: '6h15m', slices: 75, child_type: 'market' });
    expect(leg.outcome).toBe('complete');
    const marketVwap = world.broker.marketVwap('TCS', start, end, 'NSE')!;
    const diff = Math.abs((leg.averagePrice - marketVwap) / marketVwap) * 10_000;
    expect(diff).toBeLessThan(5);
  });

  it('POV: realised participation within 2 percentage points of the target', async () => {
    const rate = 0.1;
    const { world, leg, start, end } = await execute(12, 40_000, 'pov', { rate, interval: '1m', duration: '6h', child_type: 'market' });
    expect(leg.outcome).toBe('complete');
    const participation = leg.filled / world.broker.marketVolume('TCS', start, end, 'NSE');
    expect(Math.abs(participation - rate)).toBeLessThan(0.02);
  });

  it('a 20%-of-ADV order worked by TWAP over the day costs less than sending it at once', async () => {
    const quantity = TCS_ADV * 0.2;
    const twap = await execute(13, quantity, 'twap', { duration: '6h', slices: 24, child_type: 'market' });
    // The paper market caps what any order takes per step, so "at once" still lasts hours.
    const market = await execute(13, quantity, 'market', { duration: '6h15m' });
    expect(twap.leg.outcome).toBe('complete');
    expect(market.leg.outcome).toBe('complete');
    expect(costBps(twap.leg, twap.arrival)).toBeLessThan(costBps(market.leg, market.arrival));
  });

  it('implementation shortfall with a higher λ finishes earlier and has lower cost variance than TWAP', async () => {
    const seeds = [21, 22, 23, 24, 25, 26];
    const quantity = TCS_ADV * 0.02;
    const common = { duration: '1h', child_type: 'market' };
    const is: { cost: number; t: number }[] = [];
    const twap: { cost: number; t: number }[] = [];
    for (const seed of seeds) {
      const a = await execute(seed, quantity, 'is', { ...common, periods: 12, lambda: 1e-5 });
      is.push({ cost: costBps(a.leg, a.arrival), t: meanFillTime(a.fills, a.start) });
      const b = await execute(seed, quantity, 'twap', { ...common, slices: 12 });
      twap.push({ cost: costBps(b.leg, b.arrival), t: meanFillTime(b.fills, b.start) });
      for (const w of worlds.splice(0)) await w.close();
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(is.map((x) => x.t))).toBeLessThan(mean(twap.map((x) => x.t)));
    expect(stdev(is.map((x) => x.cost))).toBeLessThan(stdev(twap.map((x) => x.cost)));
  });
});
