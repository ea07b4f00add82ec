import { afterEach, describe, expect, it } from 'vitest';
import { alpacaLogin } from '../../src/brokers/alpaca/login.js';
import { createAlpacaBroker } from '../../src/brokers/alpaca/factory.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type AlpacaHarness, startAlpacaHarness } from './harness.js';

let h: AlpacaHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const buy = (clientOrderId: string, changes: Partial<OrderRequest> = {}): OrderRequest => ({ clientOrderId, symbol: 'MSFT', exchange: 'NASDAQ', side: 'buy', type: 'limit', quantity: 4, limitPrice: 40_000, timeInForce: 'day', product: 'delivery', ...changes });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as BrokerError);

describe('Alpaca adapter against its emulator', () => {
  it('reads the account in cents, holdings with today’s buys as T+1, instruments with their listing exchange', async () => {
    h = await startAlpacaHarness({ cash: 10_000_000, matchIntervalMs: 0 });
    await h.broker.connect();
    expect(h.broker.account).toBe('PA3EMU0001');
    expect(await h.broker.funds()).toEqual({ currency: 'USD', available: 10_000_000, used: 0 });
    expect(await h.broker.holdings()).toEqual([expect.objectContaining({ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 })]);
    expect((await h.broker.instruments([{ symbol: 'JPM' }, { symbol: 'AAPL', exchange: 'NYSE' }, { symbol: 'NOPE' }])).map((i) => [i.symbol, i.exchange, i.currency, i.tickSize])).toEqual([['JPM', 'NYSE', 'USD', 1]]);
    const [q] = await h.broker.quotes([{ symbol: 'MSFT', exchange: 'NASDAQ' }]);
    expect(q).toMatchObject({ bid: 50_000, ask: 50_003, last: 50_001, close: 49_700 });
    // An open buy holds buying power: available drops, the rest is used.
    await h.broker.placeOrder(buy('hold1'));
    expect(await h.broker.funds()).toEqual({ currency: 'USD', available: 10_000_000 - 160_000, used: 160_000 });
  });

  it('follows a replacement under the first order’s id and our client id, and cancels the order that stands', async () => {
    h = await startAlpacaHarness({ matchIntervalMs: 0 });
    const { brokerOrderId: id } = await h.broker.placeOrder(buy('rep1'));
    h.emu.exchange.fill(id, 1);
    await h.broker.modifyOrder(id, { quantity: 6, limitPrice: 39_990 });
    const patch = h.emu.server.calls.find((c) => c.method === 'PATCH')!;
    // Alpaca's replacement carries what is left: 6 ordered in all, 1 already filled.
    expect(JSON.parse(patch.body)).toEqual({ qty: '5', limit_price: '399.90' });
    const rows = h.emu.exchange.orders();
    expect(rows.map((o) => h!.emu.statusOf(o))).toEqual(['replaced', 'new']);
    const order = await h.broker.findOrderByClientId('rep1');
    expect(order).toMatchObject({ brokerOrderId: id, clientOrderId: 'rep1', quantity: 6, filledQuantity: 1, status: 'partially_filled', limitPrice: 39_990 });
    expect((await h.broker.orders()).filter((o) => o.clientOrderId === 'rep1')).toHaveLength(1);
    h.emu.exchange.fill(rows[1]!.id, 2);
    const trades = await h.broker.trades(id);
    expect(trades.map((t) => [t.brokerOrderId, t.clientOrderId, t.quantity])).toEqual([[id, 'rep1', 1], [id, 'rep1', 2]]);
    await h.broker.cancelOrder(id);
    expect(h.emu.statusOf(h.emu.exchange.order(rows[1]!.id)!)).toBe('canceled');
  });

  it('refuses before sending what ptexec does not send, and keeps Alpaca’s reason when it refuses', async () => {
    h = await startAlpacaHarness({ cash: 100_000, matchIntervalMs: 0 });
    const before = h.emu.server.calls.length;
    for (const [request, code] of [
      [buy('frac', { quantity: 1.5 }), 'fractional'],
      [buy('brk', { orderClass: 'bracket', timeInForce: 'ioc', takeProfit: { limitPrice: 41_000 }, stopLoss: { triggerPrice: 39_000 } }), 'order_class'],
      [buy('nse', { exchange: 'NSE' }), 'exchange'],
      [buy('bad id!'), 'client_order_id'],
    ] as const) {
      const err = await failure(h.broker.placeOrder(request));
      expect([err.kind, err.details.code]).toEqual(['input', code]);
    }
    expect(h.emu.server.calls.length).toBe(before);
    // $1,000 of cash: 4 × $400 is refused by Alpaca with its code and words.
    const err = await failure(h.broker.placeOrder(buy('poor')));
    expect([err.kind, err.details.status, err.details.code]).toEqual(['rejected', 403, '40310000']);
    expect(err.message).toMatch(/insufficient buying power/);
    // A duplicate client_order_id is Alpaca's 422: refused, never a second order.
    await h.broker.placeOrder(buy('dup', { quantity: 1, limitPrice: 10_000 }));
    expect((await failure(h.broker.placeOrder(buy('dup', { quantity: 1, limitPrice: 10_000 })))).kind).toBe('rejected');
    expect(h.emu.exchange.orders().filter((o) => o.clientRef === 'dup')).toHaveLength(1);
  });

  it('answers 429 past 200 requests a minute; the adapter’s own limiter never meets it', async () => {
    h = await startAlpacaHarness({ requestsPerMinute: 3, matchIntervalMs: 0 }, { readAttempts: 1 });
    for (let i = 0; i < 3; i++) await h.broker.funds();
    const err = await failure(h.broker.funds());
    expect([err.kind, err.details.status]).toEqual(['rate_limited', 429]);
  });

  it('logs in by checking the key pair, refuses a wrong one with the variables to check, and opens without a session but with the keys', async () => {
    h = await startAlpacaHarness();
    const login = alpacaLogin({}, { PTEXEC_ALPACA_URL: h.emu.url }, new WallClock());
    expect(login.fields.map((f) => [f.name, f.secret])).toEqual([['api_key', false], ['api_secret', true]]);
    const session = await login.logIn({ api_key: h.emu.keyId, api_secret: h.emu.secretKey }, { info: () => undefined, ask: async () => '' });
    expect(session).toMatchObject({ userId: 'PA3EMU0001' });
    expect(JSON.stringify(session)).not.toContain(h.emu.secretKey);
    const refused = await failure(login.logIn({ api_key: h.emu.keyId, api_secret: 'wrong-secret-value' }, { info: () => undefined, ask: async () => '' }));
    expect(refused.kind).toBe('auth');
    expect(refused.message).not.toContain('wrong-secret-value');
    expect(refused.hint).toMatch(/PTEXEC_ALPACA_API_SECRET/);
    const deps = { config: {}, env: { PTEXEC_ALPACA_URL: h.emu.url }, clock: new WallClock(), tables: undefined as never };
    const missing = await failure(createAlpacaBroker({ ...deps, credentials: { apiKey: h.emu.keyId } }));
    expect([missing.kind, missing.hint]).toEqual(['auth', expect.stringMatching(/brokers login alpaca/)]);
    const broker = await createAlpacaBroker({ ...deps, credentials: { apiKey: h.emu.keyId, apiSecret: h.emu.secretKey } });
    await broker.connect();
    expect(broker.account).toBe('PA3EMU0001');
    await broker.close();
  });
});
