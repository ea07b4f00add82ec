import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerEvent } from '../../src/brokers/broker.js';
import { order, waitFor } from '../zerodha/harness.js';
import { type FyersHarness, startFyersHarness } from './harness.js';

let h: FyersHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Fyers order socket', () => {
  it('subscribes with the app-id authorization, reports orders and fills once each, and resyncs from the books after a cut', async () => {
    h = await startFyersHarness({ partialFills: true }, { settings: { ws_silence_ms: 1_000 } });
    const { broker, emu } = h;
    const events: BrokerEvent[] = [];
    broker.subscribe((e) => events.push(e));
    await waitFor(() => emu.subscriptions().length === 1 && emu.server.stream.open() === 1, 'the SUB_ORD subscription');
    expect(emu.subscriptions()[0]).toEqual(['orders', 'trades']);

    emu.server.stream.duplicateMessages(true);
    const { brokerOrderId } = await broker.placeOrder(order({ symbol: 'SBIN', quantity: 10, limitPrice: 80_005 }));
    emu.exchange.match();
    const fills = () => events.filter((e) => e.type === 'trade');
    await waitFor(() => fills().length === 1, 'the first fill');
    await waitFor(() => events.some((e) => e.type === 'order' && e.order.status === 'partially_filled'), 'the partial fill');
    emu.server.stream.duplicateMessages(false);

    // A cut while the rest fills: the reconnect re-reads the books and reports the missed fill.
    emu.server.stream.dropMessages(1_000);
    emu.server.stream.drop();
    emu.exchange.match();
    await waitFor(() => events.some((e) => e.type === 'resync'), 'the resync');
    emu.server.stream.dropMessages(0);
    await waitFor(() => events.some((e) => e.type === 'order' && e.order.status === 'filled'), 'the fill after the resync');
    expect(fills().map((e) => (e.type === 'trade' ? [e.trade.brokerOrderId, e.trade.quantity, e.trade.clientOrderId] : []))).toEqual([
      [brokerOrderId, 5, 'R1L1C1'],
      [brokerOrderId, 5, 'R1L1C1'],
    ]);
    expect(events.filter((e) => e.type === 'order' && e.order.status === 'filled')).toHaveLength(1);
    expect(emu.subscriptions()).toHaveLength(2);
  });

  it('tolerates messages out of order: a late "pending" after "traded" is not news', async () => {
    h = await startFyersHarness();
    const { broker, emu } = h;
    const events: BrokerEvent[] = [];
    broker.subscribe((e) => events.push(e));
    await waitFor(() => emu.subscriptions().length === 1, 'the subscription');
    emu.server.stream.reorderMessages(true);
    await broker.placeOrder(order({ symbol: 'SBIN', quantity: 1, limitPrice: 80_005 }));
    emu.exchange.match();
    emu.server.stream.reorderMessages(false);
    await waitFor(() => events.some((e) => e.type === 'order' && e.order.status === 'filled'), 'the fill');
    await waitFor(() => events.some((e) => e.type === 'trade'), 'the trade');
    await new Promise((r) => setTimeout(r, 100));
    // transit and pending arrived after traded: stale, not reported.
    expect(events.flatMap((e) => (e.type === 'order' ? [e.order.status] : []))).toEqual(['filled']);
    expect(events.filter((e) => e.type === 'trade')).toHaveLength(1);
  });
});
