import { describe, expect, it } from 'vitest';
import type { Broker, BrokerOrder } from '../../src/brokers/broker.js';
import { placeWithResolution } from '../../src/brokers/http/place-with-resolution.js';
import { BrokerError } from '../../src/domain/broker-errors.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { VirtualClock } from '../../src/engine/clock/index.js';

const request: OrderRequest = { clientOrderId: 'RUN1L1C1', symbol: 'INFY', exchange: 'NSE', side: 'buy', type: 'limit', quantity: 5, limitPrice: 150_000, timeInForce: 'day', product: 'delivery' };

/** An order book behind scripted placement outcomes. */
function scriptedBroker(script: { place: ('ok' | 'lost-after-booking' | 'lost-before-booking' | 'rejected')[]; lookupFailures?: number; appearsAfterLookups?: number }) {
  const book: BrokerOrder[] = [];
  let placements = 0;
  let lookups = 0;
  const book1 = (): string => {
    const id = `B${book.length + 1}`;
    book.push({ brokerOrderId: id, clientOrderId: request.clientOrderId, symbol: 'INFY', exchange: 'NSE', side: 'buy', type: 'limit', quantity: 5, filledQuantity: 0, averagePrice: 0, status: 'accepted', brokerStatus: 'OPEN', updatedAt: 0 });
    return id;
  };
  const broker = {
    id: 'zerodha',
    async placeOrder() {
      const step = script.place[placements++] ?? 'ok';
      if (step === 'rejected') throw new BrokerError('rejected', 'margin', 'zerodha');
      if (step === 'lost-before-booking') throw new BrokerError('unknown_outcome', 'timeout', 'zerodha');
      const id = book1();
      if (step === 'lost-after-booking') throw new BrokerError('unknown_outcome', 'timeout', 'zerodha');
      return { brokerOrderId: id };
    },
    async findOrderByClientId(id: string) {
      lookups++;
      if (lookups <= (script.lookupFailures ?? 0)) throw new BrokerError('unavailable', 'HTTP 503', 'zerodha');
      if (lookups <= (script.appearsAfterLookups ?? 0)) return undefined;
      return book.find((o) => o.clientOrderId === id);
    },
  } as unknown as Broker;
  return { broker, book, placements: () => placements, lookups: () => lookups };
}

describe('placeWithResolution', () => {
  it('returns a placement answered at once', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBroker({ place: ['ok'] });
    expect(await clock.run(placeWithResolution(s.broker, request, { clock }))).toEqual({ brokerOrderId: 'B1', resolved: 'placed' });
    expect(s.lookups()).toBe(0);
  });

  it('finds an order whose answer was lost, without sending it again', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBroker({ place: ['lost-after-booking'], appearsAfterLookups: 1 });
    const out = await clock.run(placeWithResolution(s.broker, request, { clock, lookupAttempts: 3, delayMs: 500 }));
    expect(out).toMatchObject({ brokerOrderId: 'B1', resolved: 'found' });
    expect(s.book).toHaveLength(1);
    expect(s.placements()).toBe(1);
  });

  it('re-sends only after every lookup answered that the order is absent', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBroker({ place: ['lost-before-booking', 'ok'] });
    const out = await clock.run(placeWithResolution(s.broker, request, { clock, lookupAttempts: 3, delayMs: 100 }));
    expect(out).toEqual({ brokerOrderId: 'B1', resolved: 'resent' });
    expect(s.lookups()).toBe(3);
    expect(s.book).toHaveLength(1);
    // Waits grow: 100 + 200 + 300 ms before concluding.
    expect(clock.now()).toBe(600);
  });

  it('keeps the outcome unknown when the book cannot be read, and sends nothing', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBroker({ place: ['lost-before-booking'], lookupFailures: 10 });
    await expect(clock.run(placeWithResolution(s.broker, request, { clock, lookupAttempts: 2, delayMs: 10 }))).rejects.toMatchObject({ kind: 'unknown_outcome', message: /not re-sending/ });
    expect(s.placements()).toBe(1);
  });

  it('passes other failures through untouched', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBroker({ place: ['rejected'] });
    await expect(clock.run(placeWithResolution(s.broker, request, { clock }))).rejects.toMatchObject({ kind: 'rejected' });
    expect(s.lookups()).toBe(0);
  });
});
