import { afterEach, describe, expect, it, vi } from 'vitest';
import { World } from './world.js';

/**
 * The runtime re-reads a broker's whole order book when a working order has been silent, in case
 * an update was lost on the way. The paper broker's updates cannot be lost unless its
 * `dropUpdate` fault is on: its resting limit orders are silent because they rest, and re-reading
 * a book that grows all day cost most of a long simulated TWAP (quadratic in its orders).
 */
const TARGET = 'symbol,target_quantity\nRELIANCE,3000\nTCS,1200\nITC,9000\n';
const TWAP = { defaultExecution: { algo: 'twap', orderType: 'limit' as const, params: { duration: '2h', slices: 24 } } };

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function twapBookReads(paperConfig: Record<string, unknown>): Promise<{ status: string; reads: number }> {
  world = new World(paperConfig, { seed: 5, inMemory: true });
  const reads = vi.spyOn(world.broker, 'orders');
  const { outcome } = await world.rebalance(TARGET, { planOptions: TWAP }, world.service({ runtimeOptions: { pollMs: 5_000 } }));
  return { status: outcome.status, reads: reads.mock.calls.length };
}

describe('order book re-reads for silent orders', () => {
  it('are not made on a broker whose updates cannot be lost', async () => {
    const run = await twapBookReads({});
    expect(run.status).toBe('completed');
    expect(run.reads).toBe(0);
  });

  it('are still made when the paper broker drops updates, and the run completes', async () => {
    const run = await twapBookReads({ faults: { dropUpdate: 0.2 } });
    expect(run.status).toBe('completed');
    expect(run.reads).toBeGreaterThan(0);
  });
});
