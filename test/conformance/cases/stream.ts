import { describe, expect } from 'vitest';
import type { BrokerEvent } from '../../../src/brokers/broker.js';
import { kitCase, placeResting, priced, recordEvents, sharedVenue, tradesOf, until } from '../kit.js';
import type { ConformanceSubject, Venue } from '../subject.js';

/** The order's last reported state, and the fills reported for it: every trade once, adding up to what the book says. */
async function expectSettled(venue: Venue, events: BrokerEvent[], id: string, quantity: number): Promise<void> {
  await until(() => tradesOf(events, id).reduce((s, t) => s + t.quantity, 0) >= quantity, `fills of ${id} reported`);
  await until(() => events.some((e) => e.type === 'order' && e.order.brokerOrderId === id && e.order.status === 'filled'), `${id} reported filled`);
  const trades = tradesOf(events, id);
  expect(new Set(trades.map((t) => t.tradeId)).size, 'a trade reported twice').toBe(trades.length);
  expect(trades.reduce((s, t) => s + t.quantity, 0)).toBe(quantity);
  const book = (await venue.broker.trades(id)).map((t) => t.tradeId).sort();
  expect(trades.map((t) => t.tradeId).sort()).toEqual(book);
  const lastOrder = events.findLast((e) => e.type === 'order' && e.order.brokerOrderId === id);
  expect(lastOrder?.type === 'order' && lastOrder.order.status, 'the last state reported').toBe('filled');
}

/** Order updates as they happen, and what a cut, a gap, duplicates and disorder must not change. */
export function streamCases(subject: ConformanceSubject): void {
  describe('stream', () => {
    const venue = sharedVenue(subject);

    kitCase(subject, 'stream: order and trade events arrive', undefined, async (v) => {
      const { events, stop } = recordEvents(v());
      try {
        const { id } = await placeResting(v(), await priced(v(), 'first'), 'ev', 3);
        await until(() => events.some((e) => e.type === 'order' && e.order.brokerOrderId === id), 'the order event');
        await v().market.fill(id, 3);
        await expectSettled(v(), events, id, 3);
      } finally {
        stop();
      }
    }, venue);

    kitCase(subject, 'stream: a cut stream reconnects and resync brings the missed fills once', { fault: 'dropStream' }, async (v) => {
      const { events, stop } = recordEvents(v());
      try {
        const { id } = await placeResting(v(), await priced(v(), 'first'), 'cut', 4);
        await until(() => events.some((e) => e.type === 'order' && e.order.brokerOrderId === id), 'the order event');
        v().faults.dropStream!();
        await v().market.fill(id, 4);
        await until(() => events.some((e) => e.type === 'resync'), 'a resync after the reconnect');
        const cut = events.findIndex((e) => e.type === 'disconnected');
        expect(cut, 'the cut is reported').toBeGreaterThanOrEqual(0);
        expect(cut, 'before the resync').toBeLessThan(events.findIndex((e) => e.type === 'resync'));
        await expectSettled(v(), events, id, 4);
      } finally {
        stop();
      }
    }, venue);

    kitCase(subject, 'stream: a gap is filled by resync exactly once', [{ fault: 'dropStreamMessages' }, { member: 'resync' }], async (v) => {
      const { events, stop } = recordEvents(v());
      try {
        const { id } = await placeResting(v(), await priced(v(), 'first'), 'gap', 4);
        await until(() => events.some((e) => e.type === 'order' && e.order.brokerOrderId === id), 'the order event');
        v().faults.dropStreamMessages!(1_000);
        await v().market.fill(id, 4);
        v().faults.dropStreamMessages!(0);
        await v().resync!();
        await v().resync!();
        await expectSettled(v(), events, id, 4);
      } finally {
        stop();
      }
    }, venue);

    kitCase(subject, 'stream: duplicate messages count no fill twice', { fault: 'duplicateStreamMessages' }, async (v) => {
      const { events, stop } = recordEvents(v());
      v().faults.duplicateStreamMessages!(true);
      try {
        const { id } = await placeResting(v(), await priced(v(), 'first'), 'dup', 4);
        await v().market.fill(id, 1);
        await until(() => tradesOf(events, id).length > 0, 'the first fill');
        await v().market.fill(id, 3);
        await expectSettled(v(), events, id, 4);
      } finally {
        v().faults.duplicateStreamMessages!(false);
        stop();
      }
    }, venue);

    kitCase(subject, 'stream: out-of-order messages end in the right state', { fault: 'reorderStreamMessages' }, async (v) => {
      const { events, stop } = recordEvents(v());
      try {
        const p = await priced(v(), 'first');
        const { id } = await placeResting(v(), p, 'ooo', 4);
        v().faults.reorderStreamMessages!(true);
        await v().market.fill(id, 1);
        await v().market.fill(id, 3);
        v().faults.reorderStreamMessages!(false);
        await expectSettled(v(), events, id, 4);
      } finally {
        v().faults.reorderStreamMessages!(false);
        stop();
      }
    }, venue);
  });
}
