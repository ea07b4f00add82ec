import { describe, expect, it } from 'vitest';
import { paperAccountSummary, resetPaperAccount } from '../../src/brokers/paper/index.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { harness, order, placeAndWait } from './helpers.js';

describe('paper account', () => {
  it('starts with ₹1,00,00,000 and books buys and sells exact to the paisa', async () => {
    const h = harness();
    const start = await h.broker.funds();
    expect(start).toEqual({ currency: 'INR', available: 1_000_000_000, used: 0 });
    const buy = await placeAndWait(h, order({ clientOrderId: 'b', symbol: 'HDFCBANK', quantity: 700 }));
    const sell = await placeAndWait(h, order({ clientOrderId: 's', symbol: 'HDFCBANK', side: 'sell', quantity: 250 }));
    const bought = (await h.broker.trades(buy)).reduce((sum, t) => sum + t.quantity * t.price, 0);
    const sold = (await h.broker.trades(sell)).reduce((sum, t) => sum + t.quantity * t.price, 0);
    const funds = await h.broker.funds();
    expect(funds.available).toBe(1_000_000_000 - bought + sold);
    const [holding] = await h.broker.holdings();
    expect(holding).toMatchObject({ symbol: 'HDFCBANK', exchange: 'NSE', quantity: 0, t1Quantity: 450 });
    expect(holding!.averagePrice).toBeCloseTo(bought / 700, 0);
    const positions = await h.broker.positions();
    expect(positions).toEqual([{ symbol: 'HDFCBANK', exchange: 'NSE', quantity: 450, averagePrice: bought / 700, product: 'delivery' }]);
    const summary = paperAccountSummary(h.store.brokerTables('paper'), { now: h.clock.now() });
    expect(summary.cash).toBe(funds.available);
    expect(summary.tradesToday).toBe((await h.broker.trades()).length);
    expect(summary.openOrders).toBe(0);
    expect(summary.holdings[0]!.value).toBe(450 * summary.holdings[0]!.lastPrice!);
    await h.broker.close();
  });

  it('settles T+1 quantity on the next weekday (Friday → Monday)', async () => {
    const friday = Date.UTC(2026, 0, 9, 5, 0, 0);
    const h = harness({ clock: new VirtualClock(friday) });
    await placeAndWait(h, order({ clientOrderId: 'f', symbol: 'ITC', quantity: 100 }));
    expect((await h.broker.holdings())[0]).toMatchObject({ quantity: 0, t1Quantity: 100 });
    await h.clock.advance(24 * 3_600_000); // Saturday
    expect((await h.broker.holdings())[0]).toMatchObject({ quantity: 0, t1Quantity: 100 });
    await h.clock.advance(2 * 24 * 3_600_000); // Monday
    expect((await h.broker.holdings())[0]).toMatchObject({ quantity: 100, t1Quantity: 0 });
    await h.broker.close();
  });

  it('rejects a buy the cash cannot cover, counting cash blocked by open buys', async () => {
    const h = harness({ cash: 10_000_000 }); // ₹1,00,000
    const [q] = await h.broker.quotes([{ symbol: 'RELIANCE', exchange: 'NSE' }]);
    const tooBig = Math.ceil(10_000_000 / q!.ask) + 1;
    const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'big', quantity: tooBig })));
    const rejected = (await h.broker.orders()).find((o) => o.brokerOrderId === brokerOrderId)!;
    expect(rejected.status).toBe('rejected');
    expect(rejected.statusMessage).toMatch(/insufficient funds/);
    expect(await h.broker.trades(brokerOrderId)).toHaveLength(0);
    // A resting limit buy blocks its cash; a second buy for the rest is refused.
    const limit = q!.bid - 500;
    const half = Math.floor(6_000_000 / limit);
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'rest', type: 'limit', limitPrice: limit, quantity: half })));
    const funds = await h.broker.funds();
    expect(funds.used).toBe(half * limit);
    expect(funds.available).toBe(10_000_000 - half * limit);
    const { brokerOrderId: second } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'second', type: 'limit', limitPrice: limit, quantity: half })));
    expect((await h.broker.findOrderByClientId('second'))!.status).toBe('rejected');
    expect(second).toMatch(/^P\d+$/);
    await h.broker.close();
  });

  it('rejects a sell beyond owned (settled + T1) quantity minus what is already being sold', async () => {
    const h = harness({ holdings: [{ symbol: 'TCS', quantity: 30 }] });
    await placeAndWait(h, order({ clientOrderId: 'b', symbol: 'TCS', quantity: 10 }));
    expect((await h.broker.holdings())[0]).toMatchObject({ quantity: 30, t1Quantity: 10 });
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'over', symbol: 'TCS', side: 'sell', quantity: 41 })));
    const over = (await h.broker.findOrderByClientId('over'))!;
    expect(over.status).toBe('rejected');
    expect(over.statusMessage).toMatch(/insufficient holdings/);
    const [q] = await h.broker.quotes([{ symbol: 'TCS', exchange: 'NSE' }]);
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'rest', symbol: 'TCS', side: 'sell', type: 'limit', limitPrice: q!.ask + 5_000, quantity: 25 })));
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'more', symbol: 'TCS', side: 'sell', quantity: 16 })));
    expect((await h.broker.findOrderByClientId('more'))!.status).toBe('rejected');
    // Selling all 40 owned, T1 included, is fine once the resting sell is gone.
    await h.clock.run(h.broker.cancelOrder((await h.broker.findOrderByClientId('rest'))!.brokerOrderId));
    const all = await placeAndWait(h, order({ clientOrderId: 'all', symbol: 'TCS', side: 'sell', quantity: 40 }));
    expect((await h.broker.orders()).find((o) => o.brokerOrderId === all)!.status).toBe('filled');
    expect(await h.broker.holdings()).toEqual([]);
    await h.broker.close();
  });

  it('rejects orders in another currency than the account', async () => {
    const h = harness();
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'us', symbol: 'AAPL', exchange: 'NASDAQ', quantity: 1 })));
    const o = (await h.broker.findOrderByClientId('us'))!;
    expect(o.status).toBe('rejected');
    expect(o.statusMessage).toMatch(/USD/);
    await h.broker.close();
  });

  it('trades US names in a USD account', async () => {
    const h = harness();
    resetPaperAccount(h.store.brokerTables('paper'), { cash: 1_000_000, currency: 'USD', now: h.clock.now() });
    const id = await placeAndWait(h, order({ clientOrderId: 'aapl', symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10 }));
    const trades = await h.broker.trades(id);
    const cost = trades.reduce((s, t) => s + t.quantity * t.price, 0);
    expect((await h.broker.funds())).toEqual({ currency: 'USD', available: 1_000_000 - cost, used: 0 });
    await h.broker.close();
  });

  it('resets the account: cash, holdings, no orders or trades; the summary values holdings', async () => {
    const h = harness();
    await placeAndWait(h, order({ clientOrderId: 'x', symbol: 'SBIN', quantity: 10 }));
    const summary = resetPaperAccount(h.store.brokerTables('paper'), { cash: 50_000_000, holdings: [{ symbol: 'INFY', quantity: 5, averagePrice: 150_000 }], now: h.clock.now() });
    expect(summary.cash).toBe(50_000_000);
    expect(summary.openOrders).toBe(0);
    expect(summary.tradesToday).toBe(0);
    expect(summary.holdings).toHaveLength(1);
    expect(summary.holdings[0]).toMatchObject({ symbol: 'INFY', quantity: 5, t1Quantity: 0, averagePrice: 150_000 });
    expect(summary.totalValue).toBe(50_000_000 + 5 * summary.holdings[0]!.lastPrice!);
    // The running broker notices the reset.
    expect(await h.broker.orders()).toHaveLength(0);
    expect((await h.broker.funds()).available).toBe(50_000_000);
    expect(await h.broker.holdings()).toMatchObject([{ symbol: 'INFY', quantity: 5 }]);
    await h.broker.close();
  });
});
