import { describe, expect } from 'vitest';
import { isBrokerError } from '../../../src/domain/errors/broker-error.js';
import { clientId, expectBrokerError, failureOf, kitAccount, kitCase, priced, restingBuy, sharedVenue } from '../kit.js';
import type { ConformanceSubject } from '../subject.js';

/** Rate limits and failures of the API: survived where safe, reported with the right kind where not. */
export function faultCases(subject: ConformanceSubject): void {
  describe('rate limits and faults', () => {
    const venue = sharedVenue(subject);

    kitCase(subject, 'rate limit: a rate-limit answer is backed off or surfaced as rate_limited', { fault: 'rateLimit' }, async (v) => {
      const { broker, market, faults } = v();
      const request = restingBuy(await priced(v(), 'first'), clientId('rl'));
      const booked = market.bookedOrders();
      faults.rateLimit!(1);
      const outcome = await broker.placeOrder(request).then(
        () => 'placed',
        (err: unknown) => err,
      );
      if (outcome === 'placed') expect(market.bookedOrders()).toBe(booked + 1);
      else {
        expectBrokerError(outcome, 'rate_limited');
        expect(market.bookedOrders(), 'a rate-limited placement is not booked').toBe(booked);
        await broker.placeOrder(request);
      }
      faults.rateLimit!(1);
      await broker.funds().catch((err: unknown) => expectBrokerError(err, 'rate_limited'));
    }, venue);

    kitCase(subject, "rate limit: the limiter keeps under the broker's published order rate", undefined, async (venue) => {
      const v = venue();
      const { perSecond } = v.broker.capabilities.orderRate;
      const p = await priced(v, 'first');
      const sent = v.requests().length;
      await Promise.all(Array.from({ length: perSecond + 1 }, () => v.broker.placeOrder(restingBuy(p, clientId('lim'), 'limit', 1))));
      const placements = v.requests().slice(sent).filter((r) => r.method === 'POST');
      expect(placements.map((r) => r.status).filter((s) => s === 429), 'rate-limit answers').toEqual([]);
      const at = placements.map((r) => r.at ?? Number.NaN);
      expect(at.every(Number.isFinite), 'the venue records arrival times').toBe(true);
      const inOneSecond = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1_000).length));
      expect(inOneSecond).toBeLessThanOrEqual(perSecond);
    }, { own: kitAccount(subject, { rateLimit: true }) }, 15_000);

    kitCase(subject, 'faults: server errors on reads are retried', { fault: 'serverErrors' }, async (v) => {
      v().faults.serverErrors!(1);
      expect((await v().broker.funds()).available).toBeGreaterThan(0);
      v().faults.serverErrors!(1);
      expect(Array.isArray(await v().broker.orders())).toBe(true);
    }, venue);

    kitCase(subject, 'faults: a malformed body is a protocol error with a clear message', { fault: 'malformedBodies' }, async (v) => {
      v().faults.malformedBodies!(1);
      const err = await failureOf(() => v().broker.funds());
      expectBrokerError(err, 'protocol');
      expect(err.message, 'the message names the call').toMatch(/(GET|POST|PUT|DELETE) \/\S+/);
      expect((await v().broker.funds()).available).toBeGreaterThan(0);
    }, venue);

    kitCase(subject, 'faults: a hung read times out and is retried', { fault: 'hang' }, async (v) => {
      v().faults.hang!(1);
      expect((await v().broker.funds()).available).toBeGreaterThan(0);
    }, { own: kitAccount(subject) });

    kitCase(subject, 'faults: a hung placement is an unknown outcome', { fault: 'hang' }, async (v) => {
      const { broker, faults } = v();
      const id = clientId('hang');
      const request = restingBuy(await priced(v(), 'first'), id);
      faults.hang!(1);
      expectBrokerError(await failureOf(() => broker.placeOrder(request)), 'unknown_outcome');
      expect((await broker.orders()).filter((o) => o.clientOrderId === id).length).toBeLessThanOrEqual(1);
    }, { own: kitAccount(subject) });

    kitCase(subject, 'faults: the circuit breaker opens after repeated failures', { fault: 'serverErrors' }, async (venue) => {
      const v = venue();
      const p = await priced(v, 'first');
      v.faults.serverErrors!(50);
      let refusedUnsent: unknown;
      for (let attempt = 0; attempt < 20 && !refusedUnsent; attempt++) {
        const sent = v.requests().length;
        const err = await failureOf(() => v.broker.placeOrder(restingBuy(p, clientId('cb'))));
        expect(isBrokerError(err), String(err)).toBe(true);
        if (v.requests().length === sent) refusedUnsent = err;
      }
      expect(refusedUnsent, 'a placement refused without reaching the broker').toBeDefined();
      expectBrokerError(refusedUnsent, 'unavailable');
      expect(v.market.bookedOrders()).toBe(0);
    }, { own: kitAccount(subject) });
  });
}
