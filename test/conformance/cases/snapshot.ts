import { describe, expect } from 'vitest';
import { ownedInstruments } from '../../../src/domain/ownership.js';
import { kitAccount, kitCase, kitMarket, placeResting, priced, sharedVenue, until } from '../kit.js';
import type { ConformanceSubject } from '../subject.js';

const integer = (n: number) => Number.isInteger(n);

/** The account as the planner reads it: holdings with their T+1 part, positions, funds, all in integer minor units. */
export function snapshotCases(subject: ConformanceSubject): void {
  describe('snapshot', () => {
    const venue = sharedVenue(subject);
    const kit = kitMarket(subject);
    const account = kitAccount(subject);

    kitCase(subject, 'snapshot: holdings with T+1, positions and funds in integer minor units', undefined, async (v) => {
      const { broker } = v();
      const seeded = account.holdings![0]!;
      const holdings = await broker.holdings();
      const held = holdings.find((h) => h.symbol === kit.first && h.exchange === kit.exchange);
      expect(held, `the seeded ${kit.first} holding`).toBeDefined();
      expect({ quantity: held!.quantity, t1Quantity: held!.t1Quantity }).toEqual({ quantity: seeded.quantity, t1Quantity: seeded.t1Quantity });
      expect(held!.averagePrice).toBeGreaterThan(0);
      for (const h of holdings) expect([h.quantity, h.t1Quantity].every(integer), `${h.symbol} quantities`).toBe(true);

      const funds = await broker.funds();
      expect(funds.currency).toBe(kit.currency);
      expect(integer(funds.available) && integer(funds.used), `funds ${JSON.stringify(funds)}`).toBe(true);
      expect(funds.available).toBeGreaterThan(0);
      expect(funds.available).toBeLessThanOrEqual(account.cash!);

      const positions = await broker.positions();
      for (const p of positions) expect(integer(p.quantity) && ['delivery', 'intraday'].includes(p.product), JSON.stringify(p)).toBe(true);
    }, venue);

    kitCase(subject, "snapshot: today's delivery buy shows in holdings or positions", undefined, async (v) => {
      const { broker, market } = v();
      // What the planner counts as owned, read as the broker's capabilities say (today's trades in the holdings, or only in the positions).
      const owned = async () => {
        const facts = { holdings: await broker.holdings(), positions: await broker.positions(), holdingsIncludeTodaysTrades: broker.capabilities.holdingsIncludeTodaysTrades };
        return ownedInstruments(facts).get(`${kit.exchange}:${kit.second}`)?.quantity ?? 0;
      };
      const before = await owned();
      const { id } = await placeResting(v(), await priced(v(), 'second'), 'own', 3);
      await market.fill(id, 3);
      await until(async () => (await broker.orders()).find((o) => o.brokerOrderId === id)?.status === 'filled', 'the fill');
      expect(await owned()).toBe(before + 3);
    }, venue);
  });
}
