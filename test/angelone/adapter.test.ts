import { afterEach, describe, expect, it } from 'vitest';
import { decimalToPaise, mapAngelStatus, parseAngelTime } from '../../src/brokers/angelone/mapping.js';
import type { BrokerEvent } from '../../src/brokers/broker.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { order } from '../zerodha/harness.js';
import { type AngelHarness, startAngelHarness } from './harness.js';

let h: AngelHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const rejection = async (p: Promise<unknown>): Promise<BrokerError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof BrokerError) return err;
    throw err;
  }
  throw new Error('expected a BrokerError');
};

describe('Angel One SmartAPI adapter against the strict emulator', () => {
  it('reads the account: profile, instruments with tokens, quotes, holdings with T+1, funds in exact paise', async () => {
    h = await startAngelHarness({ matchIntervalMs: 0, cash: 1_234_567_89 });
    await h.broker.connect();
    expect(h.broker.account).toBe('A123456');
    const [sbin, infyBse, missing] = [
      ...(await h.broker.instruments([{ symbol: 'SBIN', exchange: 'NSE' }])),
      ...(await h.broker.instruments([{ symbol: 'INFY', exchange: 'BSE' }, { symbol: 'NOPE' }])),
    ];
    expect(sbin).toMatchObject({ symbol: 'SBIN', exchange: 'NSE', tickSize: 5, lotSize: 1, brokerToken: '3045' });
    expect(infyBse).toMatchObject({ symbol: 'INFY', exchange: 'BSE', brokerToken: '500209' });
    expect(missing).toBeUndefined();
    const quotes = await h.broker.quotes([{ symbol: 'SBIN', exchange: 'NSE' }, { symbol: 'INFY', exchange: 'NSE' }]);
    expect(quotes.map((q) => [q.symbol, q.bid, q.ask, q.last, q.close])).toEqual([
      ['SBIN', 80_000, 80_005, 80_000, 79_500],
      ['INFY', 150_000, 150_010, 150_000, 149_500],
    ]);
    expect(await h.broker.holdings()).toEqual([{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000, lastPrice: 150_000 }]);
    expect(await h.broker.funds()).toEqual({ currency: 'INR', available: 1_234_567_89, used: 0 });
    expect(await h.broker.positions()).toEqual([]);
    // Every call carried SmartAPI's headers.
    const call = h.emu.server.calls.find((c) => c.path.endsWith('/getRMS'))!;
    expect(call.headers).toMatchObject({ 'x-privatekey': 'smartapikey01', 'x-usertype': 'USER', 'x-sourceid': 'WEB', authorization: 'Bearer emujwt0001', accept: 'application/json' });
  });

  it('places with strings for numbers and our id as ordertag; maps fills, trades, positions; modifies and cancels', async () => {
    h = await startAngelHarness({ matchIntervalMs: 0 });
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'R1L1C1', symbol: 'SBIN', limitPrice: 79_995, quantity: 10 }));
    const placed = h.emu.server.calls.find((c) => c.path.endsWith('/placeOrder'))!;
    expect(JSON.parse(placed.body)).toEqual({
      variety: 'NORMAL',
      tradingsymbol: 'SBIN-EQ',
      symboltoken: '3045',
      transactiontype: 'BUY',
      exchange: 'NSE',
      ordertype: 'LIMIT',
      producttype: 'DELIVERY',
      duration: 'DAY',
      price: '799.95',
      squareoff: '0',
      stoploss: '0',
      quantity: '10',
      ordertag: 'R1L1C1',
    });
    expect(await h.broker.findOrderByClientId('R1L1C1')).toMatchObject({ brokerOrderId, status: 'accepted', brokerStatus: 'open', limitPrice: 79_995, clientOrderId: 'R1L1C1' });

    await h.broker.modifyOrder(brokerOrderId, { limitPrice: 80_005 });
    const modified = JSON.parse(h.emu.server.calls.find((c) => c.path.endsWith('/modifyOrder'))!.body) as Record<string, string>;
    expect(modified).toMatchObject({ variety: 'NORMAL', orderid: brokerOrderId, ordertype: 'LIMIT', price: '800.05', quantity: '10', symboltoken: '3045', tradingsymbol: 'SBIN-EQ' });

    h.emu.exchange.fill(brokerOrderId, 4, 80_005);
    const [partial] = await h.broker.orders();
    expect(partial).toMatchObject({ status: 'partially_filled', filledQuantity: 4, averagePrice: 80_005 });
    expect(await h.broker.trades(brokerOrderId)).toEqual([
      { tradeId: expect.any(String), brokerOrderId, clientOrderId: 'R1L1C1', symbol: 'SBIN', exchange: 'NSE', side: 'buy', quantity: 4, price: 80_005, ts: expect.any(Number) },
    ]);
    expect(await h.broker.positions()).toEqual([{ symbol: 'SBIN', exchange: 'NSE', quantity: 4, averagePrice: 80_005, product: 'delivery' }]);

    await h.broker.cancelOrder(brokerOrderId);
    expect(JSON.parse(h.emu.server.calls.find((c) => c.path.endsWith('/cancelOrder'))!.body)).toEqual({ variety: 'NORMAL', orderid: brokerOrderId });
    expect((await h.broker.orders())[0]).toMatchObject({ status: 'cancelled', filledQuantity: 4 });

    // Stops go in the STOPLOSS variety with a trigger; after-market orders in AMO.
    await h.broker.placeOrder(order({ clientOrderId: 'R1L1C2', symbol: 'SBIN', type: 'stop_limit', limitPrice: 81_000, triggerPrice: 80_500, quantity: 1 }));
    await h.broker.placeOrder(order({ clientOrderId: 'R1L1C3', symbol: 'SBIN', afterMarket: true, quantity: 1, limitPrice: 80_000 }));
    const bodies = h.emu.server.calls.filter((c) => c.path.endsWith('/placeOrder')).map((c) => JSON.parse(c.body) as Record<string, string>);
    expect(bodies[1]).toMatchObject({ variety: 'STOPLOSS', ordertype: 'STOPLOSS_LIMIT', price: '810.00', triggerprice: '805.00' });
    expect(bodies[2]).toMatchObject({ variety: 'AMO', ordertype: 'LIMIT' });
    const statuses = Object.fromEntries((await h.broker.orders()).map((o) => [o.clientOrderId, [o.brokerStatus, o.status]]));
    expect(statuses).toMatchObject({ R1L1C2: ['trigger pending', 'accepted'], R1L1C3: ['after market order req received', 'accepted'] });
  });

  it('refuses before sending what SmartAPI would refuse, and reports its refusals with its reason', async () => {
    h = await startAngelHarness({ matchIntervalMs: 0, cash: 100_00 });
    expect((await rejection(h.broker.placeOrder(order({ clientOrderId: 'TOO-LONG_ID-with-symbols' })))).kind).toBe('input');
    expect((await rejection(h.broker.placeOrder(order({ symbol: 'NOPE' })))).kind).toBe('not_found');
    expect(h.emu.server.calls.filter((c) => c.path.endsWith('/placeOrder'))).toHaveLength(0);
    // Funds: the order is booked, then rejected with SmartAPI's text as the reason.
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'R2L1C1', symbol: 'SBIN', limitPrice: 80_000 }));
    expect((await h.broker.orders())[0]).toMatchObject({ brokerOrderId, status: 'rejected', brokerStatus: 'rejected', statusMessage: expect.stringMatching(/Insufficient funds/) });
    const tick = await rejection(h.broker.placeOrder(order({ clientOrderId: 'R2L1C2', symbol: 'SBIN', limitPrice: 80_001 })));
    expect([tick.kind, tick.details.code, tick.message]).toEqual(['rejected', 'AB1007', expect.stringMatching(/tick size/)]);
    const cancel = await rejection(h.broker.cancelOrder(brokerOrderId));
    expect(cancel.kind).toBe('rejected');
  });

  it('an expired session is `auth` with the login hint; the token never appears in messages', async () => {
    h = await startAngelHarness({ matchIntervalMs: 0 });
    h.emu.expireSessions();
    const err = await rejection(h.broker.holdings());
    expect([err.kind, err.details.code]).toEqual(['auth', 'AG8001']);
    expect(err.message).toMatch(/session is no longer valid/);
    expect(err.hint).toMatch(/brokers login angelone|TOTP secret/);
    expect(err.message).not.toContain('emujwt0001');
  });

  it('never retries a placement: a reset after booking is unknown_outcome, resolved by ordertag; reads retry 5xx and rate limits', async () => {
    h = await startAngelHarness({ matchIntervalMs: 0 });
    h.emu.server.faults.bookThenReset();
    const lost = await rejection(h.broker.placeOrder(order({ clientOrderId: 'R3L1C1', symbol: 'SBIN', limitPrice: 80_000, quantity: 1 })));
    expect(lost.kind).toBe('unknown_outcome');
    expect(h.emu.exchange.orders()).toHaveLength(1);
    expect(await h.broker.findOrderByClientId('R3L1C1')).toMatchObject({ clientOrderId: 'R3L1C1', status: 'accepted' });
    h.emu.server.faults.serverErrors(1);
    expect(await h.broker.holdings()).toHaveLength(1);
    h.emu.server.faults.rateLimit(1);
    expect(await h.broker.funds()).toMatchObject({ currency: 'INR' });
    h.emu.server.faults.rateLimit(2);
    expect((await rejection(h.broker.positions())).kind).toBe('rate_limited');
    h.emu.server.faults.malformedBodies(1);
    const html = await rejection(h.broker.placeOrder(order({ clientOrderId: 'R3L1C2', symbol: 'SBIN', limitPrice: 80_000, quantity: 1 })));
    expect(html.kind).toBe('unknown_outcome');
  });

  it('polls the order book for updates while an order is live: each change and fill reported once', async () => {
    h = await startAngelHarness({ matchIntervalMs: 0 }, { settings: { poll_ms: 1_000 } });
    const events: BrokerEvent[] = [];
    h.broker.subscribe((e) => events.push(e));
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'R4L1C1', symbol: 'SBIN', limitPrice: 80_005, quantity: 2 }));
    h.emu.exchange.fill(brokerOrderId, 2, 80_005);
    await h.broker.resync('test');
    await h.broker.resync('again');
    const kinds = events.map((e) => (e.type === 'order' ? `order:${e.order.status}` : e.type));
    expect(kinds).toEqual(['resync', 'trade', 'order:filled', 'resync']);
  });
});

describe('SmartAPI rate limits', () => {
  it('the client-side limiter keeps the order book to 1/s per class, so the strict server never refuses', async () => {
    h = await startAngelHarness({ matchIntervalMs: 0, limits: { orderBook: 1, tradeBook: 1 } }, { rateLimit: true });
    await Promise.all([h.broker.orders(), h.broker.orders(), h.broker.trades()]);
    // The second order-book read waited for the next second (the server counts arrivals); the trade book is its own class.
    expect(h.emu.server.calls.map((c) => [c.path.split('/').pop(), c.status])).toEqual([
      ['getOrderBook', 200],
      ['getTradeBook', 200],
      ['getOrderBook', 200],
    ]);
  });
});

describe('SmartAPI values', () => {
  it('parses amounts exactly into paise, times in IST, every documented status word', () => {
    expect(decimalToPaise('19998.6500')).toBe(1_999_865);
    expect(decimalToPaise(1500.1)).toBe(150_010);
    expect(decimalToPaise('0.1')).toBe(10);
    expect(decimalToPaise('-12.5')).toBe(-1_250);
    expect(decimalToPaise('1234.5678')).toBe(123_456.78);
    expect(decimalToPaise(null)).toBe(0);
    expect(parseAngelTime('03-Dec-2026 10:15:02', 0)).toBe(Date.parse('2026-12-03T04:45:02Z'));
    expect(mapAngelStatus('open', 3, 10)).toBe('partially_filled');
    expect(mapAngelStatus('Complete', 10, 10)).toBe('filled');
    expect(mapAngelStatus('cancel pending', 0, 10)).toBe('pending_cancel');
    expect(() => mapAngelStatus('haunted', 0, 1)).toThrow(/unknown Angel One order status/);
  });
});
