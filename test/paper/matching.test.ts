import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { harness, order, placeAndWait, waitFinal } from './helpers.js';

describe('paper matching', () => {
  it('fills a small market buy at or through the ask and a market sell at or through the bid', async () => {
    // No latency: the order reaches the market in the step the quote was taken in.
    const h = harness({ config: { latencyMs: 0 } });
    const [before] = await h.broker.quotes([{ symbol: 'INFY', exchange: 'NSE' }]);
    const buyId = await placeAndWait(h, order({ clientOrderId: 'buy1', symbol: 'INFY', quantity: 20 }));
    const buyTrades = await h.broker.trades(buyId);
    expect(buyTrades.reduce((s, t) => s + t.quantity, 0)).toBe(20);
    for (const t of buyTrades) expect(t.price).toBeGreaterThanOrEqual(before!.ask);
    const [mid] = await h.broker.quotes([{ symbol: 'INFY', exchange: 'NSE' }]);
    const sellId = await placeAndWait(h, order({ clientOrderId: 'sell1', symbol: 'INFY', side: 'sell', quantity: 20 }));
    const sellTrades = await h.broker.trades(sellId);
    expect(sellTrades.reduce((s, t) => s + t.quantity, 0)).toBe(20);
    for (const t of sellTrades) expect(t.price).toBeLessThanOrEqual(mid!.bid);
    const book = await h.broker.orders();
    expect(book.map((o) => o.status)).toEqual(['filled', 'filled']);
    expect(book[0]!.brokerStatus).toBe('COMPLETE');
    await h.broker.close();
  });

  it('quotes bid below ask on the tick, with a spread of at least one tick', async () => {
    const h = harness();
    const quotes = await h.broker.quotes([
      { symbol: 'RELIANCE', exchange: 'NSE' },
      { symbol: 'TATASTEEL', exchange: 'NSE' },
      { symbol: 'MARUTI', exchange: 'NSE' },
      { symbol: 'AAPL', exchange: 'NASDAQ' },
      { symbol: 'NOPE', exchange: 'NSE' },
    ]);
    expect(quotes.map((q) => q.symbol)).toEqual(['RELIANCE', 'TATASTEEL', 'MARUTI', 'AAPL']);
    const instruments = await h.broker.instruments(quotes.map((q) => ({ symbol: q.symbol, exchange: q.exchange })));
    quotes.forEach((q, i) => {
      const tick = instruments[i]!.tickSize;
      expect(q.bid % tick).toBe(0);
      expect(q.ask % tick).toBe(0);
      expect(q.ask - q.bid).toBeGreaterThanOrEqual(tick);
      expect(q.last).toBeGreaterThanOrEqual(q.bid);
      expect(q.last).toBeLessThanOrEqual(q.ask);
    });
    await h.broker.close();
  });

  it('rests a buy limit below the market and fills it only at or below the limit once the market comes down to it', async () => {
    const h = harness({ seed: 3 });
    const [q] = await h.broker.quotes([{ symbol: 'SBIN', exchange: 'NSE' }]);
    const limit = q!.bid - 20 * 5; // twenty ticks under the bid
    const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'lim1', symbol: 'SBIN', type: 'limit', limitPrice: limit, quantity: 50 })));
    await h.clock.advance(5_000);
    let book = await h.broker.orders();
    expect(book[0]!.status).toBe('accepted');
    expect(book[0]!.filledQuantity).toBe(0);
    // Walk forward second by second; while the bid is above the limit (the order is behind the
    // touch, no seller reaches its price) nothing may fill.
    let filledAt: number | undefined;
    for (let i = 0; i < 6 * 3600 && filledAt === undefined; i++) {
      const [now] = await h.broker.quotes([{ symbol: 'SBIN', exchange: 'NSE' }]);
      const fills = await h.broker.trades(brokerOrderId);
      if (fills.length > 0) filledAt = h.clock.now();
      else if (now!.bid > limit) expect(fills).toHaveLength(0);
      await h.clock.advance(1_000);
    }
    expect(filledAt).toBeDefined();
    await waitFinal(h, brokerOrderId);
    for (const t of await h.broker.trades(brokerOrderId)) expect(t.price).toBeLessThanOrEqual(limit);
    book = await h.broker.orders();
    expect(book[0]!.status).toBe('filled');
    await h.broker.close();
  });

  it('sweeps at most the book with a large market order and completes it as the book comes back', async () => {
    // LT: ADV 2,000,000, so the touch shows 400 shares and the book 4,000 (model defaults).
    const h = harness({ cash: 100_000_000_000 });
    const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'big', symbol: 'LT', quantity: 30_000 })));
    let book = await h.broker.orders();
    expect(book[0]!.status).toBe('partially_filled');
    expect(book[0]!.filledQuantity).toBe(4_000);
    await waitFinal(h, brokerOrderId);
    book = await h.broker.orders();
    expect(book[0]!.status).toBe('filled');
    const trades = await h.broker.trades(brokerOrderId);
    expect(trades.length).toBeGreaterThan(5);
    expect(trades.reduce((s, t) => s + t.quantity, 0)).toBe(30_000);
    // Later sweeps wait until at least a touch's worth is back and never take more than the book.
    for (const t of trades.slice(1, -1)) {
      expect(t.quantity).toBeGreaterThanOrEqual(400);
      expect(t.quantity).toBeLessThanOrEqual(4_000);
    }
    expect(trades.at(-1)!.quantity).toBeLessThanOrEqual(4_000);
    // The book comes back with a 60 s time constant: 26,000 more shares take minutes, not hours.
    expect(trades.at(-1)!.ts - trades[0]!.ts).toBeGreaterThan(60_000);
    expect(trades.at(-1)!.ts - trades[0]!.ts).toBeLessThan(30 * 60_000);
    await h.broker.close();
  });

  it('cancels the unfilled remainder of an IOC order', async () => {
    const h = harness({ config: { participationCap: 0.05 }, cash: 100_000_000_000 });
    const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'ioc', symbol: 'ULTRACEMCO', quantity: 2_000, timeInForce: 'ioc' })));
    await h.clock.advance(10_000);
    const [o] = await h.broker.orders();
    expect(o!.status).toBe('cancelled');
    expect(o!.filledQuantity).toBeLessThan(2_000);
    expect((await h.broker.trades(brokerOrderId)).reduce((s, t) => s + t.quantity, 0)).toBe(o!.filledQuantity);
    await h.broker.close();
  });

  it('triggers stop orders on the last price and leaves untriggered ones pending', async () => {
    const h = harness();
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'seed', symbol: 'ITC', quantity: 100 })));
    await h.clock.advance(60_000);
    const [q] = await h.broker.quotes([{ symbol: 'ITC', exchange: 'NSE' }]);
    // A sell stop at or above the last price triggers at once; a buy stop 20% up does not.
    const sellStop = await placeAndWait(h, order({ clientOrderId: 'ss', symbol: 'ITC', side: 'sell', type: 'stop', triggerPrice: q!.last + 5, quantity: 40 }));
    const { brokerOrderId: buyStop } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'bs', symbol: 'ITC', type: 'stop_limit', triggerPrice: q!.last * 1.2 - ((q!.last * 1.2) % 5), limitPrice: q!.last * 1.25 - ((q!.last * 1.25) % 5), quantity: 10 })));
    await h.clock.advance(120_000);
    const book = await h.broker.orders();
    expect(book.find((o) => o.brokerOrderId === sellStop)!.status).toBe('filled');
    const pending = book.find((o) => o.brokerOrderId === buyStop)!;
    expect(pending.status).toBe('accepted');
    expect(pending.brokerStatus).toBe('TRIGGER PENDING');
    expect(await h.broker.trades(buyStop)).toHaveLength(0);
    await h.broker.close();
  });

  it('modifies a resting limit into a marketable one, and refuses to cancel a filled order', async () => {
    const h = harness();
    const [q] = await h.broker.quotes([{ symbol: 'TCS', exchange: 'NSE' }]);
    const far = q!.bid - 100 * 10;
    const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'mod', symbol: 'TCS', type: 'limit', limitPrice: far, quantity: 5 })));
    await h.clock.advance(3_000);
    expect((await h.broker.orders())[0]!.filledQuantity).toBe(0);
    await h.clock.run(h.broker.modifyOrder(brokerOrderId, { limitPrice: q!.ask + 200 * 10 }));
    await waitFinal(h, brokerOrderId);
    const [o] = await h.broker.orders();
    expect(o!.status).toBe('filled');
    expect(o!.averagePrice).toBeLessThanOrEqual(q!.ask + 200 * 10);
    const err = await h.clock.run(h.broker.cancelOrder(brokerOrderId)).catch((e: unknown) => e);
    expect(isBrokerError(err, 'rejected')).toBe(true);
    const missing = await h.clock.run(h.broker.cancelOrder('P999999999')).catch((e: unknown) => e);
    expect(isBrokerError(missing, 'not_found')).toBe(true);
    await h.broker.close();
  });

  it('cancels an open order and reports it', async () => {
    const h = harness();
    const [q] = await h.broker.quotes([{ symbol: 'TCS', exchange: 'NSE' }]);
    const { brokerOrderId } = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'cx', symbol: 'TCS', type: 'limit', limitPrice: q!.bid - 1_000, quantity: 5 })));
    await h.clock.run(h.broker.cancelOrder(brokerOrderId));
    await h.clock.advance(100);
    const [o] = await h.broker.orders();
    expect(o!.status).toBe('cancelled');
    const statuses = h.events.filter((e) => e.type === 'order').map((e) => (e.type === 'order' ? e.order.status : ''));
    expect(statuses).toEqual(['accepted', 'cancelled']);
    expect(h.clock.pendingTimers()).toBe(0);
    await h.broker.close();
  });

  it('acknowledges after the configured latency and schedules no timers once idle or closed', async () => {
    const h = harness({ config: { latencyMs: 40 } });
    const start = h.clock.now();
    const placing = h.broker.placeOrder(order({ clientOrderId: 'lat', symbol: 'WIPRO', quantity: 10 }));
    await h.clock.advance(39);
    expect(h.events).toHaveLength(0);
    const { brokerOrderId } = await h.clock.run(placing);
    expect(h.clock.now() - start).toBe(80);
    await waitFinal(h, brokerOrderId);
    const first = h.events[0]!;
    expect(first.type).toBe('order');
    expect(h.events.some((e) => e.type === 'trade')).toBe(true);
    expect(h.clock.pendingTimers()).toBe(0);
    // A resting order keeps the matching timer; close() removes it.
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'rest', symbol: 'WIPRO', type: 'limit', limitPrice: 100, quantity: 1 })));
    expect(h.clock.pendingTimers()).toBeGreaterThan(0);
    await h.broker.close();
    expect(h.clock.pendingTimers()).toBe(0);
  });

  it('rejects malformed orders as input errors without creating them', async () => {
    const h = harness();
    const cases = [
      order({ clientOrderId: 'e1', symbol: 'NOPE' }),
      order({ clientOrderId: 'e2', quantity: 0 }),
      order({ clientOrderId: 'e3', type: 'limit' }),
      order({ clientOrderId: 'e4', type: 'limit', limitPrice: 150_003 }),
      order({ clientOrderId: 'bad id!' }),
    ];
    for (const request of cases) {
      const err = await h.clock.run(h.broker.placeOrder(request)).catch((e: unknown) => e);
      expect(isBrokerError(err, 'input')).toBe(true);
    }
    expect(await h.broker.orders()).toHaveLength(0);
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'dup', quantity: 1 })));
    const dup = await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'dup', quantity: 1 }))).catch((e: unknown) => e);
    expect(isBrokerError(dup, 'input')).toBe(true);
    await h.broker.close();
  });

  it('expires DAY orders at the end of the exchange day', async () => {
    // 21:30 IST: two and a half hours before the NSE trading date ends.
    const h = harness({ clock: new VirtualClock(Date.UTC(2026, 0, 5, 16, 0, 0)) });
    const [q] = await h.broker.quotes([{ symbol: 'HDFCBANK', exchange: 'NSE' }]);
    await h.clock.run(h.broker.placeOrder(order({ clientOrderId: 'exp', symbol: 'HDFCBANK', type: 'limit', limitPrice: Math.round(q!.bid * 0.5), quantity: 1 })));
    await h.clock.advance(3 * 3_600_000);
    const o = await h.broker.findOrderByClientId('exp');
    expect(await h.broker.orders()).toHaveLength(0);
    expect(o!.status).toBe('expired');
    expect(h.clock.pendingTimers()).toBe(0);
    await h.broker.close();
  });
});
