import { afterEach, describe, expect, it } from 'vitest';
import { Factory } from '../../src/app/factory.js';
import { storePorts } from '../../src/app/factory/store-ports.js';
import { createPaperBroker } from '../../src/brokers/paper/index.js';
import type { Clock } from '../../src/domain/clock.js';
import { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { World } from './world.js';
import { connectionOf } from '../../src/store/connection.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { noLimits } from '../support/no-limits.js';

/**
 * A `--speed max` TWAP interrupted part-way and resumed by a new process, whose wall clock is far
 * behind the simulated market: the market clock continues where it stopped, and the TWAP keeps
 * its original horizon and schedule instead of starting a fresh one.
 */
const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

const TARGET = 'symbol,target_quantity\nRELIANCE,3000\nTCS,1200\nITC,9000\n';
const HORIZON_MS = 2 * 3_600_000;
const TWAP = { defaultExecution: { algo: 'twap', orderType: 'limit' as const, params: { duration: '2h', slices: 24 } } };
const SEED = 11;

function newWorld(): World {
  const world = new World({}, { seed: SEED, inMemory: true });
  worlds.push(world);
  return world;
}

function service(world: World, clock: Clock, signal?: AbortSignal): RebalanceService {
  return new RebalanceService({ log: world.store, ...storePorts(world.store), broker: world.broker, clock, signal, risk: { config: noLimits() }, runtimeOptions: { pollMs: 5_000 } });
}

function childOrders(world: World, runId: string): { market_created_at: number }[] {
  return connectionOf(world.store).prepare('SELECT market_created_at FROM orders WHERE run_id = ? AND parent_id IS NOT NULL ORDER BY rowid').all(runId) as never;
}

/** The slices a run sent children in, per leg: a child moved to the touch stays in its slice. */
function slicesSent(world: World, runId: string, start: number): number {
  const rows = connectionOf(world.store).prepare('SELECT parent_id, market_created_at FROM orders WHERE run_id = ? AND parent_id IS NOT NULL').all(runId) as { parent_id: string; market_created_at: number }[];
  return new Set(rows.map((r) => `${r.parent_id}:${Math.floor((r.market_created_at - start) / (HORIZON_MS / 24))}`)).size;
}

describe('resuming a --speed max TWAP', () => {
  it('continues the market clock where it stopped and the TWAP on its original horizon', async () => {
    const uninterrupted = newWorld();
    const wholeStart = uninterrupted.clock.now();
    const whole = await uninterrupted.rebalance(TARGET, { planOptions: TWAP }, service(uninterrupted, uninterrupted.clock));
    expect(whole.outcome.status).toBe('completed');
    const expected = slicesSent(uninterrupted, whole.checked.runId, wholeStart);

    const world = newWorld();
    const start = world.clock.now();
    const controller = new AbortController();
    const first = service(world, world.clock, controller.signal);
    const request = world.request(TARGET, { planOptions: TWAP });
    const checked = await world.clock.run(first.plan(request));
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    // Ctrl-C 50 simulated minutes in; the whole run took a few wall-clock milliseconds.
    world.clock.setTimeout(() => controller.abort(), 50 * 60_000);
    const stopped = await world.clock.run(first.execute(checked));
    first.release();
    expect(stopped.status).toBe('interrupted');
    const stoppedAt = world.clock.now();

    // A new process: its wall clock reads a second after the run began, hours behind the market.
    await world.broker.close();
    const driven = await new Factory(fakeIO().io, { store: world.store, wallClock: () => start + 1_000 }).clock('paper', 'max');
    expect(driven.clock.now()).toBeGreaterThan(stoppedAt - 1_000);
    world.broker = createPaperBroker({ tables: world.store.brokerTables('paper'), clock: driven.clock, seed: SEED });
    await world.broker.connect();
    const second = service(world, driven.clock);
    const resumed = await driven.drive(second.resume(checked.runId));
    second.release();
    if ('kind' in resumed) throw new Error('locked');
    expect(resumed.status).toBe('completed');

    // Market times never go backwards, across the interruption too.
    const times = world.store.events({ runId: checked.runId }).map((e) => e.marketTs);
    expect(times.every((t) => t !== undefined)).toBe(true);
    const backwards = times.filter((t, i) => i > 0 && t! < times[i - 1]!);
    expect(backwards).toEqual([]);

    // The horizon is the original one, and the schedule is not sent again from its start.
    const children = childOrders(world, checked.runId);
    expect(Math.max(...children.map((c) => c.market_created_at))).toBeLessThan(start + HORIZON_MS + 10 * 60_000);
    expect(Math.abs(slicesSent(world, checked.runId, start) - expected)).toBeLessThanOrEqual(1);
  });
});
