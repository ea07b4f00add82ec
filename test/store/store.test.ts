import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent, PayloadOf } from '../../src/domain/events/index.js';
import type { OrderStatus } from '../../src/domain/order.js';
import { fillJson, orderJson } from '../../src/app/render/rows.js';
import { AccountLock } from '../../src/store/account-lock.js';
import { findRun, findRunState, latestRun, listFills, listOrders } from '../../src/store/queries.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { connectionOf } from '../../src/store/connection.js';
import { SqliteOrderHistory } from '../../src/store/risk-queries.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-store-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function runEvents(runId: string): NewEvent[] {
  const order = (id: string, parentId: string | undefined, qty: number): NewEvent => ({
    runId,
    type: 'order.created',
    marketTs: 1,
    payload: { clientOrderId: id, parentId, leg: 0, broker: 'paper', account: 'A', symbol: 'TCS', exchange: 'NSE', side: 'buy', type: 'market', quantity: qty, timeInForce: 'day', product: 'delivery', algo: 'twap' },
  });
  const status = (id: string, from: OrderStatus, to: OrderStatus, extra: object = {}): NewEvent => ({ runId, type: 'order.status', marketTs: 2, payload: { clientOrderId: id, from, to, ...extra } });
  const fill = (id: string, tradeId: string, quantity: number, price: number): NewEvent => ({
    runId,
    type: 'fill.recorded',
    marketTs: 3,
    payload: { clientOrderId: id, tradeId, brokerOrderId: 'B1', broker: 'paper', account: 'A', symbol: 'TCS', exchange: 'NSE', side: 'buy', quantity, price, ts: 3 },
  });
  return [
    { runId, type: 'run.created', marketTs: 0, payload: { runId, broker: 'paper', account: 'A', tradingDate: '2026-01-05', targetHash: 'h', source: 'p.json', dryRun: false, options: {} } },
    { runId, type: 'run.status', marketTs: 0, payload: { status: 'running' } },
    order(`${runId}L0`, undefined, 10),
    status(`${runId}L0`, 'created', 'accepted'),
    order(`${runId}L0C1`, `${runId}L0`, 10),
    status(`${runId}L0C1`, 'created', 'pending_submit'),
    status(`${runId}L0C1`, 'pending_submit', 'accepted', { brokerOrderId: 'B1' }),
    fill(`${runId}L0C1`, `${runId}T1`, 4, 350005),
    status(`${runId}L0C1`, 'accepted', 'partially_filled'),
    fill(`${runId}L0C1`, `${runId}T2`, 6, 350010),
    status(`${runId}L0C1`, 'partially_filled', 'filled'),
    status(`${runId}L0`, 'accepted', 'filled'),
    { runId, type: 'run.status', marketTs: 4, payload: { status: 'completed', summary: { legs: 1 } } },
  ];
}

function projections(store: Store) {
  return {
    runs: connectionOf(store).prepare('SELECT * FROM runs ORDER BY run_id').all(),
    orders: connectionOf(store).prepare('SELECT * FROM orders ORDER BY client_order_id').all(),
    fills: connectionOf(store).prepare('SELECT * FROM fills ORDER BY broker, trade_id').all(),
    positions: connectionOf(store).prepare('SELECT * FROM positions ORDER BY symbol').all(),
  };
}

describe('event store', () => {
  it('appends events with increasing sequence numbers and projects them in the same transaction', () => {
    const store = openDatabase(tempDb());
    const stored = store.append(runEvents('r1'));
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    const p = projections(store);
    expect(p.runs).toMatchObject([{ run_id: 'r1', status: 'completed' }]);
    expect(p.orders).toMatchObject([
      { client_order_id: 'r1L0', status: 'filled', filled_quantity: 10, filled_value: 4 * 350005 + 6 * 350010 },
      { client_order_id: 'r1L0C1', status: 'filled', broker_order_id: 'B1', filled_quantity: 10 },
    ]);
    expect(p.positions).toMatchObject([{ symbol: 'TCS', quantity: 10, bought_value: 4 * 350005 + 6 * 350010, sold_value: 0 }]);
    store.close();
  });

  it('projects every field an order event carries, and keeps broker details a later status leaves out', () => {
    const store = openDatabase(tempDb());
    // Each event is recorded one wall-clock millisecond after the previous one, from 5000.
    let wall = 5_000;
    store.wallClock = () => wall++;
    const runId = 'r3';
    const created = (id: string, extra: Partial<PayloadOf<'order.created'>>): NewEvent => ({
      runId,
      type: 'order.created',
      marketTs: 10,
      payload: { clientOrderId: id, leg: 2, broker: 'paper', account: 'A', symbol: 'INFY', exchange: 'NSE', side: 'sell', type: 'limit', quantity: 5, timeInForce: 'ioc', product: 'intraday', ...extra },
    });
    store.append([
      created('P', { algo: 'pov', limitPrice: 150000, arrivalPrice: 150100, decisionPrice: 150200 }),
      created('C', { parentId: 'P', limitPrice: 150005, triggerPrice: 149000 }),
      { runId, type: 'order.status', marketTs: 11, payload: { clientOrderId: 'C', from: 'created', to: 'accepted', brokerOrderId: 'X9', brokerStatus: 'OPEN' } },
      { runId, type: 'order.status', marketTs: 12, payload: { clientOrderId: 'C', from: 'accepted', to: 'pending_cancel', reason: 'horizon reached' } },
      { runId, type: 'fill.recorded', marketTs: 13, payload: { clientOrderId: 'C', tradeId: 'T1', brokerOrderId: 'X9', broker: 'paper', account: 'A', symbol: 'INFY', exchange: 'NSE', side: 'sell', quantity: 2, price: 150010, ts: 12 } },
      { runId, type: 'order.status', marketTs: 14, payload: { clientOrderId: 'C', from: 'pending_cancel', to: 'cancelled' } },
    ]);
    const row = (id: string) => connectionOf(store).prepare('SELECT * FROM orders WHERE client_order_id = ?').get(id);
    expect(row('P')).toEqual({
      client_order_id: 'P', run_id: runId, parent_id: null, leg: 2, broker: 'paper', account: 'A', symbol: 'INFY', exchange: 'NSE', side: 'sell', type: 'limit', quantity: 5,
      limit_price: 150000, trigger_price: null, time_in_force: 'ioc', product: 'intraday', algo: 'pov', status: 'created', broker_order_id: null, broker_status: null, reason: null,
      filled_quantity: 2, filled_value: 300020, arrival_price: 150100, decision_price: 150200, created_at: 5_000, updated_at: 5_004, market_created_at: 10, market_updated_at: 13,
      link_group: null,
    });
    expect(row('C')).toMatchObject({
      parent_id: 'P', limit_price: 150005, trigger_price: 149000, algo: null, arrival_price: null, status: 'cancelled', broker_order_id: 'X9', broker_status: 'OPEN',
      reason: 'horizon reached', filled_quantity: 2, filled_value: 300020, created_at: 5_001, updated_at: 5_005, market_created_at: 10, market_updated_at: 14,
    });
    expect(connectionOf(store).prepare('SELECT * FROM fills').all()).toEqual([
      { broker: 'paper', trade_id: 'T1', client_order_id: 'C', broker_order_id: 'X9', run_id: runId, account: 'A', symbol: 'INFY', exchange: 'NSE', side: 'sell', quantity: 2, price: 150010, ts: 12, seq: 5 },
    ]);
    expect(connectionOf(store).prepare('SELECT * FROM positions').all()).toEqual([
      { broker: 'paper', account: 'A', exchange: 'NSE', symbol: 'INFY', quantity: -2, bought_value: 0, sold_value: 300020, updated_at: 5_004 },
    ]);
    store.close();
  });

  it('stamps every event with its own wall clock, and keeps the engine\'s market time beside it', () => {
    const store = openDatabase(tempDb());
    const wall = Date.UTC(2026, 11, 3, 10, 0, 0);
    const simulated = wall + 3 * 86_400_000;
    store.wallClock = () => wall;
    // A simulated market three days ahead, then an event of no engine (a halt from another terminal).
    const events: NewEvent[] = [...runEvents('r1').map((e) => ({ ...e, marketTs: simulated + (e.marketTs ?? 0) })), { runId: null, type: 'risk.halted', payload: { reason: 'x', cancelOpen: false, actor: 't' } }];
    const stored = store.append(events);
    expect(stored.every((e) => e.ts === wall)).toBe(true);
    expect(stored.map((e) => e.marketTs)).toEqual(events.map((e) => e.marketTs));
    expect(store.events().map((e) => [e.ts, e.marketTs])).toEqual(stored.map((e) => [e.ts, e.marketTs]));
    expect(store.events().at(-1)).not.toHaveProperty('marketTs');
    expect(store.lastMarketTs()).toBe(simulated + 4);
    // Projections: recorded at the wall-clock time; the order's and the fill's market times kept.
    expect(connectionOf(store).prepare('SELECT created_at, updated_at FROM runs').get()).toEqual({ created_at: wall, updated_at: wall });
    expect(connectionOf(store).prepare("SELECT created_at, market_created_at, market_updated_at FROM orders WHERE client_order_id = 'r1L0C1'").get()).toEqual({
      created_at: wall,
      market_created_at: simulated + 1,
      market_updated_at: simulated + 2,
    });
    expect(connectionOf(store).prepare('SELECT DISTINCT ts FROM fills').pluck().all()).toEqual([3]);
    expect(connectionOf(store).prepare('SELECT at FROM risk_halt').pluck().get()).toBe(wall);
    // What `orders --json` and `fills --json` print: both times, each named.
    const iso = (t: number) => new Date(t).toISOString();
    expect(orderJson(listOrders(store, { runId: 'r1', childrenOnly: true })[0]!)).toMatchObject({ created_at: iso(wall), market_created_at: iso(simulated + 1), market_updated_at: iso(simulated + 2) });
    expect(fillJson(listFills(store, { runId: 'r1' })[0]!)).toMatchObject({ time: iso(3), recorded_at: iso(wall) });
    store.close();
  });

  it('reads the market time of events recorded before it was kept apart from their time', () => {
    const store = openDatabase(tempDb());
    const future = Date.now() + 86_400_000;
    connectionOf(store).prepare("INSERT INTO events (run_id, ts, type, payload) VALUES ('r0', ?, 'run.alert', '{}')").run(future);
    expect(store.events()[0]).toEqual({ seq: 1, runId: 'r0', ts: future, type: 'run.alert', payload: {} });
    expect(store.lastMarketTs()).toBe(future);
    store.close();
  });

  it('numbers events without gaps across many-row steps, and reads within a step see what it appended', () => {
    const store = openDatabase(tempDb());
    const alert = (i: number): NewEvent => ({ runId: i % 2 ? 'r1' : null, type: 'run.alert', marketTs: i, payload: { level: 'info', source: 't', message: `m${i}` } });
    const first = store.append(Array.from({ length: 7 }, (_, i) => alert(i)));
    let seen = -1;
    // 37 rows: two full multi-row inserts and a tail of five.
    const second = store.transaction(() => {
      const stored = Array.from({ length: 37 }, (_, i) => store.append(alert(7 + i))[0]!);
      seen = store.events().length;
      expect(store.lastSeq()).toBe(44);
      return stored;
    });
    expect(seen).toBe(44);
    expect([...first, ...second].map((e) => e.seq)).toEqual(Array.from({ length: 44 }, (_, i) => i + 1));
    // What the table holds is what append returned, row for row.
    expect(store.events().map((e) => [e.seq, e.runId, e.marketTs, (e.payload as { message: string }).message])).toEqual(
      Array.from({ length: 44 }, (_, i) => [i + 1, i % 2 ? 'r1' : null, i, `m${i}`]),
    );
    // A step that fails leaves nothing behind, and the numbering goes on from the last commit.
    expect(() =>
      store.transaction(() => {
        for (let i = 0; i < 20; i++) store.append(alert(100 + i));
        throw new Error('step failed');
      }),
    ).toThrow('step failed');
    expect(store.lastSeq()).toBe(44);
    expect(store.append(alert(200))[0]!.seq).toBe(45);
    // A second connection (another process) appending in between is not overwritten.
    const other = openDatabase(connectionOf(store).name);
    other.append(alert(300));
    other.close();
    expect(store.transaction(() => store.append([alert(301), alert(302)])).map((e) => e.seq)).toEqual([47, 48]);
    expect(store.events({ afterSeq: 44 }).map((e) => (e.payload as { message: string }).message)).toEqual(['m200', 'm300', 'm301', 'm302']);
    store.close();
  });

  it('writes an order row once per step, as it would be after each of the step\'s events, and reads within the step see it', () => {
    const clockOf = (store: Store) => {
      let now = 1_000;
      store.wallClock = () => ++now;
    };
    // One event per commit: each change written as it comes.
    const eventByEvent = openDatabase(tempDb());
    clockOf(eventByEvent);
    for (const e of runEvents('r1')) eventByEvent.append(e);
    // The same events in one step: the order rows' changes held, then written once each.
    const oneStep = openDatabase(tempDb());
    clockOf(oneStep);
    const db = connectionOf(oneStep);
    const changes = db.prepare('SELECT total_changes()').pluck();
    const history = new SqliteOrderHistory(oneStep);
    const before = changes.get() as number;
    let working: unknown[] = [];
    let seenInStep: unknown;
    oneStep.transaction(() => {
      const events = runEvents('r1');
      oneStep.append(events.slice(0, 7));
      // A read in the step (the risk checks' prepared statements) sees the acknowledged child.
      working = history.workingOrders({ broker: 'paper', account: 'A' });
      oneStep.append(events.slice(7));
      seenInStep = listOrders(oneStep, { runId: 'r1' }).map((o) => [o.client_order_id, o.status, o.filled_quantity]);
    });
    expect(working.map((o) => (o as { clientOrderId: string }).clientOrderId)).toEqual(['r1L0C1']);
    expect(seenInStep).toEqual([
      ['r1L0', 'filled', 10],
      ['r1L0C1', 'filled', 10],
    ]);
    expect(projections(oneStep)).toEqual(projections(eventByEvent));
    // Rows written: the run (inserted, two statuses), 2 orders inserted, 2 fills, the position
    // twice, the child's send and its acknowledgement, 13 events; and the parent and child
    // updated twice each (before and after the read), not once per event (10 times).
    expect((changes.get() as number) - before).toBe(28);
    // A step that fails holds nothing over into the next.
    expect(() =>
      oneStep.transaction(() => {
        oneStep.append({ runId: 'r1', type: 'order.status', payload: { clientOrderId: 'r1L0C1', from: 'filled', to: 'cancelled' } });
        throw new Error('step failed');
      }),
    ).toThrow('step failed');
    oneStep.append({ runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'x' } });
    expect(listOrders(oneStep, { runId: 'r1' }).map((o) => o.status)).toEqual(['filled', 'filled']);
    eventByEvent.close();
    oneStep.close();
  });

  it('starts the WAL over when it checkpoints while idle, so the next commit does not have to', () => {
    const store = openDatabase(tempDb());
    for (let i = 0; i < 600; i++) store.append({ runId: 'r1', type: 'run.alert', marketTs: i, payload: { level: 'info', source: 't', message: `m${i}` } });
    store.idle();
    // Only the one-page write that restarted it is left in the log.
    expect(connectionOf(store).pragma('wal_checkpoint(PASSIVE)')).toEqual([{ busy: 0, log: 1, checkpointed: 1 }]);
    expect(store.events().length).toBe(600);
    store.close();
  });

  it('rebuilds every projection exactly from the events', () => {
    const store = openDatabase(tempDb());
    store.append(runEvents('r1'));
    store.append(runEvents('r2'));
    const before = projections(store);
    connectionOf(store).exec("UPDATE orders SET status = 'corrupted'; DELETE FROM fills; UPDATE positions SET quantity = 999");
    store.rebuildProjections();
    expect(projections(store)).toEqual(before);
    store.close();
  });

  it('rolls back the events of a step when one of them fails to project', () => {
    const store = openDatabase(tempDb());
    store.append(runEvents('r1'));
    const seq = store.lastSeq();
    const dupFill = runEvents('r1').filter((e) => e.type === 'fill.recorded').slice(0, 1);
    expect(() => store.append([{ runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'x' } }, ...dupFill])).toThrow(/UNIQUE/);
    expect(store.lastSeq()).toBe(seq);
    store.close();
  });

  it('filters events by run, type and sequence', () => {
    const store = openDatabase(tempDb());
    store.append(runEvents('r1'));
    store.append(runEvents('r2'));
    expect(store.events({ runId: 'r2', types: ['fill.recorded'] }).map((e) => (e.payload as { tradeId: string }).tradeId)).toEqual(['r2T1', 'r2T2']);
    const all = store.events();
    expect(store.events({ afterSeq: all[all.length - 3]!.seq }).length).toBe(2);
    store.close();
  });

  it('is shared between connections: a second process sees what the first wrote', () => {
    const path = tempDb();
    const writer = openDatabase(path);
    const reader = openDatabase(path, { readonly: true });
    writer.append(runEvents('r1'));
    expect(reader.events({ runId: 'r1' }).length).toBe(runEvents('r1').length);
    writer.close();
    reader.close();
  });
});

describe('account lock', () => {
  it('lets one run hold an account and tells the next who holds it', () => {
    const path = tempDb();
    const a = new AccountLock(openDatabase(path));
    const b = new AccountLock(openDatabase(path));
    expect(a.acquire('paper:A', 'r1')).toEqual({ ok: true });
    const second = b.acquire('paper:A', 'r2');
    expect(second.ok).toBe(false);
    expect(second.ok === false && second.holder).toMatchObject({ runId: 'r1', pid: process.pid });
    expect(b.acquire('paper:B', 'r2')).toEqual({ ok: true });
    a.release('paper:A', 'r1');
    expect(b.acquire('paper:A', 'r2')).toEqual({ ok: true });
  });

  it('takes over a lock left by a process that no longer exists', () => {
    const store = openDatabase(tempDb());
    connectionOf(store).prepare('INSERT INTO locks (lock_key, run_id, pid, hostname, acquired_at) VALUES (?, ?, ?, ?, ?)').run('paper:A', 'old', 2 ** 22 + 12345, require('node:os').hostname(), 0);
    expect(new AccountLock(store).acquire('paper:A', 'new')).toEqual({
      ok: true,
      tookOver: { holder: expect.objectContaining({ runId: 'old', pid: 2 ** 22 + 12345 }), why: `process ${2 ** 22 + 12345} is no longer running` },
    });
  });
});

describe('a run found without its row', () => {
  it('findRunState finds what findRun and latestRun find (an id, a unique prefix, the latest), with its id, status and dry-run flag only', () => {
    const store = openDatabase(tempDb());
    for (const runId of ['r-aaaa-1', 'r-aaaa-2', 'r-bbbb-1']) for (const e of runEvents(runId)) store.append(e);
    const state = (row: { run_id: string; status: string; dry_run: number } | undefined) => row && { run_id: row.run_id, status: row.status, dry_run: row.dry_run };
    expect(findRunState(store)).toEqual(state(latestRun(store)));
    expect(findRunState(store, 'r-aaaa-2')).toEqual({ run_id: 'r-aaaa-2', status: 'completed', dry_run: 0 });
    for (const id of ['r-bbbb', 'r-aaaa', 'r-a', 'r-zzzz', 'r-aaaa-1']) expect(findRunState(store, id)).toEqual(state(findRun(store, id)));
    expect(findRunState(store, 'r-bbbb')?.run_id).toBe('r-bbbb-1');
    expect(findRunState(store, 'r-aaaa')).toBeUndefined();
    store.close();
  });
});
