import type { HouseholdShares } from './household-shares.js';
import type { LegProblem } from './leg-problem.js';
import { bookParts } from './route-parts.js';
import type { RoutingLedger } from './routing-ledger.js';
import { shareAllocation, shareWants, type ShareWant } from './share-allocation.js';
import { shareWhy } from './share-why.js';
import { bestSingle, singleOptions } from './single-placement.js';
import type { RoutableAccount, RouteDecision } from './types.js';

/**
 * A leg routed by the accounts' shares, or undefined when the shares do not decide it (no want,
 * or the accounts cannot take it that way): the router then weighs it as any other leg. The hard
 * rules have left the eligible accounts already (`p`); the weights still choose each part's
 * venue and where what an account cannot take of its share goes. With splitting off, the whole
 * leg goes to the account (or the accounts without a share) the shares want most of it, when
 * one of them can take it.
 */
export function routeByShare(p: LegProblem, shares: HouseholdShares, accounts: readonly RoutableAccount[], ledger: RoutingLedger, excluded: RouteDecision['excluded']): RouteDecision | undefined {
  const wants = shareWants(p, shares, accounts, ledger);
  if (wants === undefined || !wants.some((w) => w.want > 0)) return undefined;
  if (!p.policy.split.enabled) return wholeByShare(p, shares, wants, ledger, excluded);
  const placed = shareAllocation(p, wants);
  if (!placed.ok) return undefined;
  const parts = bookParts(p, placed.quantities, ledger);
  return { legKey: p.leg.key, parts, excluded, why: shareWhy(p, parts, shares, placed.short, excluded) };
}

function wholeByShare(p: LegProblem, shares: HouseholdShares, wants: readonly ShareWant[], ledger: RoutingLedger, excluded: RouteDecision['excluded']): RouteDecision | undefined {
  const most = wants.reduce((a, b) => (b.want > a.want ? b : a));
  const chosen = bestSingle(p, singleOptions(p).filter((o) => most.aliases.includes(p.candidates[o.ci]!.alias)));
  if (chosen === undefined) return undefined;
  const parts = bookParts(p, p.candidates.map((_, ci) => (ci === chosen.ci ? p.leg.quantity : 0)), ledger);
  const cause = `the leg whole (splitting is off) to the account furthest from its share`;
  return { legKey: p.leg.key, parts, excluded, why: shareWhy(p, parts, shares, [], excluded, cause) };
}
