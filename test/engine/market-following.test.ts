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
      const { outcome, checked } = await w.rebalance(RELIANCE_300K, schedule(algo), w.service({ runtimeOptions: { pollMs: VIRTUAL_POLL_MS } }));
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
