import { describe, expect } from 'vitest';
import { expectBrokerError, failureOf, kitAccount, kitCase, sharedVenue } from '../kit.js';
import type { ConformanceSubject } from '../subject.js';

/** Login and the session: a good login works, a bad one and an expired one are `auth` with a message a user can act on. */
export function sessionCases(subject: ConformanceSubject): void {
  describe('session', () => {
    const venue = sharedVenue(subject);

    kitCase(subject, 'session: good credentials log in', { member: 'login' }, async (v) => {
      await v().login!(true);
      expect((await v().broker.funds()).available).toBeGreaterThan(0);
    }, venue);

    kitCase(subject, 'session: bad credentials are refused with a clear auth error', { member: 'login' }, async (v) => {
      const err = await failureOf(() => v().login!(false));
      expectBrokerError(err, 'auth');
      expect(err.message.length, err.message).toBeGreaterThan(15);
    }, venue);

    kitCase(subject, 'session: an expired session is reported as auth', { fault: 'expireSession' }, async (venue) => {
      const v = venue();
      await v.broker.funds();
      v.faults.expireSession!();
      const err = await failureOf(() => v.broker.funds());
      expectBrokerError(err, 'auth');
      expect(err.message.length, err.message).toBeGreaterThan(15);
      const before = v.market.bookedOrders();
      expectBrokerError(await failureOf(() => v.broker.orders()), 'auth');
      expect(v.market.bookedOrders()).toBe(before);
    }, { own: kitAccount(subject) });
  });
}
