import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import type { Factory } from '../../src/app/factory.js';
import { syncLeftWorking } from '../../src/app/orders-sync-service.js';
import { runLegs } from '../../src/app/run-legs.js';
import { connectionOf } from '../../src/store/connection.js';
import type { Store } from '../../src/store/store.js';

const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));

/** A store holding one run's orders as the projection records them: `parents` legs, each with `childrenEach` orders sent. */
function storeWithOrders(parents: number, childrenEach: number, child: (leg: number, i: number) => { status?: string; linkGroup?: string } = () => ({})): Store {
  const store = openDatabase(':memory:');
  opened.push(store);
  const insert = connectionOf(store).prepare(`INSERT INTO orders (client_order_id, run_id, parent_id, leg, broker, account, symbol, exchange, side, type, quantity, time_in_force, product, status, link_group, created_at, updated_at)
    VALUES (?, 'R1', ?, ?, 'paper', 'PAPER1', ?, 'NSE', 'buy', 'limit', 10, 'day', 'delivery', ?, ?, ?, ?)`);
  connectionOf(store).transaction(() => {
    let at = 0;
    for (let leg = 0; leg < parents; leg++) insert.run(`R1-P${leg}`, null, leg, `S${leg}`, 'filled', null, at, at++);
    for (let i = 0; i < childrenEach; i++) {
      for (let leg = 0; leg < parents; leg++) {
        const c = child(leg, i);
        insert.run(`R1-P${leg}C${i}`, `R1-P${leg}`, leg, `S${leg}`, c.status ?? 'filled', c.linkGroup ?? null, at, at++);
      }
    }
  })();
  return store;
}

describe('nothing is left out silently', () => {
  it('orders sync reports every order a run left working, however many orders the run sent before them', async () => {
    // 10,000 orders sent, then a bracket's exits: the exits were past the first 10,000 read.
    const store = storeWithOrders(1, 10_003, (_, i) => (i >= 10_000 ? { status: 'accepted', linkGroup: 'G1' } : {}));
    const factory = { chooseBroker: async () => 'paper', broker: async () => ({ id: 'paper', account: 'PAPER1' }), catchUpLeftWorking: async () => ['R1'], store: () => store } as unknown as Factory;
    const synced = await syncLeftWorking(factory);
    expect(synced.orders.map((o) => o.client_order_id)).toEqual(['R1-P0C10000', 'R1-P0C10001', 'R1-P0C10002']);
  });

  it('runs show lists every leg, with what its orders say, however many orders they sent', () => {
    const store = storeWithOrders(1_500, 3, (leg) => (leg % 2 ? { status: 'rejected' } : {}));
    connectionOf(store).prepare("UPDATE orders SET filled_quantity = quantity WHERE parent_id IS NULL AND leg % 2 = 0").run();
    connectionOf(store).prepare("UPDATE orders SET status = 'cancelled' WHERE parent_id IS NULL AND leg % 2 = 1").run();
    const legs = runLegs(store, 'R1');
    expect(legs).toHaveLength(1_500);
    expect(legs.map((l) => l.order.leg)).toEqual([...Array(1_500).keys()]);
    expect(legs[0]!.status).toBe('complete');
    expect(legs[1]!.status).toBe('rejected');
  });
});
