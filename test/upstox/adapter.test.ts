import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerEvent } from '../../src/brokers/broker.js';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { order, waitFor } from '../zerodha/harness.js';
import { type UpstoxHarness, startUpstoxHarness } from './harness.js';

let h: UpstoxHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Upstox adapter against the emulator', () => {
  it('maps instruments from the gzipped master, reads the snapshot in paise with T+1, and sends a v3 placement with our tag', async () => {
    h = await startUpstoxHarness({ cash: 1_234_567, holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_050 }], matchIntervalMs: 0 });
    const { broker, emu } = h;
    await broker.connect();
    expect(broker.account).toBe('UX1234');
    const [infy, unknown] = [await broker.instruments([{ symbol: 'INFY', exchange: 'NSE' }]), await broker.instruments([{ symbol: 'NIFTY' }])];
    expect(infy).toEqual([expect.objectContaining({ symbol: 'INFY', exchange: 'NSE', tickSize: 10, lotSize: 1, brokerToken: 'NSE_EQ|INE009A01021', isin: 'INE009A01021' })]);
    expect(unknown).toEqual([]);
    expect(await broker.holdings()).toEqual([{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_050, lastPrice: 150_000 }]);
    expect(await broker.funds()).toEqual({ currency: 'INR', available: 1_234_567, used: 0 });
    const [quote] = await broker.quotes([{ symbol: 'SBIN', exchange: 'NSE' }]);
    expect(quote).toMatchObject({ symbol: 'SBIN', exchange: 'NSE', bid: 80_000, ask: 80_005, last: 80_000, close: 79_500 });

    const { brokerOrderId } = await broker.placeOrder(order({ clientOrderId: 'R1L1C1', symbol: 'SBIN', quantity: 4, limitPrice: 80_005 }));
    const placed = emu.server.calls.find((c) => c.path === '/v3/order/place')!;
    expect(placed.headers.authorization).toBe('Bearer upstox-emu-token-0001');
    expect(JSON.parse(placed.body)).toEqual({ quantity: 4, product: 'D', validity: 'DAY', price: 800.05, tag: 'R1L1C1', instrument_token: 'NSE_EQ|INE062A01020', order_type: 'LIMIT', transaction_type: 'BUY', disclosed_quantity: 0, trigger_price: 0, is_amo: false, slice: false });
    await waitFor(() => emu.exchange.order(brokerOrderId)?.phase === 'open', 'the order to open');
    emu.exchange.match();
    emu.exchange.match();
    const found = await broker.findOrderByClientId('R1L1C1');
    expect(found).toMatchObject({ brokerOrderId, status: 'filled', filledQuantity: 4, averagePrice: 80_005, brokerStatus: 'complete' });
    expect((await broker.trades()).map((t) => [t.quantity, t.price, t.clientOrderId])).toEqual([[2, 80_005, 'R1L1C1'], [2, 80_005, 'R1L1C1']]);
    expect(await broker.positions()).toEqual([{ symbol: 'SBIN', exchange: 'NSE', quantity: 4, averagePrice: 80_005, product: 'delivery' }]);
    // The master was downloaded once for the day.
    expect(emu.masterDownloads()).toBe(1);
  });

  it('modifies and cancels with v3 calls, refuses bad input before sending, and maps rejections with the reason', async () => {
    h = await startUpstoxHarness({ matchIntervalMs: 0, holdings: [] });
    const { broker, emu } = h;
    const { brokerOrderId } = await broker.placeOrder(order({ clientOrderId: 'M1', symbol: 'ITC', quantity: 10, limitPrice: 41_000 }));
    await waitFor(() => emu.exchange.order(brokerOrderId)?.phase === 'open', 'the order to open');
    await broker.modifyOrder(brokerOrderId, { limitPrice: 41_005 });
    expect(JSON.parse(emu.server.calls.find((c) => c.path === '/v3/order/modify')!.body)).toEqual({ order_id: brokerOrderId, quantity: 10, validity: 'DAY', price: 410.05, order_type: 'LIMIT', disclosed_quantity: 0, trigger_price: 0 });
    expect(emu.exchange.order(brokerOrderId)!.price).toBe(41_005);
    await broker.cancelOrder(brokerOrderId);
    expect(emu.server.calls.find((c) => c.method === 'DELETE')).toMatchObject({ path: '/v3/order/cancel', status: 200 });
    expect((await broker.orders())[0]).toMatchObject({ status: 'cancelled', brokerStatus: 'cancelled' });
    const cancelAgain = await broker.cancelOrder(brokerOrderId).catch((e: unknown) => e);
    expect(isBrokerError(cancelAgain, 'rejected') && cancelAgain.message).toMatch(/UDAPI100040 \(HTTP 400\): order .* is cancelled/);

    const before = emu.server.calls.length;
    await expect(broker.placeOrder(order({ clientOrderId: 'has-dash' }))).rejects.toMatchObject({ kind: 'input' });
    await expect(broker.placeOrder(order({ symbol: 'NOSUCH' }))).rejects.toMatchObject({ kind: 'input', message: /not in the Upstox instrument master/ });
    await expect(broker.placeOrder(order({ orderClass: 'bracket', takeProfit: { limitPrice: 1 } }))).rejects.toMatchObject({ kind: 'input' });
    expect(emu.server.calls.slice(before).filter((c) => c.path.startsWith('/v3'))).toEqual([]);

    // Selling what the account does not own: the broker's RMS rejects it, with its reason.
    const sell = await broker.placeOrder(order({ clientOrderId: 'S1', side: 'sell', symbol: 'TCS', type: 'market', limitPrice: undefined, quantity: 3 }));
    const rejected = await waitFor(async () => (await broker.orders()).find((o) => o.brokerOrderId === sell.brokerOrderId && o.status === 'rejected'), 'the rejection');
    expect(rejected).toMatchObject({ brokerStatus: 'rejected', statusMessage: 'Insufficient holdings: 0 available to sell' });
  });

  it('streams order updates with the fills behind them, and resyncs after a cut, a gap, duplicates and reordering', async () => {
    h = await startUpstoxHarness({ matchIntervalMs: 0, holdings: [] });
    const { broker, emu } = h;
    const events: BrokerEvent[] = [];
    broker.subscribe((e) => events.push(e));
    await waitFor(() => emu.server.stream.open() === 1, 'the stream to connect');
    emu.server.stream.duplicateMessages(true);
    const { brokerOrderId } = await broker.placeOrder(order({ clientOrderId: 'W1', symbol: 'SBIN', quantity: 4, limitPrice: 80_005 }));
    await waitFor(() => events.some((e) => e.type === 'order' && e.order.brokerStatus === 'open'), 'open on the stream');
    const words = events.flatMap((e) => (e.type === 'order' ? [e.order.brokerStatus] : []));
    expect(words).toEqual(['put order req received', 'validation pending', 'open pending', 'open']);
    emu.server.stream.duplicateMessages(false);
    emu.exchange.match();
    await waitFor(() => events.some((e) => e.type === 'trade'), 'the first fill');
    // A gap: the completing update never arrives; the reconnect's resync finds it.
    emu.server.stream.dropMessages(1);
    emu.exchange.match();
    emu.server.stream.drop();
    await waitFor(() => events.some((e) => e.type === 'order' && e.order.status === 'filled'), 'the fill after resync');
    expect(events.some((e) => e.type === 'resync')).toBe(true);
    expect(events.filter((e) => e.type === 'trade').map((e) => (e.type === 'trade' ? [e.trade.quantity, e.trade.clientOrderId] : []))).toEqual([[2, 'W1'], [2, 'W1']]);
    expect(events.filter((e) => e.type === 'order' && e.order.brokerOrderId === brokerOrderId && e.order.status === 'filled')).toHaveLength(1);
  });
});
