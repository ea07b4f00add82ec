import { describe, expect } from 'vitest';
import { clientId, expectBrokerError, failureOf, kitAccount, kitCase, priced, restingBuy, sharedVenue } from '../kit.js';
import type { ConformanceSubject, Venue } from '../subject.js';

/** How many orders the broker holds with our client id. */
async function ordersWith(venue: Venue, id: string): Promise<number> {
  return (await venue.broker.orders()).filter((o) => o.clientOrderId === id).length;
}

/**
 * The unknown outcome: a placement whose answer is lost is `unknown_outcome`; looking the order up
 * by our id tells whether it was booked, and only an absent order is sent again — never two.
 */
export function unknownOutcomeCases(subject: ConformanceSubject): void {
  describe('unknown outcome', () => {
    const venue = sharedVenue(subject);

    kitCase(subject, 'unknown outcome: an order booked before a reset is found by client id', { fault: 'bookThenReset' }, async (v) => {
      const { broker, market, faults } = v();
      const id = clientId('reset');
      const request = restingBuy(await priced(v(), 'first'), id);
      const booked = market.bookedOrders();
      faults.bookThenReset!();
      expectBrokerError(await failureOf(() => broker.placeOrder(request)), 'unknown_outcome');
      expect(market.bookedOrders()).toBe(booked + 1);
      const found = await broker.findOrderByClientId(id);
      expect(found, 'the booked order, found by our id').toMatchObject({ clientOrderId: id, quantity: request.quantity });
      expect(await ordersWith(v(), id)).toBe(1);
    }, venue);

    kitCase(subject, 'unknown outcome: a lost placement is absent, and sent again it is booked once', { fault: 'loseNextPlacement' }, async (v) => {
      const { broker, market, faults } = v();
      const id = clientId('lost');
      const request = restingBuy(await priced(v(), 'first'), id);
      const booked = market.bookedOrders();
      faults.loseNextPlacement!();
      expectBrokerError(await failureOf(() => broker.placeOrder(request)), 'unknown_outcome');
      expect(market.bookedOrders()).toBe(booked);
      expect(await broker.findOrderByClientId(id)).toBeUndefined();
      const { brokerOrderId } = await broker.placeOrder(request);
      expect(await broker.findOrderByClientId(id)).toMatchObject({ brokerOrderId, clientOrderId: id });
      expect([market.bookedOrders(), await ordersWith(v(), id)]).toEqual([booked + 1, 1]);
    }, { own: kitAccount(subject) });
  });
}
