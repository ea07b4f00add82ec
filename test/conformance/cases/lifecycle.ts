import { describe, expect } from 'vitest';
import { expectBrokerError, failureOf, kitCase, placeResting, priced, sharedVenue, until } from '../kit.js';
import type { ConformanceSubject } from '../subject.js';

/** An order's life at the broker: every status word mapped, partial fills, rejection, cancel, modify. */
export function lifecycleCases(subject: ConformanceSubject): void {
  describe('order lifecycle', () => {
    const venue = sharedVenue(subject);

    kitCase(subject, 'status: every documented status maps to ours', undefined, async (v) => {
      const { broker, market } = v();
      expect(subject.statuses.length, 'the documented statuses').toBeGreaterThan(0);
      const p = await priced(v(), 'first');
      const mapped: [string, string][] = [];
      // One order goes through every word: the broker's order limits allow few placements a second.
      const { id, clientOrderId } = await placeResting(v(), p, 'st');
      for (const { broker: word } of subject.statuses) {
        await market.setStatus(id, word);
        const fromBook = (await broker.orders()).find((o) => o.brokerOrderId === id);
        const byClientId = await broker.findOrderByClientId(clientOrderId);
        expect(fromBook?.brokerStatus, `the book shows ${word}`).toBe(word);
        expect(byClientId?.status, `${word} by client id`).toBe(fromBook?.status);
        mapped.push([word, fromBook!.status]);
      }
      expect(mapped).toEqual(subject.statuses.map((s) => [s.broker, s.ours]));
    }, venue);

    kitCase(subject, 'fills: partial fills add up and no trade is reported twice', undefined, async (v) => {
      const { broker, market } = v();
      const { id } = await placeResting(v(), await priced(v(), 'first'), 'part', 5);
      await market.fill(id, 2);
      const partial = await until(async () => (await broker.orders()).find((o) => o.brokerOrderId === id && o.filledQuantity === 2), 'the partial fill');
      expect(partial.status).toBe('partially_filled');
      await market.fill(id, 3);
      const done = await until(async () => (await broker.orders()).find((o) => o.brokerOrderId === id && o.status === 'filled'), 'the complete fill');
      const trades = await broker.trades(id);
      expect(trades.reduce((sum, t) => sum + t.quantity, 0)).toBe(done.filledQuantity);
      expect(done.filledQuantity).toBe(5);
      expect(new Set(trades.map((t) => t.tradeId)).size).toBe(trades.length);
      expect(trades.every((t) => Number.isInteger(t.price) && t.price > 0 && t.brokerOrderId === id)).toBe(true);
      const all = await broker.trades();
      expect(all.filter((t) => t.brokerOrderId === id).map((t) => t.tradeId).sort()).toEqual(trades.map((t) => t.tradeId).sort());
    }, venue);

    kitCase(subject, "reject: the broker's reason is kept", undefined, async (v) => {
      const { broker, market } = v();
      const { id, clientOrderId } = await placeResting(v(), await priced(v(), 'first'), 'rej');
      const reason = 'RMS: price outside the circuit band (kit)';
      await market.reject(id, reason);
      const order = await until(async () => {
        const o = await broker.findOrderByClientId(clientOrderId);
        return o?.status === 'rejected' ? o : undefined;
      }, 'the rejection');
      expect(order.statusMessage).toContain(reason);
    }, venue);

    kitCase(subject, 'cancel: a working order is cancelled', undefined, async (v) => {
      const { broker } = v();
      const { id } = await placeResting(v(), await priced(v(), 'first'), 'can');
      await broker.cancelOrder(id);
      await until(async () => (await broker.orders()).find((o) => o.brokerOrderId === id)?.status === 'cancelled', 'the cancellation');
      expectBrokerError(await failureOf(() => broker.cancelOrder(id)), ['rejected', 'input', 'not_found']);
    }, venue);

    kitCase(subject, 'modify: quantity and price change', undefined, async (v) => {
      const { broker } = v();
      const p = await priced(v(), 'first');
      const { id } = await placeResting(v(), p, 'mod');
      const before = (await broker.orders()).find((o) => o.brokerOrderId === id)!;
      const limitPrice = before.limitPrice! - p.instrument.tickSize;
      await broker.modifyOrder(id, { quantity: 6, limitPrice });
      const after = await until(async () => {
        const o = (await broker.orders()).find((x) => x.brokerOrderId === id);
        return o?.quantity === 6 && o.status === 'accepted' ? o : undefined;
      }, 'the modification');
      expect(after.limitPrice).toBe(limitPrice);
    }, venue);
  });
}
