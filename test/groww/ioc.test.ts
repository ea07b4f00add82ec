import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { order } from '../zerodha/harness.js';
import { type GrowwHarness, startGrowwHarness } from './harness.js';

// Groww orders are valid for the day only. The algorithms' clean-up children are
// immediate-or-cancel; on Groww the adapter sends them for the day and cancels what is left
// `ioc_cancel_ms` later, so a clean-up never rests in the book.
describe('Groww: immediate-or-cancel without an IOC validity', () => {
  let h: GrowwHarness | undefined;
  afterEach(async () => h?.close());

  it('sends an IOC order as DAY and cancels what did not trade after ioc_cancel_ms', async () => {
    const clock = new VirtualClock(Date.parse('2026-12-03T05:00:00Z'));
    h = await startGrowwHarness({}, { clock, settings: { ioc_cancel_ms: 500 } });
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'IOC1', symbol: 'SBIN', limitPrice: 79_000, quantity: 4, timeInForce: 'ioc' }));
    const sent = h.emu.server.calls.find((c) => c.path === '/v1/order/create')!;
    expect(JSON.parse(sent.body)).toMatchObject({ validity: 'DAY', order_reference_id: expect.stringMatching(/^IOC1/) });
    expect(h.emu.exchange.order(brokerOrderId)!.phase).toBe('open');
    await clock.advance(499);
    expect(h.emu.exchange.order(brokerOrderId)!.phase).toBe('open');
    await clock.advance(1);
    for (let i = 0; i < 50 && h.emu.exchange.order(brokerOrderId)!.phase !== 'cancelled'; i++) await new Promise((r) => setTimeout(r, 10));
    expect(h.emu.exchange.order(brokerOrderId)!.phase).toBe('cancelled');
  });

  it('leaves a filled IOC order alone', async () => {
    const clock = new VirtualClock(Date.parse('2026-12-03T05:00:00Z'));
    h = await startGrowwHarness({}, { clock, settings: { ioc_cancel_ms: 500 } });
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'IOC2', symbol: 'SBIN', limitPrice: 80_005, quantity: 4, timeInForce: 'ioc' }));
    h.emu.exchange.fill(brokerOrderId, 4);
    await clock.advance(500);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.emu.exchange.order(brokerOrderId)!.phase).toBe('complete');
    expect(h.emu.server.calls.filter((c) => c.path === '/v1/order/cancel')).toEqual([]);
  });
});
