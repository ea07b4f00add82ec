import { afterEach, describe, expect, it } from 'vitest';
import { VIRTUAL_POLL_MS } from '../../src/engine/clock/index.js';
import { World } from './world.js';

/**
 * Limit children priced at the touch trade at the touch or better: a slice child is priced on a
 * quote fetched as its leg wakes (not the one cached when the leg last looked, seconds or minutes
 * of market earlier), and a child resting at its price that the market moves through trades
 * there, as the market reaches it, rather than sweeping the far side of the book.
 */
const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

describe('a TWAP of limit children at the touch on the paper market', () => {
  it.each([1, 2, 3])('fills the leg with every fill within the bid/offer as it traded (seed %i)', async (seed) => {
    const w = new World({}, { inMemory: true, cash: 1e12, seed });
    worlds.push(w);
    const execution = { algo: 'twap', orderType: 'limit' as const, params: { duration: '2h', slices: 12 } };
    const { outcome } = await w.rebalance('symbol,target_quantity\nRELIANCE,300000\n', { planOptions: { defaultExecution: execution } }, w.service({ runtimeOptions: { pollMs: VIRTUAL_POLL_MS } }));
    expect(outcome.legs[0]).toMatchObject({ filled: 300_000, outcome: 'complete' });
    const touch = w.broker.fillsAgainstTouch('RELIANCE', 'NSE');
    expect(touch.fills).toBeGreaterThan(12);
    expect(touch.withinTouch).toBe(touch.fills);
  });
});
