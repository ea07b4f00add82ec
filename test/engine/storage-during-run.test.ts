import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { storePorts } from '../../src/app/factory/store-ports.js';
import type { Broker } from '../../src/brokers/broker.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { StorageError } from '../../src/domain/errors/storage-error.js';
import { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { openDatabase } from '../../src/app/database.js';
import { World, THIN_BOOK } from './world.js';
import { connectionOf } from '../../src/store/connection.js';
import { noLimits } from '../support/no-limits.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const TARGET = 'symbol,target_quantity\nRELIANCE,600\nTCS,250\nITC,4000\n';
const TWAP = { planOptions: { defaultExecution: { algo: 'twap', orderType: 'market', params: { duration: '10m', slices: 10, child_type: 'market' } } } } as const;

/**
 * The paper broker, checking at every placement that the order's intent is committed: read
 * through a second connection, which sees only what a crash would leave on disk.
 */
function checkingIntents(broker: Broker, dbPath: string, unrecorded: string[]): Broker {
  const reader = new Database(dbPath, { readonly: true });
  const intent = reader.prepare("SELECT count(*) FROM events WHERE type = 'order.status' AND json_extract(payload, '$.clientOrderId') = ? AND json_extract(payload, '$.to') = 'pending_submit'").pluck();
  return new Proxy(broker, {
    get(target, key) {
      if (key === 'placeOrder') {
        return (request: OrderRequest) => {
          if (!intent.get(request.clientOrderId)) unrecorded.push(request.clientOrderId!);
          return target.placeOrder(request);
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Starts the TWAP and runs it until the database fails under it (`sabotage` at the nth order intent). */
async function runUntilStorageFails(w: World, nthIntent: number, sabotage: () => void) {
  const unrecorded: string[] = [];
  let intents = 0;
  const service = new RebalanceService({
    log: w.store,
    ...storePorts(w.store),
    broker: checkingIntents(w.broker, w.dbPath, unrecorded),
    clock: w.clock,
    risk: { config: noLimits() },
    failpoint: (name) => {
      if (name === 'order-intent-recorded' && ++intents === nthIntent) sabotage();
    },
  });
  const request = w.request(TARGET, TWAP);
  const checked = await w.clock.run(service.plan(request));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  const error = await w.clock.run(service.execute(checked)).then(
    () => undefined,
    (err: unknown) => err,
  );
  service.release();
  return { runId: checked.runId, planned: Object.fromEntries(checked.plan.legs.map((l) => [l.symbol, l.quantity])), error, unrecorded };
}

/** A new process over the database at `w.dbPath`: resumes the run; every order once, every fill booked. */
async function resumeInNewProcess(w: World, runId: string, planned: Record<string, number>) {
  await w.broker.close();
  w.store = openDatabase(w.dbPath);
  w.broker = w.newBroker();
  const before = await w.brokerOrdersByClientId();
  const service = w.service({ runtimeOptions: { defaultHorizonMs: 60 * 60_000 } });
  const outcome = await w.clock.run(service.resume(runId));
  service.release();
  if ('kind' in outcome) throw new Error('locked');
  expect(outcome.status).toBe('completed');
  const after = await w.brokerOrdersByClientId();
  for (const id of before.keys()) expect(after.get(id)).toBe(1);
  expect([...after.values()].every((n) => n === 1)).toBe(true);
  const filled: Record<string, number> = {};
  for (const f of w.fills(runId)) filled[f.symbol] = (filled[f.symbol] ?? 0) + f.quantity;
  expect(filled).toEqual(planned);
  expect(await w.owned()).toEqual(planned);
}

/** Client order ids the paper broker holds without a committed intent in the event log. */
function ordersWithoutIntent(db: Database.Database): string[] {
  return db
    .prepare(
      "SELECT client_order_id FROM paper_orders p WHERE client_order_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM events e WHERE e.type = 'order.status' AND json_extract(e.payload, '$.clientOrderId') = p.client_order_id AND json_extract(e.payload, '$.to') = 'pending_submit')",
    )
    .pluck()
    .all() as string[];
}

describe('the database fails under a running rebalance', () => {
  it('a full disk stops the run resumably: nothing is sent without its intent on disk, and resuming after freeing space ends at the target with no order twice', async () => {
    world = new World({}, { model: THIN_BOOK });
    const w = world;
    // From the third order on, the file may not grow by a single page: SQLite answers SQLITE_FULL.
    const { runId, planned, error, unrecorded } = await runUntilStorageFails(w, 3, () => {
      connectionOf(w.store).pragma(`max_page_count = ${connectionOf(w.store).pragma('page_count', { simple: true }) as number}`);
    });
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ kind: 'full', runId, path: w.dbPath, resumable: true });
    expect(unrecorded).toEqual([]);
    expect(ordersWithoutIntent(connectionOf(w.store))).toEqual([]);
    const sent = await w.brokerOrdersByClientId();
    expect(sent.size).toBeGreaterThanOrEqual(3);
    // The run stopped mid-way: the market holds part of it, not all.
    expect(w.fills(runId).reduce((s, f) => s + f.quantity, 0)).toBeLessThan(Object.values(planned).reduce((s, q) => s + q, 0));
    // Freeing space is what a new process gets: its connection has no page limit.
    w.store.close();
    await resumeInNewProcess(w, runId, planned);
  });

  it.each([
    ['deleted', (path: string) => ['', '-wal', '-shm'].forEach((suffix) => rmSync(`${path}${suffix}`))],
    ['replaced by another file', (path: string) => {
      const other = `${path}.other`;
      new Database(other).close();
      renameSync(other, path);
    }],
  ])('a database file %s during the run stops it, with what it recorded saved next to it to resume from', async (how, sabotage) => {
    world = new World({}, { model: THIN_BOOK });
    const w = world;
    const { runId, planned, error, unrecorded } = await runUntilStorageFails(w, 3, () => sabotage(w.dbPath));
    expect(error).toBeInstanceOf(StorageError);
    const stopped = error as StorageError;
    expect(stopped).toMatchObject({ kind: 'replaced', runId, path: w.dbPath, resumable: true });
    expect(stopped.message).toBe(`the database file ${w.dbPath} was ${how} while ptexec was writing to it`);
    const rescued = readdirSync(dirname(w.dbPath)).filter((f) => f.startsWith('w.db.rescued-'));
    expect(rescued).toHaveLength(1);
    const copy = join(dirname(w.dbPath), rescued[0]!);
    expect(stopped.hint).toBe(`everything this process recorded is saved in ${copy}; to carry on with it, move it back (\`mv ${copy} ${w.dbPath}\`)`);
    expect(unrecorded).toEqual([]);
    await w.broker.close();
    w.store.close();
    // What the user does: put the saved copy back, then resume.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${w.dbPath}${suffix}`, { force: true });
    renameSync(copy, w.dbPath);
    expect(existsSync(copy)).toBe(false);
    const saved = new Database(w.dbPath, { readonly: true });
    expect(ordersWithoutIntent(saved)).toEqual([]);
    // The intent recorded just before the file went away is in the saved copy.
    expect(saved.prepare("SELECT count(*) FROM events WHERE type = 'order.status' AND json_extract(payload, '$.to') = 'pending_submit'").pluck().get()).toBeGreaterThanOrEqual(3);
    saved.close();
    await resumeInNewProcess(w, runId, planned);
  });
});
