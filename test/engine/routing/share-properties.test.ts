import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY, routeLegs, sellableKey, type RoutableAccount, type RoutableLeg, type RouteDecision } from '../../../src/engine/routing/index.js';

/**
 * With shares, the accounts end as close to their shares of each line as the plan's legs can
 * bring them, within lot rounding, where cash allows (the promises every route keeps are in
 * routing-properties.test.ts, shares included). A share is of each line of the household's
 * target; accounts without one hold the rest between them (README "Rebalancing several accounts").
 */

const ALIASES = ['main', 'spouse', 'huf', 'kid', 'trust'];
const SYMBOLS = ['INFY', 'TCS', 'SBIN'];
const FLAT = 2000;

function member(alias: string, i: number, cash: number, holds: Record<string, number>, share: number | undefined): RoutableAccount {
  return {
    definition: { alias, broker: 'paper', role: i === 0 ? 'primary' : 'secondary', permissions: { buy: true, sell: true }, ...(share !== undefined ? { share } : {}) },
    currency: 'INR',
    cash,
    sellable: new Map(Object.entries(holds).map(([s, q]) => [sellableKey(s, 'NSE'), q])),
    capabilities: { orderTypes: ['market', 'limit'], orderClasses: [], nativeIceberg: false, afterMarketOrders: false, exchanges: ['NSE', 'BSE'] },
    charges: () => FLAT,
    ordersLeftToday: Infinity,
    health: { breaker: 'closed', sessionUsable: true, errorRate: 0 },
    holdings: new Map(Object.entries(holds)),
  };
}

/** Each account's share as the README states it: declared shares adding up to at most 1, the rest to the accounts without one. */
function effectiveShares(accounts: readonly RoutableAccount[]): { aliases: string[]; share: number }[] {
  const declared = accounts.filter((a) => a.definition.share !== undefined);
  const unshared = accounts.filter((a) => a.definition.share === undefined).map((a) => a.definition.alias);
  const sum = declared.reduce((s, a) => s + a.definition.share!, 0);
  const scale = unshared.length > 0 ? 1 : 1 / sum;
  const groups = declared.map((a) => ({ aliases: [a.definition.alias], share: a.definition.share! * scale }));
  return unshared.length > 0 ? [...groups, { aliases: unshared, share: 1 - sum }] : groups;
}

const household = fc
  .record({
    n: fc.integer({ min: 2, max: 5 }),
    shares: fc.array(fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }), { minLength: 5, maxLength: 5 }),
    holds: fc.array(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 3, maxLength: 3 }), { minLength: 5, maxLength: 5 }),
    lot: fc.constantFrom(1, 1, 25),
    legs: fc.array(fc.record({ sell: fc.boolean(), lots: fc.integer({ min: 1, max: 400 }) }), { minLength: 3, maxLength: 3 }),
    cash: fc.array(fc.integer({ min: 0, max: 20_00_000_00 }), { minLength: 5, maxLength: 5 }),
  })
  .map(({ n, shares, holds, lot, legs, cash }) => {
    // At least one account declares a share (without any, the weights alone route).
    const declared = shares.slice(0, n).map((x, i) => (i === 0 && shares.slice(0, n).every((y) => y === undefined) ? 50 : x));
    const sum = declared.reduce<number>((s, x) => s + (x ?? 0), 0);
    const all = declared.every((x) => x !== undefined);
    const scale = all ? sum : Math.max(100, sum);
    const lots = (q: number) => Math.floor(q / lot) * lot;
    return { n, lot, legs, cash, shares: declared.map((x) => (x === undefined ? undefined : x / scale)), holds: holds.slice(0, n).map((h) => h.map(lots)) };
  });

function legsOf(h: { lot: number; legs: { sell: boolean; lots: number }[]; holds: number[][] }, from: 'holdings' | 'cash'): RoutableLeg[] {
  return SYMBOLS.map((symbol, s) => {
    const held = from === 'cash' ? 0 : h.holds.reduce((t, x) => t + x[s]!, 0);
    const sell = from === 'holdings' && h.legs[s]!.sell && held >= h.lot;
    const quantity = sell ? Math.min(held, h.legs[s]!.lots * h.lot) : h.legs[s]!.lots * h.lot;
    const price = (1000 + 500 * s) * 100;
    return { key: symbol, symbol, side: sell ? 'sell' : 'buy', quantity, price, orderType: 'limit', venues: [{ exchange: 'NSE', bid: price - 5, ask: price + 5, bidDepth: 1_000_000, askDepth: 1_000_000 }], ...(h.lot > 1 ? { lotSize: h.lot } : {}), householdTarget: sell ? held - quantity : held + quantity };
  });
}

/** Per group of a line: held − share × target, before and after the decision. */
function deviations(accounts: readonly RoutableAccount[], leg: RoutableLeg, d: RouteDecision | undefined): { before: number; after: number }[] {
  return effectiveShares(accounts).map((g) => {
    const held = g.aliases.reduce((t, a) => t + (accounts.find((x) => x.definition.alias === a)!.holdings!.get(leg.symbol) ?? 0), 0);
    const traded = (d?.parts ?? []).filter((p) => g.aliases.includes(p.account)).reduce((t, p) => t + p.quantity, 0);
    const want = g.share * leg.householdTarget!;
    return { before: held - want, after: held + (leg.side === 'buy' ? traded : -traded) - want };
  });
}

describe('routing by share, over random households', () => {
  it('with cash enough, each line ends as close to the shares as its leg can bring it, within lot rounding', () => {
    fc.assert(
      fc.property(household, (h) => {
        const accounts = ALIASES.slice(0, h.n).map((alias, i) => member(alias, i, 1_00_00_00_000_00, Object.fromEntries(SYMBOLS.map((s, k) => [s, h.holds[i]![k]!])), h.shares[i]));
        const legs = legsOf(h, 'holdings');
        const decisions = routeLegs(legs, accounts, DEFAULT_ROUTING_POLICY);
        legs.forEach((leg, i) => {
          expect(decisions[i]!.why).toMatch(/^by share: /);
          const dev = deviations(accounts, leg, decisions[i]);
          // A buy cannot take from a group above its share, nor a sell add to one below it: twice
          // what they hold against the leg's direction is the closest the line can come.
          const against = dev.reduce((t, g) => t + Math.max(0, leg.side === 'buy' ? g.before : -g.before), 0);
          const after = dev.reduce((t, g) => t + Math.abs(g.after), 0);
          expect(after).toBeLessThanOrEqual(2 * against + dev.length * h.lot + 1e-6);
        });
      }),
      { seed: 1804, numRuns: 300 },
    );
  });

  it('from cash, an account ends more than a lot short of its share of a line only when its cash ran out', () => {
    fc.assert(
      fc.property(household, (h) => {
        const accounts = ALIASES.slice(0, h.n).map((alias, i) => member(alias, i, h.cash[i]!, {}, h.shares[i]));
        const legs = legsOf(h, 'cash');
        const decisions = routeLegs(legs, accounts, DEFAULT_ROUTING_POLICY);
        const spent = new Map<string, number>();
        legs.forEach((leg, i) => {
          for (const p of decisions[i]!.parts) spent.set(p.account, (spent.get(p.account) ?? 0) + p.quantity * leg.venues[0]!.ask + FLAT);
        });
        const groups = effectiveShares(accounts);
        legs.forEach((leg, i) => {
          // A leg the accounts cannot take in full is refused whole (the group is then blocked).
          if (decisions[i]!.parts.length === 0) return;
          groups.forEach((g, k) => {
            const short = -deviations(accounts, leg, decisions[i])[k]!.after;
            if (short <= h.lot + 1e-6) return;
            for (const alias of g.aliases) {
              const left = accounts.find((a) => a.definition.alias === alias)!.cash - (spent.get(alias) ?? 0);
              expect(left, `${alias} ${leg.symbol}`).toBeLessThan(h.lot * leg.venues[0]!.ask + FLAT);
            }
          });
        });
      }),
      { seed: 2026, numRuns: 300 },
    );
  });
});
