import { afterEach, describe, expect, it } from 'vitest';
import { VIRTUAL_POLL_MS } from '../../src/engine/clock/index.js';
import { World } from './world.js';

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

function world(): World {
  const w = new World({}, { inMemory: true, cash: 1e12 });
  worlds.push(w);
  return w;
}

const RELIANCE_300K = 'symbol,target_quantity\nRELIANCE,300000\n';
const schedule = (algo: string) => ({ planOptions: { defaultExecution: { algo, orderType: 'limit' as const, params: { duration: '2h', slices: 12 } } } });

/** Per child: when it was placed and how much it filled. */
function children(w: World, runId: string) {
  return w.store
    .events({ runId, types: ['order.created'] })
    .filter((e) => e.payload.clientOrderId !== e.payload.clientOrderId.replace(/C\d+$/, '') || e.payload.type !== undefined)
    .map((e) => ({ id: e.payload.clientOrderId, at: e.marketTs ?? 0, quantity: e.payload.quantity }));
}

describe('300,000 RELIANCE over 2 h in 12 slices with limit-at-touch children', () => {
  it('TWAP and IS each fill the whole leg within the horizon, at different prices (IS front-loads)', async () => {
    const results: Record<string, { filled: number; value: number; firstChild: number; status: string }> = {};
    for (const algo of ['twap', 'is']) {
      const w = world();
      let timers = 0;
      const arm = w.clock.setTimeout.bind(w.clock);
      w.clock.setTimeout = (fn, ms) => (timers++, arm(fn, ms));
      const start = w.clock.now();
      const { outcome, checked } = await w.rebalance(RELIANCE_300K, schedule(algo), w.service({ runtimeOptions: { pollMs: VIRTUAL_POLL_MS } }));
      // Done within the 2 h horizon (the clean-up at its end included), not in the grace after it.
      expect(w.clock.now() - start).toBeLessThanOrEqual(2 * 3_600_000 + 60_000);
      const leg = outcome.legs[0]!;
      const created = children(w, checked.runId).filter((c) => c.id !== `${checked.runId}L0`);
      // The clock jumps from event to event: a few hundred timers for 7,200 seconds of market
      // (slices, fills, resting-order passes every 10 s, control looks every 10 s), not one a second.
      expect(timers).toBeLessThan(2_000);
      results[algo] = { filled: leg.filled, value: leg.averagePrice, firstChild: created[0]!.quantity, status: leg.outcome };
    }
    expect(results['twap']).toMatchObject({ filled: 300_000, status: 'complete' });
    expect(results['is']).toMatchObject({ filled: 300_000, status: 'complete' });
    expect(results['is']!.value).not.toBe(results['twap']!.value);
    expect(results['twap']!.firstChild).toBe(25_000);
    expect(results['is']!.firstChild).toBeGreaterThan(25_000);
  });
});

describe('the algorithms on seeded paper paths', () => {
  async function run(seed: number, algo: string, params: Record<string, string | number>, quantity: number) {
    const w = new World({}, { inMemory: true, cash: 1e12, seed });
    worlds.push(w);
    const from = w.clock.now();
    const { outcome } = await w.rebalance(`symbol,target_quantity\nRELIANCE,${quantity}\n`, { planOptions: { defaultExecution: { algo, orderType: 'limit' as const, params } } }, w.service({ runtimeOptions: { pollMs: VIRTUAL_POLL_MS } }));
    const leg = outcome.legs[0]!;
    const to = w.clock.now();
    const vwap = w.broker.marketVwap('RELIANCE', from, to, 'NSE')!;
    return { leg, slippageBps: ((leg.averagePrice - vwap) / vwap) * 10_000, participation: leg.filled / w.broker.marketVolume('RELIANCE', from, to, 'NSE') };
  }

  it('VWAP ends within 5 bps of the interval VWAP on average for a leg of a few % of the horizon volume; POV participates within 1 point of its rate on average', async () => {
    const seeds = [1, 2, 3, 4];
    const vwap = [];
    for (const seed of seeds) vwap.push(await run(seed, 'vwap', { duration: '1h', slices: 6 }, 40_000));
    for (const r of vwap) expect(r.leg).toMatchObject({ outcome: 'complete', filled: 40_000 });
    const mean = vwap.reduce((s, r) => s + r.slippageBps, 0) / vwap.length;
    expect(Math.abs(mean)).toBeLessThan(5);
    const participation: number[] = [];
    for (const seed of seeds.slice(0, 3)) {
      const pov = await run(seed, 'pov', { rate: 0.1, interval: '1m', duration: '1h' }, 60_000);
      expect(pov.leg.filled).toBeGreaterThan(0);
      participation.push(pov.participation);
    }
    expect(Math.abs(participation.reduce((s, p) => s + p, 0) / participation.length - 0.1)).toBeLessThan(0.01);
  });

  it('fills every leg of a ten-line target of 0.5% to 10% of ADV over 3 hours', async () => {
    // RELIANCE 1%, TCS 2%, HDFCBANK 0.5%, INFY 5%, ICICIBANK 2%, SBIN 5%, ITC 10%, LT 5%, WIPRO 5%, AXISBANK 5% of ADV.
    const target = 'symbol,target_quantity\nRELIANCE,100000\nTCS,50000\nHDFCBANK,75000\nINFY,350000\nICICIBANK,240000\nSBIN,600000\nITC,1500000\nLT,100000\nWIPRO,500000\nAXISBANK,400000\n';
    const w = new World({}, { inMemory: true, cash: 1e13, seed: 3 });
    worlds.push(w);
    const { outcome } = await w.rebalance(target, { planOptions: { defaultExecution: { algo: 'is', orderType: 'limit' as const, params: { duration: '3h', slices: 18 } } } }, w.service({ runtimeOptions: { pollMs: VIRTUAL_POLL_MS } }));
    expect(outcome.legs.map((l) => [l.symbol, l.filled === l.quantity, l.outcome])).toEqual(outcome.legs.map((l) => [l.symbol, true, 'complete']));
  });
});
