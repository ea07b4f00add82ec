import type { RouteDecision, RouteLegs, RoutingPolicy } from '../../src/engine/routing/types.js';
import type { GroupRouting } from '../../src/app/group/group-parts.js';

/**
 * A stand-in router for the group's own tests: sells from the accounts holding the shares, buys
 * within each account's cash after its sells, accounts taken in the order given. The real
 * router's rules are tested with it; these tests are about what the group does with decisions.
 */
export const inOrderRouter: RouteLegs = (legs, accounts) => {
  const cash = new Map(accounts.map((a) => [a.definition.alias, a.cash]));
  const sellable = new Map(accounts.map((a) => [a.definition.alias, new Map(a.sellable)]));
  const decide = (leg: (typeof legs)[number]): RouteDecision => {
    let left = leg.quantity;
    const parts: RouteDecision['parts'][number][] = [];
    const excluded: { account: string; reason: string }[] = [];
    for (const a of accounts) {
      const alias = a.definition.alias;
      if (left === 0) break;
      if (leg.account && leg.account !== alias) continue;
      let take: number;
      if (leg.side === 'sell') take = Math.min(left, sellable.get(alias)!.get(leg.key) ?? 0);
      else take = Math.min(left, Math.floor(cash.get(alias)! / leg.price));
      if (take <= 0) {
        excluded.push({ account: alias, reason: leg.side === 'sell' ? 'holds no shares' : 'no cash' });
        continue;
      }
      left -= take;
      if (leg.side === 'sell') {
        sellable.get(alias)!.set(leg.key, (sellable.get(alias)!.get(leg.key) ?? 0) - take);
        cash.set(alias, cash.get(alias)! + take * leg.price);
      } else cash.set(alias, cash.get(alias)! - take * leg.price);
      parts.push({ account: alias, exchange: leg.venues[0]!.exchange, quantity: take, expectedCost: 0, score: 0 });
    }
    const why = leg.side === 'sell' ? `sold where held: ${parts.map((p) => p.account).join(', ')}` : `bought with cash: ${parts.map((p) => p.account).join(', ')}`;
    return { legKey: leg.key, parts, excluded, why };
  };
  // Sells first, so their proceeds are cash for the buys; decisions in the legs' order.
  const sells = new Map(legs.filter((l) => l.side === 'sell').map((l) => [l, decide(l)]));
  return legs.map((l) => sells.get(l) ?? decide(l));
};

const POLICY: RoutingPolicy = { weights: { cost: 1, quality: 0, liquidity: 0, health: 0, latency: 0 }, split: { enabled: true, minQuantity: 1 }, rules: [] };

export const inOrderRouting = (): Promise<GroupRouting> => Promise.resolve({ routeLegs: inOrderRouter, policy: POLICY });
