import { compareAccounts } from './account-order.js';
import { householdShares } from './household-shares.js';
import { routeLeg } from './route-leg.js';
import { RoutingLedger } from './routing-ledger.js';
import type { RouteDecision, RouteLegs } from './types.js';

/**
 * The smart order router (README "Routing"): decides, per leg, which account and venue take it
 * and why. Pure and deterministic: the same legs, accounts and policy give the same decisions.
 * Sells are routed first, in the legs' order, so that each account's buys may use the proceeds
 * of its own sells in the same plan; then the buys, in the legs' order. Decisions come back in
 * the legs' order. When accounts declare a `share` and a leg carries the household's target, the
 * leg's parts follow the shares (README "Rebalancing several accounts").
 */
export const routeLegs: RouteLegs = (legs, accounts, policy) => {
  const ledger = new RoutingLedger(accounts);
  const ordered = [...accounts].sort(compareAccounts);
  const shares = householdShares(accounts);
  const decisions: RouteDecision[] = new Array<RouteDecision>(legs.length);
  for (const side of ['sell', 'buy'] as const) {
    legs.forEach((leg, i) => {
      if (leg.side === side) decisions[i] = routeLeg(leg, ordered, policy, ledger, shares);
    });
  }
  return decisions;
};
