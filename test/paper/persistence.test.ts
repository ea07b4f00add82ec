import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPaperBroker } from '../../src/brokers/paper/index.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { harness, MONDAY_MORNING, openStore, order, placeAndWait, tempDir } from './helpers.js';
import { connectionOf } from '../../src/store/connection.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('paper persistence', () => {
  it('a second broker instance on the same file sees the first one’s fills, prices and open orders', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'ptexec.db');
    const clock = new VirtualClock(MONDAY_MORNING);

    const first = harness({ store: openStore(path), clock });
    const buy = await placeAndWait(first, order({ clientOrderId: 'run1-buy', symbol: 'AXISBANK', quantity: 2_000 }));
    const [q] = await first.broker.quotes([{ symbol: 'BHARTIARTL', exchange: 'NSE' }]);
    const resting = q!.bid - 40 * 10;
    await clock.run(first.broker.placeOrder(order({ clientOrderId: 'run1-rest', symbol: 'BHARTIARTL', type: 'limit', limitPrice: resting, quantity: 3 })));
    const funds1 = await first.broker.funds();
    const quote1 = (await first.broker.quotes([{ symbol: 'AXISBANK', exchange: 'NSE' }]))[0]!;
    await first.broker.close();
    first.store.close();

    const store2 = openStore(path);
    const second = createPaperBroker({ tables: store2.brokerTables('paper'), clock, seed: 7 });
    await second.connect();
    expect(await second.funds()).toEqual(funds1);
    expect(await second.holdings()).toMatchObject([{ symbol: 'AXISBANK', t1Quantity: 2_000 }]);
    expect((await second.trades(buy)).reduce((s, t) => s + t.quantity, 0)).toBe(2_000);
    expect((await second.quotes([{ symbol: 'AXISBANK', exchange: 'NSE' }]))[0]).toEqual(quote1);
    const rest = (await second.findOrderByClientId('run1-rest'))!;
    expect(rest.status).toBe('accepted');
    // The resting order keeps working in the second instance.
    await clock.run(second.modifyOrder(rest.brokerOrderId, { limitPrice: q!.ask + 1_000 }));
    await clock.advance(5_000);
    expect((await second.findOrderByClientId('run1-rest'))!.status).toBe('filled');
    await second.close();
    store2.close();
  });

  it('keeps prices moved by permanent impact for later instances, and keeps broker order ids unique', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'ptexec.db');
    const clock = new VirtualClock(MONDAY_MORNING);
    const a = harness({ store: openStore(path), clock, cash: 1e12, config: { participationCap: 1 } });
    const id1 = await placeAndWait(a, order({ clientOrderId: 'push', symbol: 'DIVISLAB', quantity: 10_000 }));
    await a.broker.close();
    a.store.close();

    const untouched = harness({ store: openStore(), clock: new VirtualClock(clock.now()) });
    const b = harness({ store: openStore(path), clock: new VirtualClock(clock.now()) });
    const [moved] = await b.broker.quotes([{ symbol: 'DIVISLAB', exchange: 'NSE' }]);
    const [fresh] = await untouched.broker.quotes([{ symbol: 'DIVISLAB', exchange: 'NSE' }]);
    // 10,000 shares = 2% of ADV bought: the price stays above where the untouched market is.
    expect(moved!.last).toBeGreaterThan(fresh!.last);
    const id2 = (await b.clock.run(b.broker.placeOrder(order({ clientOrderId: 'next', symbol: 'DIVISLAB', side: 'sell', quantity: 1 })))).brokerOrderId;
    expect(id2).not.toBe(id1);
    await b.broker.close();
    await untouched.broker.close();
    b.store.close();
  });

  it('stops its market when the database refuses a write: nothing it could not save is reported, and a new instance goes on from what was saved', async () => {
    const clock = new VirtualClock(MONDAY_MORNING);
    const h = harness({ clock, cash: 1e12, config: { participationCap: 0.01 } });
    const { brokerOrderId } = await clock.run(h.broker.placeOrder(order({ clientOrderId: 'big', symbol: 'ITC', quantity: 200_000 })));
    await clock.advance(60_000);
    const tradesBefore = h.events.filter((e) => e.type === 'trade').length;
    expect(tradesBefore).toBeGreaterThan(0);
    // The file may not grow by another page: the next matching pass cannot save its trades.
    connectionOf(h.store).pragma(`max_page_count = ${connectionOf(h.store).pragma('page_count', { simple: true }) as number}`);
    await clock.advance(30 * 60_000);
    await expect(clock.run(h.broker.placeOrder(order({ clientOrderId: 'after' })))).rejects.toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/^the paper market stopped: it could not save its state \(database or disk is full\)/) });
    const reported = h.events.filter((e) => e.type === 'trade').map((e) => (e as { trade: { tradeId: string } }).trade.tradeId);
    // It stopped matching within the half hour (one pass a second would have reported 1,800 more).
    expect(reported.length).toBeLessThan(tradesBefore + 600);
    connectionOf(h.store).pragma('max_page_count = 1000000');
    const again = createPaperBroker({ tables: h.store.brokerTables('paper'), clock, seed: 7, config: { participationCap: 0.01 } });
    await again.connect();
    // Every trade the stopped market reported was saved, and nothing else was.
    expect((await again.trades(brokerOrderId)).map((t) => t.tradeId)).toEqual(reported);
    expect((await again.findOrderByClientId('after'))).toBeUndefined();
    await again.close();
    await h.broker.close();
  });
});
