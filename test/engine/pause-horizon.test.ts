import { afterEach, describe, expect, it } from 'vitest';
import type { EventType, StoredEvent } from '../../src/domain/events/index.js';
import type { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { World } from './world.js';
import { connectionOf } from '../../src/store/connection.js';

/**
 * A pause moves the leg's horizon by the time it was paused (README "Watching a run"): the
 * schedule resumes where it stopped instead of cramming the slices the pause took, and the
 * deadline is the same whether the process lived through the pause or was restarted during it.
 */
let worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

const MIN = 60_000;
const TWAP = { defaultExecution: { algo: 'twap', orderType: 'market' as const, params: { duration: '10m', slices: 10, child_type: 'market' } } };
/** A buy far below the market: it never fills, so the leg ends at its horizon. */
const RESTING = '{"positions":[{"symbol":"ITC","quantity":100,"limit_price":100}]}';
const LIMIT = { defaultExecution: { algo: 'limit', orderType: 'limit' as const, params: { duration: '10m' } } };

function newWorld(): World {
  const world = new World({}, { inMemory: true });
  worlds.push(world);
  return world;
}

function control(world: World, runId: string, at: number, action: 'pause' | 'resume'): void {
  world.clock.setTimeout(() => world.store.append({ runId, type: 'run.control', payload: { action, by: 'test' } }), at);
}

function children(world: World, runId: string): { quantity: number; at: number }[] {
  return connectionOf(world.store).prepare('SELECT quantity, market_created_at AS at FROM orders WHERE run_id = ? AND parent_id IS NOT NULL ORDER BY market_created_at').all(runId) as never;
}

function only(world: World, runId: string, type: EventType): StoredEvent {
  const events = world.store.events({ runId, types: [type] });
  expect(events).toHaveLength(1);
  return events[0]!;
}

/** The leg's parent order: when it started, and when and how it ended (market times). */
function parentOf(world: World, runId: string): { startedAt: number; endedAt: number; to: string; reason?: string } {
  const row = connectionOf(world.store).prepare('SELECT client_order_id AS id, market_created_at AS startedAt FROM orders WHERE run_id = ? AND parent_id IS NULL').get(runId) as { id: string; startedAt: number };
  const ends = world.store.events({ runId, types: ['order.status'] }).filter((e) => {
    const p = e.payload as { clientOrderId: string; to: string };
    return p.clientOrderId === row.id && ['filled', 'cancelled', 'expired'].includes(p.to);
  });
  expect(ends).toHaveLength(1);
  const p = ends[0]!.payload as { to: string; reason?: string };
  return { startedAt: row.startedAt, endedAt: ends[0]!.marketTs!, to: p.to, reason: p.reason };
}

async function start(world: World, text: string, planOptions: typeof TWAP | typeof LIMIT, service: RebalanceService) {
  const request = world.request(text, { planOptions });
  const checked = await world.clock.run(service.plan(request));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  return { request, checked };
}

describe('pausing a leg moves its horizon by the paused time', () => {
  it('a TWAP paused three minutes resumes its schedule where it stopped: later slices, none larger, the deadline three minutes on', async () => {
    const world = newWorld();
    const service = world.service();
    const { request, checked } = await start(world, 'symbol,target_quantity\nITC,1000\n', TWAP, service);
    control(world, checked.runId, 3 * MIN + 30_000, 'pause');
    control(world, checked.runId, 6 * MIN + 30_000, 'resume');
    const outcome = await world.clock.run(service.execute(checked));
    service.release();
    expect(outcome.legs[0]).toMatchObject({ outcome: 'complete', filled: 1000 });
    const t0 = parentOf(world, checked.runId).startedAt;

    const paused = only(world, checked.runId, 'leg.paused');
    const resumed = only(world, checked.runId, 'leg.resumed');
    const pausedMs = resumed.marketTs! - paused.marketTs!;
    expect(Math.abs(pausedMs - 3 * MIN)).toBeLessThan(1_000);
    // The runtime's backstop: the 10-minute horizon, its clean-up grace (5 minutes) and the pause.
    expect(resumed.payload).toMatchObject({ leg: 0, pausedMs, deadline: t0 + 15 * MIN + pausedMs });

    const sent = children(world, checked.runId);
    // One slice a minute before the pause (0:00 … 3:00), then the other six at their times moved
    // by the pause: each the tenth it was planned as, not the rest crammed into fewer slices.
    expect(sent.map((c) => c.quantity)).toEqual(Array(10).fill(100));
    const slice = (j: number) => t0 + j * MIN + (j >= 4 ? pausedMs : 0);
    sent.forEach((c, j) => expect(Math.abs(c.at - slice(j))).toBeLessThan(1_000));
  });

  it('gives the same deadline whether the process lived through the pause, was stopped during it, or was stopped after it', async () => {
    // 1. Paused at 2:00, resumed at 5:00, no interruption.
    const lived = newWorld();
    const first = lived.service();
    const a = await start(lived, RESTING, LIMIT, first);
    control(lived, a.checked.runId, 2 * MIN, 'pause');
    control(lived, a.checked.runId, 5 * MIN, 'resume');
    await lived.clock.run(first.execute(a.checked));
    first.release();

    // 2. Paused at 2:00, Ctrl-C at 3:00 while paused, `ptexec resume` at 5:00 (which resumes it).
    const during = newWorld();
    const b = await interruptedAndResumed(during, 3 * MIN, 5 * MIN, [[2 * MIN, 'pause']]);

    // 3. Paused at 2:00, resumed at 5:00, Ctrl-C at 6:00, `ptexec resume` at 7:00: rebuilt from the events.
    const after = newWorld();
    const c = await interruptedAndResumed(after, 6 * MIN, 7 * MIN, [
      [2 * MIN, 'pause'],
      [5 * MIN, 'resume'],
    ]);

    for (const [world, runId] of [
      [lived, a.checked.runId],
      [during, b],
      [after, c],
    ] as const) {
      const leg = parentOf(world, runId);
      const paused = only(world, runId, 'leg.paused').marketTs!;
      const resumed = only(world, runId, 'leg.resumed');
      const pausedMs = resumed.marketTs! - paused;
      expect(Math.abs(pausedMs - 3 * MIN)).toBeLessThan(1_000);
      // A limit leg's horizon is its duration: ten minutes plus the pause.
      const deadline = leg.startedAt + 10 * MIN + pausedMs;
      expect(resumed.payload).toMatchObject({ deadline });
      // It ends once the broker confirms the cancel sent at the deadline (a round trip later).
      expect(leg).toMatchObject({ to: 'expired', reason: expect.stringMatching(/^horizon reached with 100 of 100 unfilled: the leg's limit price 100\.00 is below the ask \d+\.\d\d$/) });
      expect(leg.endedAt - deadline).toBeGreaterThanOrEqual(0);
      expect(leg.endedAt - deadline).toBeLessThan(1_000);
    }
  });
});

/** Runs RESTING with the given controls, stops it (Ctrl-C) at `stopAt`, and resumes it in a new process at `resumeAt`. */
async function interruptedAndResumed(world: World, stopAt: number, resumeAt: number, controls: [number, 'pause' | 'resume'][]) {
  const controller = new AbortController();
  const service = world.service({ signal: controller.signal });
  const { request, checked } = await start(world, RESTING, LIMIT, service);
  const t0 = world.clock.now();
  for (const [at, action] of controls) control(world, checked.runId, at, action);
  world.clock.setTimeout(() => controller.abort(), stopAt);
  const stopped = await world.clock.run(service.execute(checked));
  service.release();
  expect(stopped.status).toBe('interrupted');
  await world.broker.close();
  await world.clock.advance(t0 + resumeAt - world.clock.now());
  world.broker = world.newBroker();
  const resumed = world.service();
  const outcome = await world.clock.run(resumed.resume(checked.runId));
  resumed.release();
  if ('kind' in outcome) throw new Error('locked');
  expect(outcome.legs[0]).toMatchObject({ outcome: 'unfilled', reason: expect.stringMatching(/^horizon reached with 100 of 100 unfilled: the leg's limit price 100\.00 is below the ask \d+\.\d\d$/) });
  return checked.runId;
}
