import { describe, expect } from 'vitest';
import { ORDER_STATUSES, type OrderRequest, type OrderType } from '../../../src/domain/order.js';
import { clientId, expectBrokerError, failureOf, kitCase, onTick, priced, restingBuy, sharedVenue, until } from '../kit.js';
import type { ConformanceSubject } from '../subject.js';

const ALL_TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'];

/** Placement: our id in the broker's reference field, every supported type, refusals before anything is sent. */
export function placementCases(subject: ConformanceSubject): void {
  describe('placement', () => {
    const venue = sharedVenue(subject);

    kitCase(subject, "placement: our client id travels in the broker's reference field", undefined, async (v) => {
      const { broker } = v();
      const id = clientId('tag');
      const rules = broker.capabilities.clientOrderId;
      expect(id.length <= rules.maxLength && rules.pattern.test(id), `${id} within ${rules.pattern}`).toBe(true);
      const sentBefore = v().requests().length;
      const { brokerOrderId } = await broker.placeOrder(restingBuy(await priced(v(), 'first'), id));
      const placed = v().requests().slice(sentBefore);
      if (placed.length > 0) expect(placed.some((r) => r.body.includes(id) || Object.values(r.headers).some((h) => String(h).includes(id))), 'the client id on the wire').toBe(true);
      const found = await broker.findOrderByClientId(id);
      expect(found).toMatchObject({ brokerOrderId, clientOrderId: id });
      expect((await broker.orders()).filter((o) => o.clientOrderId === id).map((o) => o.brokerOrderId)).toEqual([brokerOrderId]);
    }, venue);

    kitCase(subject, 'placement: every supported order type', undefined, async (v) => {
      const { broker } = v();
      const p = await priced(v(), 'first');
      for (const type of broker.capabilities.orderTypes) {
        const id = clientId(type.replace('_', ''));
        const request = restingBuy(p, id, type, 2);
        await broker.placeOrder(request);
        const order = await until(() => broker.findOrderByClientId(id), `the ${type} order`);
        expect({ type: order.type, side: order.side, quantity: order.quantity }, type).toEqual({ type, side: 'buy', quantity: 2 });
        expect(ORDER_STATUSES).toContain(order.status);
        expect(order.status, `${type}: ${order.statusMessage ?? ''}`).not.toBe('rejected');
        if (request.limitPrice !== undefined && order.limitPrice !== undefined) expect(order.limitPrice).toBe(request.limitPrice);
      }
    }, venue);

    kitCase(subject, 'placement: an unsupported order type is refused before sending', undefined, async (v) => {
      const { broker } = v();
      const p = await priced(v(), 'first');
      const tick = p.instrument.tickSize;
      const unsupported: OrderRequest[] = [
        ...ALL_TYPES.filter((t) => !broker.capabilities.orderTypes.includes(t)).map((t) => restingBuy(p, clientId('no'), t)),
        ...(['bracket', 'oco'] as const)
          .filter((c) => !broker.capabilities.orderClasses?.includes(c))
          .map((orderClass) => ({
            ...restingBuy(p, clientId('no')),
            side: orderClass === 'oco' ? ('sell' as const) : ('buy' as const),
            orderClass,
            takeProfit: { limitPrice: onTick(p.ask * 1.2, tick) },
            stopLoss: { triggerPrice: onTick(p.bid * 0.7, tick) },
          })),
      ];
      // A broker that takes every type and class has nothing to refuse here.
      for (const request of unsupported) {
        const booked = v().market.bookedOrders();
        const sent = v().requests().length;
        expectBrokerError(await failureOf(() => broker.placeOrder(request)), ['input', 'rejected']);
        expect([v().market.bookedOrders(), v().requests().length], `${request.type} ${request.orderClass ?? ''}`).toEqual([booked, sent]);
      }
    }, venue);

    kitCase(subject, "placement: a client id outside the broker's rules is refused before sending", undefined, async (v) => {
      const { broker } = v();
      const p = await priced(v(), 'first');
      const tooLong = 'K'.repeat(broker.capabilities.clientOrderId.maxLength + 1);
      for (const bad of [tooLong, 'K#1']) {
        const booked = v().market.bookedOrders();
        const sent = v().requests().length;
        const err = await failureOf(() => broker.placeOrder(restingBuy(p, bad)));
        expectBrokerError(err, 'input');
        expect(err.message).toMatch(/client order id/i);
        expect([v().market.bookedOrders(), v().requests().length]).toEqual([booked, sent]);
      }
    }, venue);
  });
}
