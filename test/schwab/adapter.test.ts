import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { matchPlacement } from '../../src/brokers/schwab/order-matcher.js';
import type { PlacementRecord } from '../../src/brokers/schwab/placement-journal.js';
import type { SchwabOrder } from '../../src/brokers/schwab/schwab-mapping.js';
import { mapSchwabStatus, schwabOrderBody } from '../../src/brokers/schwab/schwab-mapping.js';
import { BrokerError, isBrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { type SchwabHarness, startSchwabHarness } from './harness.js';

let h: SchwabHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const T0 = Date.parse('2026-12-03T15:00:00Z');
const record: PlacementRecord = { clientOrderId: 'R1L1C1', symbol: 'AAPL', exchange: 'NASDAQ', side: 'buy', type: 'limit', quantity: 10, limitPrice: 26_999, timeInForce: 'day', sentAt: T0 };
const schwabOrder = (id: number, changes: Partial<SchwabOrder> = {}, leg: { instruction?: string; symbol?: string; quantity?: number } = {}): SchwabOrder => ({
  orderId: id,
  session: 'NORMAL',
  duration: 'DAY',
  orderType: 'LIMIT',
  price: 269.99,
  quantity: leg.quantity ?? 10,
  orderStrategyType: 'SINGLE',
  status: 'WORKING',
  enteredTime: '2026-12-03T15:00:01+0000',
  orderLegCollection: [{ instruction: leg.instruction ?? 'BUY', quantity: leg.quantity ?? 10, instrument: { symbol: leg.symbol ?? 'AAPL', assetType: 'EQUITY' } }],
  ...changes,
});

const buy = (clientOrderId: string, changes: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId,
  symbol: 'AAPL',
  exchange: 'NASDAQ',
  side: 'buy',
  type: 'limit',
  quantity: 10,
  limitPrice: 26_000,
  timeInForce: 'day',
  product: 'delivery',
  ...changes,
});

describe('Schwab: finding an order whose placement went unanswered (no client order id field)', () => {
  it('matches symbol, instruction, quantity, type, duration, prices and entered time within the window; already-bound orders are not candidates; two candidates are ambiguous', () => {
    const window = 120_000;
    expect(matchPlacement(record, [], new Set(), window)).toEqual({ kind: 'absent' });
    expect(matchPlacement(record, [schwabOrder(1)], new Set(), window)).toMatchObject({ kind: 'found', order: { orderId: 1 } });
    // Each difference rules an order out.
    const others = [
      schwabOrder(2, { price: 270 }),
      schwabOrder(3, {}, { instruction: 'SELL' }),
      schwabOrder(4, {}, { symbol: 'MSFT' }),
      schwabOrder(5, { quantity: 11 }, { quantity: 11 }),
      schwabOrder(6, { orderType: 'MARKET', price: undefined }),
      schwabOrder(7, { duration: 'GOOD_TILL_CANCEL' }),
      schwabOrder(8, { enteredTime: '2026-12-03T15:02:01+0000' }),
      schwabOrder(9, { enteredTime: '2026-12-03T14:57:59+0000' }),
    ];
    expect(matchPlacement(record, others, new Set(), window)).toEqual({ kind: 'absent' });
    // An order another of our ids already owns is not this one.
    expect(matchPlacement(record, [schwabOrder(1), schwabOrder(10)], new Set(['1']), window)).toMatchObject({ kind: 'found', order: { orderId: 10 } });
    const ambiguous = matchPlacement(record, [schwabOrder(1), schwabOrder(10, { enteredTime: '2026-12-03T14:59:30+0000' })], new Set(), window);
    expect(ambiguous.kind).toBe('ambiguous');
    expect(ambiguous.kind === 'ambiguous' && ambiguous.candidates.map((o) => o.orderId)).toEqual([1, 10]);
  });

  it('finds a booked order after a reset, stops on two identical candidates without sending anything, and finds a lost one absent', async () => {
    h = await startSchwabHarness({ holdings: [] }, { settings: { timeout_ms: 300 } });
    const { broker, emu } = h;
    await broker.connect();
    // Booked, answer lost: found by what was sent, and bound to our id from then on.
    emu.server.faults.bookThenReset();
    const lostAnswer = await broker.placeOrder(buy('RESET1')).catch((e: unknown) => e);
    expect(isBrokerError(lostAnswer, 'unknown_outcome')).toBe(true);
    const found = await broker.findOrderByClientId('RESET1');
    expect(found).toMatchObject({ clientOrderId: 'RESET1', symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, limitPrice: 26_000, status: 'accepted', brokerStatus: 'WORKING' });
    expect((await broker.orders()).filter((o) => o.clientOrderId === 'RESET1').map((o) => o.brokerOrderId)).toEqual([found!.brokerOrderId]);

    // Someone places the same order in Schwab's app while ours is lost after booking: two candidates.
    const elsewhere = emu.placeElsewhere({ symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: 7, price: 25_000, trigger: 0 });
    emu.server.faults.bookThenReset();
    await broker.placeOrder(buy('TWIN1', { quantity: 7, limitPrice: 25_000 })).catch(() => undefined);
    const booked = emu.exchange.orders().length;
    const err = await broker.findOrderByClientId('TWIN1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokerError);
    expect(err).toMatchObject({ kind: 'input', details: { code: 'ambiguous_order' } });
    expect((err as BrokerError).message).toMatch(/order TWIN1 \(buy 7 AAPL limit\) went out without an answer, and 2 Schwab orders match it .*sends nothing again/);
    expect((err as BrokerError).hint).toContain('"claims": {"TWIN1": "<one of');
    expect(emu.exchange.orders().length).toBe(booked);
    // Lost before Schwab booked it: absent, so the engine may send it again, once.
    emu.server.faults.loseNextPlacement();
    expect(isBrokerError(await broker.placeOrder(buy('LOST1', { quantity: 3 })).catch((e: unknown) => e), 'unknown_outcome')).toBe(true);
    expect(await broker.findOrderByClientId('LOST1')).toBeUndefined();
    const { brokerOrderId } = await broker.placeOrder(buy('LOST1', { quantity: 3 }));
    expect(await broker.findOrderByClientId('LOST1')).toMatchObject({ brokerOrderId, clientOrderId: 'LOST1' });
    // Orders placed elsewhere carry no client id of ours.
    expect((await broker.orders()).find((o) => o.brokerOrderId === elsewhere)?.clientOrderId).toBeUndefined();
  });

  it('keeps its journal in the ptexec database: a resumed adapter finds its orders, and a claim settles an ambiguity', async () => {
    h = await startSchwabHarness({ holdings: [] }, { settings: { timeout_ms: 300 } });
    const store = openDatabase(':memory:');
    const tables = store.brokerTables('schwab');
    const first = h.open({ tables });
    await first.connect();
    const { brokerOrderId } = await first.placeOrder(buy('KEPT1'));
    h.emu.placeElsewhere({ symbol: 'MSFT', side: 'SELL', type: 'MARKET', quantity: 2, price: 0, trigger: 0 });
    h.emu.server.faults.bookThenReset();
    await first.placeOrder(buy('TWIN2', { symbol: 'MSFT', side: 'sell', type: 'market', quantity: 2, limitPrice: undefined })).catch(() => undefined);
    await first.close();

    const resumed = h.open({ tables });
    expect(await resumed.findOrderByClientId('KEPT1')).toMatchObject({ brokerOrderId, clientOrderId: 'KEPT1' });
    await expect(resumed.findOrderByClientId('TWIN2')).rejects.toMatchObject({ details: { code: 'ambiguous_order' } });
    const ours = h.emu.exchange.orders().at(-1)!.id;
    const answered = h.open({ tables, settings: { claims: { TWIN2: ours } } });
    expect(await answered.findOrderByClientId('TWIN2')).toMatchObject({ brokerOrderId: ours, clientOrderId: 'TWIN2', side: 'sell', type: 'market' });
    // The binding is kept: without the claim, the order is now known.
    expect(await h.open({ tables }).findOrderByClientId('TWIN2')).toMatchObject({ brokerOrderId: ours });
    store.close();
  });
});

describe('Schwab order JSON, statuses, fills and the account', () => {
  it('sends the documented order JSON, reads the order id from Location, maps fills from executionLegs, and replaces by PUT under a new id', async () => {
    h = await startSchwabHarness({ holdings: [{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 5, averagePrice: 25_000 }] });
    const { broker, emu } = h;
    const { brokerOrderId } = await broker.placeOrder(buy('JSON1', { type: 'stop_limit', triggerPrice: 28_000, limitPrice: 28_100, quantity: 4 }));
    const placed = emu.server.calls.find((c) => c.method === 'POST' && c.path.endsWith('/orders'))!;
    expect(placed.path).toBe(`/trader/v1/accounts/${'9E3B5C7A1D2F4B6E8A0C2E4F6A8B0D1F3E5C7A9B1D3F5E7A9C1E3F5A7B9D1E3'}/orders`);
    expect(placed.headers.authorization).toBe('Bearer emu-schwab-access-token-0001');
    expect(JSON.parse(placed.body)).toEqual({
      session: 'NORMAL',
      duration: 'DAY',
      orderType: 'STOP_LIMIT',
      price: 281,
      stopPrice: 280,
      orderStrategyType: 'SINGLE',
      orderLegCollection: [{ instruction: 'BUY', quantity: 4, instrument: { symbol: 'AAPL', assetType: 'EQUITY' } }],
    });
    expect(placed.status).toBe(201);
    expect(brokerOrderId).toBe(emu.exchange.orders()[0]!.id);

    const { brokerOrderId: partId } = await broker.placeOrder(buy('FILL1', { quantity: 6 }));
    emu.exchange.fill(partId, 2, 26_000);
    expect(await broker.findOrderByClientId('FILL1')).toMatchObject({ status: 'partially_filled', filledQuantity: 2, averagePrice: 26_000 });
    emu.exchange.fill(partId, 4, 25_990);
    const trades = await broker.trades(partId);
    expect(trades.map((t) => [t.tradeId, t.quantity, t.price, t.clientOrderId])).toEqual([[`${partId}-1-1`, 2, 26_000, 'FILL1'], [`${partId}-2-1`, 4, 25_990, 'FILL1']]);
    expect(await broker.findOrderByClientId('FILL1')).toMatchObject({ status: 'filled', filledQuantity: 6, averagePrice: (2 * 26_000 + 4 * 25_990) / 6 });

    // Replace: Schwab cancels the order (REPLACED) and our id moves to the new one.
    const { brokerOrderId: oldId } = await broker.placeOrder(buy('REPL1'));
    await broker.modifyOrder(oldId, { quantity: 8, limitPrice: 25_900 });
    const now = await broker.findOrderByClientId('REPL1');
    expect(now).toMatchObject({ quantity: 8, limitPrice: 25_900, status: 'accepted' });
    expect(now!.brokerOrderId).not.toBe(oldId);
    expect((await broker.orders()).find((o) => o.brokerOrderId === oldId)).toMatchObject({ brokerStatus: 'REPLACED', status: 'cancelled' });

    // Cancel, then a second cancel is Schwab refusing it.
    await broker.cancelOrder(now!.brokerOrderId);
    expect((await broker.findOrderByClientId('REPL1'))?.brokerStatus).toBe('CANCELED');
    const again = await broker.cancelOrder(now!.brokerOrderId).catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: 'rejected' });
    expect((again as Error).message).toMatch(/DELETE \/accounts\/.*\/orders\/\d+: HTTP 400: Order is not cancelable/);

    // Holdings: settled and T+1 (today's 6 bought shares are unsettled), exchange learnt from the instrument search; USD cents.
    expect(await broker.holdings()).toEqual([{ symbol: 'AAPL', exchange: 'NASDAQ', quantity: 10, t1Quantity: 11, averagePrice: 25_000, lastPrice: 27_001 }]);
    expect(await broker.funds()).toMatchObject({ currency: 'USD' });
    expect(await broker.positions()).toEqual([]);
  });

  it('maps every documented status, live ones with fills as partially filled; an unknown word is a protocol error', () => {
    expect(mapSchwabStatus('WORKING', 0)).toBe('accepted');
    expect(mapSchwabStatus('WORKING', 3)).toBe('partially_filled');
    expect(mapSchwabStatus('PENDING_CANCEL', 3)).toBe('pending_cancel');
    expect(mapSchwabStatus('REPLACED', 0)).toBe('cancelled');
    expect(() => mapSchwabStatus('HALF_BAKED', 0)).toThrow(/status ptexec does not know: "HALF_BAKED"/);
    expect(schwabOrderBody(buy('X', { type: 'market', limitPrice: undefined, timeInForce: 'ioc', side: 'sell' }))).toEqual({
      session: 'NORMAL',
      duration: 'IMMEDIATE_OR_CANCEL',
      orderType: 'MARKET',
      orderStrategyType: 'SINGLE',
      orderLegCollection: [{ instruction: 'SELL', quantity: 10, instrument: { symbol: 'AAPL', assetType: 'EQUITY' } }],
    });
  });

  it("refuses an order Schwab refuses with Schwab's reason, and forgets it", async () => {
    h = await startSchwabHarness();
    const { broker } = h;
    const err = await broker.placeOrder(buy('BAD1', { symbol: 'NOPE' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rejected' });
    expect((err as Error).message).toMatch(/POST \/accounts\/\S+\/orders: HTTP 400: A validation error occurred while processing the request.; symbol NOPE is not valid/);
    expect(await broker.findOrderByClientId('BAD1')).toBeUndefined();
  });
});

describe('Schwab access token during a run', () => {
  it('renews the 30-minute token with the refresh token before it expires and after a 401; without a refresh token the 401 is a clear auth error', async () => {
    h = await startSchwabHarness({}, { app: { apiKey: 'EmuSchwabAppKey0000000000000001', apiSecret: 'EmuSchwabSecret1' }, refreshToken: 'emu-schwab-refresh-token-0001', expiresAt: Date.now() + 30_000 });
    const { broker, emu } = h;
    await broker.connect();
    const renewals = () => emu.server.calls.filter((c) => c.path === '/v1/oauth/token').length;
    expect(renewals()).toBe(1);
    const form = new URLSearchParams(emu.server.calls.find((c) => c.path === '/v1/oauth/token')!.body);
    expect(Object.fromEntries(form)).toEqual({ grant_type: 'refresh_token', refresh_token: 'emu-schwab-refresh-token-0001' });
    expect(emu.server.calls.at(-1)!.headers.authorization).toMatch(/^Bearer emu-schwab-token-1-/);
    // Schwab drops every token: the next call renews once and succeeds.
    emu.tokens.clear();
    expect((await broker.funds()).currency).toBe('USD');
    expect(renewals()).toBe(2);

    const bare = h.open({ app: undefined, refreshToken: undefined });
    emu.tokens.clear();
    const err = await bare.funds().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth', details: { status: 401 } });
    expect((err as BrokerError).message).toMatch(/the Schwab session is no longer valid — GET \/accounts\/accountNumbers: HTTP 401: Client not authorized/);
    expect((err as BrokerError).hint).toMatch(/ptexec brokers login schwab/);
  });
});
