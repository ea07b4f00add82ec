import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { type AlpacaHarness, startAlpacaHarness } from './harness.js';

let h: AlpacaHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const trailing = (clientOrderId: string, changes: Partial<OrderRequest> = {}): OrderRequest => ({ clientOrderId, symbol: 'AAPL', exchange: 'NASDAQ', side: 'sell', type: 'trailing_stop', quantity: 5, trail: { percent: 2 }, timeInForce: 'day', product: 'delivery', ...changes });
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (err: unknown) => err as BrokerError);
const move = (emu: AlpacaHarness['emu'], last: number) => Object.assign(emu.exchange.instruments.find((i) => i.symbol === 'AAPL')!, { bid: last - 1, ask: last + 1, last });

describe('Alpaca trailing stops against the emulator', () => {
  it('sends trail_percent, follows the high-water mark up, never down, and triggers into a market sell when the price falls through the stop', async () => {
    h = await startAlpacaHarness({ matchIntervalMs: 0, partialFills: false });
    const { brokerOrderId } = await h.broker.placeOrder(trailing('trl1'));
    expect(JSON.parse(h.emu.server.calls.find((c) => c.method === 'POST')!.body)).toEqual({ symbol: 'AAPL', qty: '5', side: 'sell', type: 'trailing_stop', time_in_force: 'day', client_order_id: 'trl1', trail_percent: '2' });
    await vi.waitFor(() => expect(h!.emu.statusOf(h!.emu.exchange.order(brokerOrderId)!)).toBe('new'));
    const row = async () => (await (await fetch(`${h!.emu.url}/v2/orders/${brokerOrderId}`, { headers: { 'apca-api-key-id': h!.emu.keyId, 'apca-api-secret-key': h!.emu.secretKey } })).json()) as Record<string, unknown>;
    // 2 % under the last trade, $270.01, on the cent below.
    expect(await row()).toMatchObject({ type: 'trailing_stop', trail_percent: '2', hwm: '270.01', stop_price: '264.60' });
    move(h.emu, 28_000);
    h.emu.tick();
    expect(await row()).toMatchObject({ hwm: '280.00', stop_price: '274.40', status: 'new' });
    move(h.emu, 27_500);
    h.emu.tick();
    expect(await row()).toMatchObject({ hwm: '280.00', stop_price: '274.40', status: 'new' });
    move(h.emu, 27_400);
    h.emu.tick();
    expect(await h.broker.findOrderByClientId('trl1')).toMatchObject({ type: 'trailing_stop', status: 'filled', filledQuantity: 5, averagePrice: 27_399 });
    expect((await h.broker.trades(brokerOrderId)).map((t) => [t.clientOrderId, t.side, t.quantity, t.price])).toEqual([['trl1', 'sell', 5, 27_399]]);
  });

  it('sends a dollar trail as trail_price; refuses an IOC or a trail-less one before sending, and the emulator answers Alpaca’s 422 for two trails', async () => {
    h = await startAlpacaHarness({ cash: 10_000_000, matchIntervalMs: 0 });
    await h.broker.placeOrder(trailing('trl2', { side: 'buy', quantity: 2, trail: { price: 150 } }));
    expect(JSON.parse(h.emu.server.calls.find((c) => c.method === 'POST')!.body)).toMatchObject({ side: 'buy', type: 'trailing_stop', trail_price: '1.50' });
    const calls = h.emu.server.calls.length;
    for (const [request, code] of [
      [trailing('trl3', { timeInForce: 'ioc' }), 'time_in_force'],
      [trailing('trl4', { trail: undefined }), 'trail'],
      [trailing('trl5', { orderClass: 'bracket', takeProfit: { limitPrice: 28_000 }, stopLoss: { triggerPrice: 26_000 } }), 'order_class'],
    ] as const) {
      const err = await failure(h.broker.placeOrder(request));
      expect([err.kind, err.details.code]).toEqual(['input', code]);
    }
    expect(h.emu.server.calls.length).toBe(calls);
    const headers = { 'content-type': 'application/json', 'apca-api-key-id': h.emu.keyId, 'apca-api-secret-key': h.emu.secretKey };
    const post = async (body: object) => {
      const res = await fetch(`${h!.emu.url}/v2/orders`, { method: 'POST', headers, body: JSON.stringify({ symbol: 'AAPL', qty: '1', side: 'sell', type: 'trailing_stop', time_in_force: 'day', ...body }) });
      return [res.status, await res.json()];
    };
    expect(await post({ trail_price: '1.00', trail_percent: '1' })).toEqual([422, { code: 40010001, message: 'only one of trail_price and trail_percent may be specified' }]);
    expect(await post({})).toEqual([422, { code: 40010001, message: 'trail_price or trail_percent is required for trailing_stop orders' }]);
    expect(await post({ trail_percent: '1', time_in_force: 'ioc' })).toEqual([422, { code: 40010001, message: 'trailing_stop orders must be day or gtc orders' }]);
    expect(await post({ trail_percent: '1', stop_price: '250.00' })).toEqual([422, { code: 40010001, message: 'stop_price must not be set for trailing_stop orders' }]);
  });
});
