import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrokerEvent, BrokerOrder } from '../../src/brokers/broker.js';
import { AlpacaBroker } from '../../src/brokers/alpaca/alpaca-broker.js';
import type { BrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { emulatorSettings, type AlpacaHarness, startAlpacaHarness } from './harness.js';

let h: AlpacaHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bracket = (clientOrderId: string, changes: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId,
  symbol: 'MSFT',
  exchange: 'NASDAQ',
  side: 'buy',
  type: 'limit',
  quantity: 4,
  limitPrice: 50_003,
  timeInForce: 'day',
  product: 'delivery',
  orderClass: 'bracket',
  takeProfit: { limitPrice: 51_000 },
  stopLoss: { triggerPrice: 49_000 },
  ...changes,
});
const oco = (clientOrderId: string, changes: Partial<OrderRequest> = {}): OrderRequest => ({
  clientOrderId,
  symbol: 'AAPL',
  exchange: 'NASDAQ',
  side: 'sell',
  type: 'limit',
  quantity: 5,
  limitPrice: 28_000,
  timeInForce: 'day',
  product: 'delivery',
  orderClass: 'oco',
  takeProfit: { limitPrice: 28_000 },
  stopLoss: { triggerPrice: 26_500 },
  ...changes,
});
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as BrokerError);
const byClient = (orders: BrokerOrder[]) => Object.fromEntries(orders.map((o) => [o.clientOrderId, [o.status, o.brokerStatus, o.filledQuantity]]));

/** Moves the emulator's market for a symbol to `last`, one cent either side. */
function move(emu: AlpacaHarness['emu'], symbol: string, last: number): void {
  Object.assign(emu.exchange.instruments.find((i) => i.symbol === symbol)!, { bid: last - 1, ask: last + 1, last });
}

/** Waits until the emulator has accepted every order placed (held legs wait for their entry). */
async function accepted(emu: AlpacaHarness['emu']): Promise<void> {
  await vi.waitFor(() => expect(emu.exchange.orders().filter((o) => o.phase === 'received' && emu.statusOf(o) !== 'held')).toEqual([]));
}

function listen(broker: AlpacaBroker): BrokerEvent[] {
  const events: BrokerEvent[] = [];
  broker.subscribe((e) => events.push(e));
  return events;
}
const tradesOf = (events: BrokerEvent[]) => events.flatMap((e) => (e.type === 'trade' ? [[e.trade.clientOrderId, e.trade.quantity]] : []));
const lastStatus = (events: BrokerEvent[], clientOrderId: string) => events.findLast((e) => e.type === 'order' && e.order.clientOrderId === clientOrderId)?.type === 'order' ? (events.findLast((e) => e.type === 'order' && e.order.clientOrderId === clientOrderId) as { order: BrokerOrder }).order.status : undefined;

describe('Alpaca bracket and OCO orders against the emulator', () => {
  it('sends a bracket as Alpaca’s order_class with its legs, reports the legs under <id>TP and <id>SL: held, live once the entry fills, the take-profit fills and cancels the stop-loss', async () => {
    h = await startAlpacaHarness({ cash: 10_000_000, matchIntervalMs: 0, partialFills: false });
    const events = listen(h.broker);
    await vi.waitFor(() => expect(h!.emu.server.stream.clients.size).toBe(1));
    await h.broker.placeOrder(bracket('brk1'));
    const post = h.emu.server.calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(post.body)).toEqual({ symbol: 'MSFT', qty: '4', side: 'buy', type: 'limit', time_in_force: 'day', limit_price: '500.03', client_order_id: 'brk1', order_class: 'bracket', take_profit: { limit_price: '510.00' }, stop_loss: { stop_price: '490.00' } });
    expect(byClient(await h.broker.orders())).toMatchObject({ brk1TP: ['accepted', 'held', 0], brk1SL: ['accepted', 'held', 0] });

    await accepted(h.emu);
    h.emu.exchange.match();
    await vi.waitFor(async () => expect(byClient(await h!.broker.orders())).toEqual({ brk1: ['filled', 'filled', 4], brk1TP: ['accepted', 'new', 0], brk1SL: ['accepted', 'new', 0] }));
    move(h.emu, 'MSFT', 51_050);
    h.emu.exchange.match();
    await vi.waitFor(() => expect(lastStatus(events, 'brk1SL')).toBe('cancelled'));
    await h.broker.resync('test');
    expect(byClient(await h.broker.orders())).toEqual({ brk1: ['filled', 'filled', 4], brk1TP: ['filled', 'filled', 4], brk1SL: ['cancelled', 'canceled', 0] });
    // Each fill reported once, under the client id of the order that traded.
    expect(tradesOf(events).filter(([id]) => id !== undefined)).toEqual([['brk1', 4], ['brk1TP', 4]]);
    const trades = await h.broker.trades();
    expect(trades.filter((t) => t.clientOrderId?.startsWith('brk1')).map((t) => [t.clientOrderId, t.side, t.quantity, t.price])).toEqual([['brk1', 'buy', 4, 50_003], ['brk1TP', 'sell', 4, 51_049]]);
  });

  it('after a restart finds the legs again in the nested order book and by <id>TP / <id>SL, without counting a fill twice', async () => {
    h = await startAlpacaHarness({ cash: 10_000_000, matchIntervalMs: 0, partialFills: false });
    const open = () => new AlpacaBroker({ settings: emulatorSettings(h!.emu), keyId: h!.emu.keyId, secretKey: h!.emu.secretKey, clock: new WallClock(), rateLimit: false });
    const first = open();
    await first.placeOrder(bracket('brk2', { type: 'market', limitPrice: undefined }));
    await accepted(h.emu);
    h.emu.exchange.match();
    await first.close();
    // While no adapter runs, the price falls through the stop: the stop-loss fills, the take-profit is cancelled.
    move(h.emu, 'MSFT', 48_900);
    h.emu.exchange.match();

    const fresh = open();
    try {
      expect(await fresh.findOrderByClientId('brk2SL')).toMatchObject({ clientOrderId: 'brk2SL', side: 'sell', type: 'stop', status: 'filled', filledQuantity: 4 });
      expect(await fresh.findOrderByClientId('brk2TP')).toMatchObject({ clientOrderId: 'brk2TP', status: 'cancelled' });
      expect(await fresh.findOrderByClientId('brk2XX')).toBeUndefined();
      const sl = (await fresh.orders()).find((o) => o.clientOrderId === 'brk2SL')!;
      const events = listen(fresh);
      await fresh.resync('restart');
      expect(tradesOf(events).filter(([id]) => id !== undefined)).toEqual([['brk2', 4], ['brk2SL', 4]]);
      const ids = (await fresh.trades()).map((t) => t.tradeId);
      expect(new Set(ids).size).toBe(ids.length);
      expect((await fresh.trades(sl.brokerOrderId)).map((t) => [t.clientOrderId, t.quantity, t.price])).toEqual([['brk2SL', 4, 48_899]]);
      // A second read reports nothing new.
      const before = events.length;
      await fresh.resync('again');
      expect(events.slice(before).filter((e) => e.type !== 'resync')).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it('places an OCO exit as its take-profit limit with a stop-loss leg, one cancelling the other when the stop triggers', async () => {
    h = await startAlpacaHarness({ matchIntervalMs: 0, partialFills: false });
    await h.broker.placeOrder(oco('oco1'));
    await accepted(h.emu);
    const post = h.emu.server.calls.find((c) => c.method === 'POST')!;
    expect(JSON.parse(post.body)).toEqual({ symbol: 'AAPL', qty: '5', side: 'sell', type: 'limit', time_in_force: 'day', client_order_id: 'oco1', order_class: 'oco', take_profit: { limit_price: '280.00' }, stop_loss: { stop_price: '265.00' } });
    await vi.waitFor(async () => expect(byClient(await h!.broker.orders())).toEqual({ oco1: ['accepted', 'new', 0], oco1SL: ['accepted', 'new', 0] }));
    move(h.emu, 'AAPL', 26_400);
    h.emu.exchange.match();
    expect(byClient(await h.broker.orders())).toEqual({ oco1: ['cancelled', 'canceled', 0], oco1SL: ['filled', 'filled', 5] });
    expect((await h.broker.trades()).filter((t) => t.clientOrderId === 'oco1SL').map((t) => t.quantity)).toEqual([5]);
  });

  it('shrinks the other leg when one fills in part, and cancels it when the rest fills: never more than the quantity between them', async () => {
    h = await startAlpacaHarness({ matchIntervalMs: 0, partialFills: true });
    await h.broker.placeOrder(oco('oco3', { quantity: 6 }));
    await accepted(h.emu);
    move(h.emu, 'AAPL', 28_050);
    h.emu.exchange.match();
    const after = (await h.broker.orders()).filter((o) => o.clientOrderId?.startsWith('oco3'));
    expect(after.map((o) => [o.clientOrderId, o.quantity, o.filledQuantity, o.status])).toEqual([['oco3', 6, 3, 'partially_filled'], ['oco3SL', 3, 0, 'accepted']]);
    h.emu.exchange.match();
    expect(byClient(await h.broker.orders())).toMatchObject({ oco3: ['filled', 'filled', 6], oco3SL: ['cancelled', 'canceled', 0] });
    expect((await h.broker.trades()).filter((t) => t.clientOrderId?.startsWith('oco3')).reduce((n, t) => n + t.quantity, 0)).toBe(6);
  });

  it('cancels a bracket with its held legs, refuses to replace its orders, and keeps Alpaca’s answer when it refuses the prices', async () => {
    h = await startAlpacaHarness({ cash: 10_000_000, matchIntervalMs: 0 });
    const { brokerOrderId } = await h.broker.placeOrder(bracket('brk3', { limitPrice: 49_000, takeProfit: { limitPrice: 51_000 }, stopLoss: { triggerPrice: 48_000, limitPrice: 47_900 } }));
    const placed = JSON.parse(h.emu.server.calls.find((c) => c.method === 'POST')!.body) as { stop_loss: unknown };
    expect(placed.stop_loss).toEqual({ stop_price: '480.00', limit_price: '479.00' });
    const replace = await failure(h.broker.modifyOrder(brokerOrderId, { limitPrice: 49_100 }));
    expect([replace.kind, replace.details.code]).toEqual(['input', 'linked_replace']);
    expect(h.emu.server.calls.filter((c) => c.method === 'PATCH')).toEqual([]);
    await h.broker.cancelOrder(brokerOrderId);
    expect(byClient(await h.broker.orders())).toEqual({ brk3: ['cancelled', 'canceled', 0], brk3TP: ['cancelled', 'canceled', 0], brk3SL: ['cancelled', 'canceled', 0] });

    // A take-profit under the entry's limit: Alpaca's own 422, nothing placed.
    const refused = await failure(h.broker.placeOrder(bracket('brk4', { takeProfit: { limitPrice: 50_003 } })));
    expect([refused.kind, refused.details.status, refused.details.code]).toEqual(['rejected', 422, '42210000']);
    expect(refused.message).toMatch(/take_profit\.limit_price must be >= base_price \+ 0\.01/);
    // A buying OCO (Alpaca's OCO only exits a position) and an IOC bracket are refused before sending.
    const calls = h.emu.server.calls.length;
    for (const request of [oco('oco2', { side: 'buy', takeProfit: { limitPrice: 26_000 }, stopLoss: { triggerPrice: 28_000 } }), bracket('brk5', { timeInForce: 'ioc' })]) {
      const err = await failure(h.broker.placeOrder(request));
      expect([err.kind, err.details.code]).toEqual(['input', 'order_class']);
    }
    expect(h.emu.server.calls.length).toBe(calls);
  });

  it('the emulator answers Alpaca’s 422 for a bracket or OCO it would not run', async () => {
    h = await startAlpacaHarness({ cash: 10_000_000, matchIntervalMs: 0 });
    const headers = { 'content-type': 'application/json', 'apca-api-key-id': h.emu.keyId, 'apca-api-secret-key': h.emu.secretKey };
    const post = async (body: object) => {
      const res = await fetch(`${h!.emu.url}/v2/orders`, { method: 'POST', headers, body: JSON.stringify({ symbol: 'MSFT', qty: '2', side: 'buy', type: 'limit', limit_price: '500.00', time_in_force: 'day', order_class: 'bracket', ...body }) });
      return [res.status, await res.json()];
    };
    const tp = { limit_price: '510.00' };
    const sl = { stop_price: '490.00' };
    expect(await post({ take_profit: tp })).toEqual([422, { code: 40010001, message: 'bracket orders require take_profit.limit_price and stop_loss.stop_price' }]);
    expect(await post({ take_profit: tp, stop_loss: sl, time_in_force: 'ioc' })).toEqual([422, { code: 40010001, message: 'bracket orders must be day or gtc orders' }]);
    expect(await post({ take_profit: tp, stop_loss: sl, type: 'stop', limit_price: undefined, stop_price: '505.00' })).toEqual([422, { code: 40010001, message: 'bracket orders must be market or limit orders' }]);
    expect(await post({ take_profit: { limit_price: '500.00' }, stop_loss: sl })).toEqual([422, { code: 42210000, message: 'take_profit.limit_price must be >= base_price + 0.01 (base_price 500.00)' }]);
    expect(await post({ take_profit: tp, stop_loss: { stop_price: '500.00' } })).toEqual([422, { code: 42210000, message: 'stop_loss.stop_price must be <= base_price - 0.01 (base_price 500.00)' }]);
    expect(await post({ take_profit: tp, stop_loss: { stop_price: '490.00', limit_price: '491.00' } })).toEqual([422, { code: 42210000, message: 'stop_loss.limit_price must be <= stop_loss.stop_price' }]);
    expect(await post({ order_class: 'simple', take_profit: tp })).toEqual([422, { code: 40010001, message: 'take_profit and stop_loss are only allowed for bracket, oco and oto orders' }]);
    // An OCO: a limit exit of a position, its limit the take-profit's.
    const oco = { symbol: 'AAPL', side: 'sell', order_class: 'oco', limit_price: undefined, take_profit: { limit_price: '280.00' }, stop_loss: { stop_price: '265.00' } };
    expect(await post({ ...oco, type: 'market' })).toEqual([422, { code: 40010001, message: 'oco orders must be limit orders' }]);
    expect(await post({ ...oco, side: 'buy', take_profit: { limit_price: '265.00' }, stop_loss: { stop_price: '280.00' } })).toEqual([422, { code: 42210000, message: 'oco orders must exit a position' }]);
    expect(await post({ ...oco, limit_price: '279.00' })).toEqual([422, { code: 40010001, message: 'limit_price must equal take_profit.limit_price for oco orders' }]);
    expect(await post({ ...oco, qty: '100' })).toEqual([403, { code: 40310000, message: 'insufficient qty available for order (requested: 100, available: 15)' }]);
    expect(h.emu.exchange.orders()).toEqual([]);
  });
});
