import { describe, expect, it } from 'vitest';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { angelOneSubject } from '../conformance/subjects/angelone.js';
import { order } from '../zerodha/harness.js';

/** The conformance subject works on its own (until the shared kit drives it): every status word, the login, the registration. */
describe('Angel One conformance subject', () => {
  it('reports every documented status word as ours, logs in with good credentials and refuses bad ones', async () => {
    const venue = await angelOneSubject.start({ cash: 100_000_000 });
    try {
      const registration = await angelOneSubject.registration();
      expect(registration.traits).toMatchObject({ simulatedMarket: false, acceptsSpeed: false });
      const { brokerOrderId } = await venue.broker.placeOrder(order({ clientOrderId: 'S1', symbol: 'SBIN', limitPrice: 79_000, quantity: 4 }));
      await venue.market.fill(brokerOrderId, 1);
      for (const { broker, ours } of angelOneSubject.statuses) {
        await venue.market.setStatus(brokerOrderId, broker);
        const [seen] = await venue.broker.orders();
        // A live word on an order with a fill is partially filled.
        expect([broker, seen!.status]).toEqual([broker, ours === 'accepted' ? 'partially_filled' : ours]);
      }
      await expect(venue.login!(true)).resolves.toBeUndefined();
      const refused = await venue.login!(false).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(BrokerError);
      expect((refused as BrokerError).kind).toBe('auth');
      expect((refused as BrokerError).hint).toMatch(/client code and PIN/);
    } finally {
      await venue.close();
    }
  });
});
