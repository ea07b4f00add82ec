import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/domain/events.js';
import { AccountLock } from '../../src/store/account-lock.js';
import { Store } from '../../src/store/store.js';

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
  const order = (id: string, parentId: string | undefined, qty: number) => ({
    runId,
    type: 'order.created',
    ts: 1,
    payload: { clientOrderId: id, parentId, leg: 0, broker: 'paper', account: 'A', symbol: 'TCS', exchange: 'NSE', side: 'buy', type: 'market', quantity: qty, timeInForce: 'day', product: 'delivery', algo: 'twap' },
  });
  const status = (id: string, from: string, to: string, extra: object = {}) => ({ runId, type: 'order.status', ts: 2, payload: { clientOrderId: id, from, to, ...extra } });
  const fill = (id: string, tradeId: string, quantity: number, price: number) => ({
    runId,
    type: 'fill.recorded',
    ts: 3,
    payload: { clientOrderId: id, tradeId, brokerOrderId: 'B1', broker: 'paper', account: 'A', symbol: 'TCS', exchange: 'NSE', side: 'buy', quantity, price, ts: 3 },
  });
  return [
    { runId, type: 'run.created', ts: 0, payload: { runId, broker: 'paper', account: 'A', tradingDate: '2026-01-05', targetHash: 'h', source: 'p.json', dryRun: false, options: {} } },
    { runId, type: 'run.status', ts: 0, payload: { status: 'running' } },
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
    { runId, type: 'run.status', ts: 4, payload: { status: 'completed', summary: { legs: 1 } } },
  ];
}

function projections(store: Store) {
  return {
    runs: store.db.prepare('SELECT * FROM runs ORDER BY run_id').all(),
    orders: store.db.prepare('SELECT * FROM orders ORDER BY client_order_id').all(),
    fills: store.db.prepare('SELECT * FROM fills ORDER BY broker, trade_id').all(),
    positions: store.db.prepare('SELECT * FROM positions ORDER BY symbol').all(),
  };
}

describe('event store', () => {
  it('appends events with increasing sequence numbers and projects them in the same transaction', () => {
    const store = Store.open(tempDb());
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

  it('rebuilds every projection exactly from the events', () => {
    const store = Store.open(tempDb());
    store.append(runEvents('r1'));
    store.append(runEvents('r2'));
    const before = projections(store);
    store.db.exec("UPDATE orders SET status = 'corrupted'; DELETE FROM fills; UPDATE positions SET quantity = 999");
    store.rebuildProjections();
    expect(projections(store)).toEqual(before);
    store.close();
  });

  it('rolls back the events of a step when one of them fails to project', () => {
    const store = Store.open(tempDb());
    store.append(runEvents('r1'));
    const seq = store.lastSeq();
    const dupFill = runEvents('r1').filter((e) => e.type === 'fill.recorded').slice(0, 1);
    expect(() => store.append([{ runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'x' } }, ...dupFill])).toThrow(/UNIQUE/);
    expect(store.lastSeq()).toBe(seq);
    store.close();
  });

  it('filters events by run, type and sequence', () => {
    const store = Store.open(tempDb());
    store.append(runEvents('r1'));
    store.append(runEvents('r2'));
    expect(store.events({ runId: 'r2', types: ['fill.recorded'] }).map((e) => (e.payload as { tradeId: string }).tradeId)).toEqual(['r2T1', 'r2T2']);
    const all = store.events();
    expect(store.events({ afterSeq: all[all.length - 3]!.seq }).length).toBe(2);
    store.close();
  });

  it('is shared between connections: a second process sees what the first wrote', () => {
    const path = tempDb();
    const writer = Store.open(path);
    const reader = Store.open(path, { readonly: true });
    writer.append(runEvents('r1'));
    expect(reader.events({ runId: 'r1' }).length).toBe(runEvents('r1').length);
    writer.close();
    reader.close();
  });
});

describe('account lock', () => {
  it('lets one run hold an account and tells the next who holds it', () => {
    const path = tempDb();
    const a = new AccountLock(Store.open(path));
    const b = new AccountLock(Store.open(path));
    expect(a.acquire('paper:A', 'r1')).toEqual({ ok: true });
    const second = b.acquire('paper:A', 'r2');
    expect(second.ok).toBe(false);
    expect(second.ok === false && second.holder).toMatchObject({ runId: 'r1', pid: process.pid });
    expect(b.acquire('paper:B', 'r2')).toEqual({ ok: true });
    a.release('paper:A', 'r1');
    expect(b.acquire('paper:A', 'r2')).toEqual({ ok: true });
  });

  it('takes over a lock left by a process that no longer exists', () => {
    const store = Store.open(tempDb());
    store.db.prepare('INSERT INTO locks (lock_key, run_id, pid, hostname, acquired_at) VALUES (?, ?, ?, ?, ?)').run('paper:A', 'old', 2 ** 22 + 12345, require('node:os').hostname(), 0);
    expect(new AccountLock(store).acquire('paper:A', 'new')).toEqual({ ok: true });
  });
});
