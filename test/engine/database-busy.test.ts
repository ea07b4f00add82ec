import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { busyPolicy } from '../../src/app/busy-policy.js';
import { World } from './world.js';
import { connectionOf } from '../../src/store/connection.js';

/**
 * Another process holds the database's write lock (BEGIN IMMEDIATE on a second connection) for
 * longer than the busy timeout while a run trades: the run waits with backoff and carries on, or,
 * past its limit, stops resumably. Nothing may escape from a timer (vitest fails the file on an
 * uncaught exception), nothing is sent twice and no fill is lost.
 */
let world: World | undefined;
let other: Database.Database | undefined;
afterEach(async () => {
  if (other?.inTransaction) other.exec('ROLLBACK');
  other?.close();
  other = undefined;
  await world?.close();
  world = undefined;
});

const TARGET = 'symbol,target_quantity\nTCS,60\nINFY,90\nITC,400\n';
const TWAP = { planOptions: { defaultExecution: { algo: 'twap', orderType: 'limit' as const, params: { duration: '10m', slices: 5, child_type: 'market' } } } };

/** A world whose store gives up on a locked database after 20 ms, and a second connection to hold it. */
function contended(): { world: World; other: Database.Database } {
  world = new World();
  connectionOf(world.store).pragma('busy_timeout = 20');
  other = new Database(world.dbPath);
  other.pragma('busy_timeout = 20');
  return { world, other };
}

async function start(w: World, busy: { pauseBeforeRetry(attempt: number): number | undefined }) {
  const service = w.service({ busy });
  const request = w.request(TARGET, TWAP);
  const checked = await w.clock.run(service.plan(request));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  return { service, request, checked };
}

function expectBooksBalance(w: World, runId: string, counts: Map<string, number>): void {
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  const brokerTrades = connectionOf(w.store).prepare('SELECT trade_id FROM paper_trades ORDER BY trade_id').pluck().all();
  const fills = connectionOf(w.store).prepare('SELECT trade_id FROM fills WHERE run_id = ? ORDER BY trade_id').pluck().all(runId);
  expect(fills).toEqual(brokerTrades);
}

describe('a run while another process holds the database', () => {
  it('waits with backoff, then carries on: completed, nothing sent twice, no fill lost', async () => {
    const { world: w, other: holder } = contended();
    const pauses: number[] = [];
    const { service, request, checked } = await start(w, {
      pauseBeforeRetry(attempt) {
        pauses.push(attempt);
        if (attempt === 3) holder.exec('COMMIT');
        return 250 * 2 ** (attempt - 1);
      },
    });
    // Two minutes in, with slices working, the other process takes the write lock.
    w.clock.setTimeout(() => holder.exec('BEGIN IMMEDIATE'), 120_000);
    const outcome = await w.clock.run(service.execute(checked));
    service.release();
    expect(pauses).toEqual([1, 2, 3]);
    expect(outcome.status).toBe('completed');
    expect(await w.owned()).toEqual({ TCS: 60, INFY: 90, ITC: 400 });
    expectBooksBalance(w, checked.runId, await w.brokerOrdersByClientId());
  });

  it('past its limit it stops resumably, naming the database; resume then completes it', async () => {
    const { world: w, other: holder } = contended();
    const { service, request, checked } = await start(w, {
      pauseBeforeRetry(attempt) {
        if (attempt < 4) return 250;
        // The other process finishes just as the run gives up waiting.
        holder.exec('COMMIT');
        return undefined;
      },
    });
    w.clock.setTimeout(() => holder.exec('BEGIN IMMEDIATE'), 120_000);
    const outcome = await w.clock.run(service.execute(checked));
    expect(outcome.status).toBe('interrupted');
    expect(outcome.reason).toContain(`the database ${w.dbPath} is locked: another process is writing`);
    // The run's last status is recorded once the database is free again, and its lock released.
    service.release();
    const run = connectionOf(w.store).prepare('SELECT status, reason FROM runs WHERE run_id = ?').get(checked.runId) as { status: string; reason: string };
    expect(run.status).toBe('interrupted');
    expect(run.reason).toContain('another process is writing');
    expect(connectionOf(w.store).prepare('SELECT count(*) FROM locks').pluck().get()).toBe(0);

    await w.broker.close();
    w.broker = w.newBroker();
    const resumed = w.service({ runtimeOptions: { defaultHorizonMs: 60 * 60_000 } });
    const done = await w.clock.run(resumed.resume(checked.runId));
    resumed.release();
    if ('kind' in done) throw new Error('locked');
    expect(done.status).toBe('completed');
    expect(await w.owned()).toEqual({ TCS: 60, INFY: 90, ITC: 400 });
    expectBooksBalance(w, checked.runId, await w.brokerOrdersByClientId());
  });

  it('from the CLI, a run waits only while its account lock cannot look stale to another process', () => {
    let now = 0;
    const tries = (policy: ReturnType<typeof busyPolicy>) => {
      const pauses: number[] = [];
      for (let attempt = 1; ; attempt++) {
        const pause = policy.pauseBeforeRetry(attempt);
        if (pause === undefined) return pauses;
        pauses.push(pause);
        now += pause + 5_000; // each try waits for the busy timeout
      }
    };
    // The lease ends 30 s from now: the last try must be over before it does.
    expect(tries(busyPolicy(() => 30_000, () => now))).toEqual([250, 500, 1_000, 2_000]);
    expect(now).toBeLessThanOrEqual(30_000);
    // Holding no lock, it still stops after a bounded number of tries.
    expect(tries(busyPolicy(() => Infinity, () => now))).toEqual([250, 500, 1_000, 2_000, 4_000, 4_000, 4_000, 4_000]);
  });
});
