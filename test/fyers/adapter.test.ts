import { afterEach, describe, expect, it } from 'vitest';
import { FYERS_STATUS } from '../../src/brokers/fyers/wire-facts.js';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { order } from '../zerodha/harness.js';
import { type FyersHarness, startFyersHarness } from './harness.js';

let h: FyersHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const writes = () => h!.emu.server.calls.filter((c) => c.path.endsWith('/orders/sync'));
const body = (i: number) => JSON.parse(writes()[i]!.body) as Record<string, unknown>;

describe('Fyers adapter against the emulator', () => {
  it('speaks the v3 wire: app-id authorization, numeric types and sides, the ticker, our id in orderTag, rupees exact', async () => {
    h = await startFyersHarness({ holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 0, averagePrice: 140_000 }] });
    const { broker, emu } = h;
    await broker.connect();
    expect(broker.account).toBe(emu.userId);
    const [sbin] = await broker.instruments([{ symbol: 'SBIN' }]);
    expect(sbin).toMatchObject({ symbol: 'SBIN', exchange: 'NSE', tickSize: 5, lotSize: 1, isin: 'INE062A01020', brokerToken: 'NSE:SBIN-EQ' });
    expect(await broker.instruments([{ symbol: 'NOPE' }])).toEqual([]);

    const market = await broker.placeOrder(order({ clientOrderId: 'R1L1C1', symbol: 'SBIN', type: 'market', limitPrice: undefined, quantity: 3 }));
    await broker.placeOrder(order({ clientOrderId: 'R1L2C1', symbol: 'INFY', side: 'sell', type: 'limit', limitPrice: 150_010, quantity: 1 }));
    await broker.placeOrder(order({ clientOrderId: 'R1L3C1', symbol: 'INFY', type: 'stop', triggerPrice: 150_500, limitPrice: undefined, product: 'intraday' }));
    await broker.placeOrder(order({ clientOrderId: 'R1L4C1', symbol: 'INFY', exchange: 'BSE', type: 'stop_limit', triggerPrice: 150_500, limitPrice: 150_600, timeInForce: 'ioc' }));
    const call = writes()[0]!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/api/v3/orders/sync');
    expect(call.headers.authorization).toBe(`${emu.appId}:${emu.accessToken}`);
    expect(call.headers['content-type']).toBe('application/json');
    expect(body(0)).toEqual({ symbol: 'NSE:SBIN-EQ', qty: 3, type: 2, side: 1, productType: 'CNC', limitPrice: 0, stopPrice: 0, validity: 'DAY', disclosedQty: 0, offlineOrder: false, stopLoss: 0, takeProfit: 0, orderTag: 'R1L1C1' });
    expect(body(1)).toMatchObject({ symbol: 'NSE:INFY-EQ', type: 1, side: -1, limitPrice: 1500.1 });
    expect(body(2)).toMatchObject({ type: 3, stopPrice: 1505, limitPrice: 0, productType: 'INTRADAY' });
    expect(body(3)).toMatchObject({ symbol: 'BSE:INFY-A', type: 4, stopPrice: 1505, limitPrice: 1506, validity: 'IOC' });
    expect(market.brokerOrderId).toMatch(/^2612030\d{7}$/);

    // An unknown symbol and a tag Fyers would refuse are refused before anything is sent.
    const sent = writes().length;
    await expect(broker.placeOrder(order({ symbol: 'NOPE' }))).rejects.toMatchObject({ kind: 'input', message: /NSE:NOPE is not in the Fyers symbol master/ });
    await expect(broker.placeOrder(order({ clientOrderId: 'R1-L1_C1' }))).rejects.toMatchObject({ kind: 'input', message: /orderTag/ });
    expect(writes()).toHaveLength(sent);

    // Modify and cancel: PATCH and DELETE of /orders/sync with the id in the JSON body.
    const limit = (await broker.findOrderByClientId('R1L2C1'))!;
    expect(limit).toMatchObject({ clientOrderId: 'R1L2C1', side: 'sell', type: 'limit', status: 'accepted', brokerStatus: 'pending', limitPrice: 150_010 });
    await broker.modifyOrder(limit.brokerOrderId, { limitPrice: 150_020, quantity: 2 });
    expect(writes().at(-1)).toMatchObject({ method: 'PATCH', status: 200 });
    expect(JSON.parse(writes().at(-1)!.body)).toEqual({ id: limit.brokerOrderId, qty: 2, limitPrice: 1500.2 });
    await broker.cancelOrder(limit.brokerOrderId);
    expect(writes().at(-1)).toMatchObject({ method: 'DELETE', status: 200 });
    expect(JSON.parse(writes().at(-1)!.body)).toEqual({ id: limit.brokerOrderId });
    expect((await broker.findOrderByClientId('R1L2C1'))).toMatchObject({ status: 'cancelled', brokerStatus: 'cancelled', quantity: 2 });
    await expect(broker.cancelOrder('999')).rejects.toMatchObject({ kind: 'not_found', message: /code -51/ });
  });

  it('reads holdings with their T1 part, today\'s positions and funds in exact paise; partial fills, trades and rejections with the reason', async () => {
    h = await startFyersHarness({ cash: 1_234_567_89, partialFills: true, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_005 }] });
    const { broker, emu } = h;
    expect(await broker.holdings()).toEqual([{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_005, lastPrice: 150_000 }]);
    expect(await broker.funds()).toEqual({ currency: 'INR', available: 1_234_567_89, used: 0 });

    const { brokerOrderId } = await broker.placeOrder(order({ symbol: 'SBIN', quantity: 10, limitPrice: 80_005 }));
    expect((await broker.funds()).used).toBe(10 * 80_005);
    emu.exchange.match();
    expect(await broker.orders()).toEqual([expect.objectContaining({ brokerOrderId, status: 'partially_filled', brokerStatus: 'pending', filledQuantity: 5, averagePrice: 80_005 })]);
    emu.exchange.match();
    expect((await broker.orders())[0]).toMatchObject({ status: 'filled', brokerStatus: 'traded', filledQuantity: 10 });
    const trades = await broker.trades(brokerOrderId);
    expect(trades.map((t) => [t.quantity, t.price, t.clientOrderId, t.symbol])).toEqual([
      [5, 80_005, 'R1L1C1', 'SBIN'],
      [5, 80_005, 'R1L1C1', 'SBIN'],
    ]);
    expect(await broker.positions()).toEqual([{ symbol: 'SBIN', exchange: 'NSE', quantity: 10, averagePrice: 80_005, product: 'delivery' }]);
    // Holdings do not include today's buys (holdingsIncludeTodaysTrades is false).
    expect((await broker.holdings()).map((x) => x.symbol)).toEqual(['INFY']);

    const sell = await broker.placeOrder(order({ clientOrderId: 'R1L2C1', symbol: 'TCS', side: 'sell', limitPrice: 350_000, quantity: 1 }));
    expect((await broker.orders()).find((o) => o.brokerOrderId === sell.brokerOrderId)).toMatchObject({ status: 'rejected', brokerStatus: 'rejected', statusMessage: 'Insufficient holdings: 0 available to sell' });
  });

  it('maps every documented status code, transient ones included', async () => {
    h = await startFyersHarness();
    const { broker, emu } = h;
    const { brokerOrderId } = await broker.placeOrder(order());
    const seen: Record<string, string> = {};
    for (const code of Object.keys(FYERS_STATUS)) {
      emu.exchange.override(brokerOrderId, code);
      const o = (await broker.orders())[0]!;
      seen[code] = `${o.brokerStatus}→${o.status}`;
    }
    expect(seen).toEqual({ 1: 'cancelled→cancelled', 2: 'traded→filled', 4: 'transit→accepted', 5: 'rejected→rejected', 6: 'pending→accepted', 7: 'expired→expired' });
    emu.exchange.override(brokerOrderId, '3');
    await expect(broker.orders()).rejects.toMatchObject({ kind: 'protocol', message: /unknown Fyers order status 3/ });
  });

  it('turns Fyers error codes into the right kinds: token codes are auth with the renewal hint, -429 and 5xx reads are retried, writes never', async () => {
    h = await startFyersHarness({}, { readAttempts: 3 });
    const { broker, emu } = h;
    emu.server.faults.rateLimit(1);
    expect(await broker.funds()).toMatchObject({ currency: 'INR' });
    emu.server.faults.serverErrors(1);
    expect(await broker.orders()).toEqual([]);
    emu.server.faults.rateLimit(1);
    await expect(broker.placeOrder(order())).rejects.toMatchObject({ kind: 'rate_limited', message: /rate limited by Fyers \(code -429/ });
    emu.server.faults.serverErrors(1);
    await expect(broker.placeOrder(order())).rejects.toMatchObject({ kind: 'unknown_outcome' });
    expect(emu.exchange.orders()).toEqual([]);
    // A body that is not Fyers' is retried like a 5xx; when it persists, the URL to check is named.
    emu.server.faults.malformedBodies(1);
    expect(await broker.funds()).toMatchObject({ currency: 'INR' });
    emu.server.faults.malformedBodies(3);
    await expect(broker.funds()).rejects.toMatchObject({ kind: 'unavailable', details: { hint: expect.stringMatching(/PTEXEC_FYERS_URL/) } });
    emu.expireSession();
    const err = await broker.holdings().catch((e: unknown) => e);
    expect(isBrokerError(err, 'auth')).toBe(true);
    expect((err as Error).message).toMatch(/the Fyers session is no longer valid .* code -8 \(HTTP 401\)/);
    expect((err as { hint?: string }).hint).toMatch(/PTEXEC_FYERS_PIN/);
    expect((err as Error).message).not.toContain(emu.accessToken);
  });

  it('a placement booked but unanswered is unknown_outcome, and is found by its orderTag; one lost on the way is absent', async () => {
    h = await startFyersHarness({}, { settings: { timeout_ms: 150 } });
    const { broker, emu } = h;
    emu.server.faults.bookThenReset();
    await expect(broker.placeOrder(order({ clientOrderId: 'R9L1C1' }))).rejects.toMatchObject({ kind: 'unknown_outcome' });
    expect(await broker.findOrderByClientId('R9L1C1')).toMatchObject({ clientOrderId: 'R9L1C1', status: 'accepted' });
    emu.server.faults.loseNextPlacement();
    await expect(broker.placeOrder(order({ clientOrderId: 'R9L2C1' }))).rejects.toMatchObject({ kind: 'unknown_outcome' });
    expect(await broker.findOrderByClientId('R9L2C1')).toBeUndefined();
    expect(emu.exchange.orders()).toHaveLength(1);
  });
});
