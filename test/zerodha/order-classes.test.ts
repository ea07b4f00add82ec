import { afterEach, describe, expect, it } from 'vitest';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { type Harness, order, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Requests that could have created anything at the broker (orders or GTT triggers). */
function writes(harness: Harness) {
  return harness.emu.state.requests.filter((r) => r.method !== 'GET');
}

describe('Zerodha adapter: bracket and OCO order classes', () => {
  it('does not advertise bracket or OCO orders', async () => {
    h = await startHarness();
    expect(h.broker.capabilities.orderClasses ?? []).toEqual([]);
  });

  it('refuses a bracket order with an input error before anything is sent', async () => {
    h = await startHarness();
    const error = await h.broker
      .placeOrder(order({ clientOrderId: 'BR1', orderClass: 'bracket', takeProfit: { limitPrice: 155_000 }, stopLoss: { triggerPrice: 145_000 } }))
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'input')).toBe(true);
    expect((error as Error).message).toMatch(/^Kite does not support bracket orders for equity; /);
    expect(h.emu.state.requests).toEqual([]);
  });

  it('refuses an OCO order (no native OCO; GTT two-leg triggers are not orders) before anything is sent', async () => {
    h = await startHarness();
    await h.broker.connect();
    const before = h.emu.state.requests.length;
    const error = await h.broker
      .placeOrder(order({ clientOrderId: 'OCO1', side: 'sell', orderClass: 'oco', takeProfit: { limitPrice: 155_000 }, stopLoss: { triggerPrice: 145_000 } }))
      .catch((e: unknown) => e);
    expect(isBrokerError(error, 'input')).toBe(true);
    expect((error as Error).message).toMatch(/Kite does not support OCO orders/);
    expect(h.emu.state.requests.length).toBe(before);
    expect(writes(h)).toEqual([]);
  });

  it('refuses exit legs on a simple order, and still places simple orders', async () => {
    h = await startHarness();
    const error = await h.broker.placeOrder(order({ clientOrderId: 'S1', stopLoss: { triggerPrice: 145_000 } })).catch((e: unknown) => e);
    expect(isBrokerError(error, 'input')).toBe(true);
    expect(writes(h)).toEqual([]);
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'S2', orderClass: 'simple' }));
    expect(brokerOrderId).toBeTruthy();
    expect(writes(h).map((r) => r.path)).toEqual(['/orders/regular']);
  });
});
