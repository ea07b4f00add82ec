import { shortfallText } from './capacity.js';
import { eligibility } from './eligibility.js';
import { sharesText } from './figures-text.js';
import { LegProblem } from './leg-problem.js';
import { refusedWhy, singleWhy, splitWhy } from './leg-why.js';
import { bookParts } from './route-parts.js';
import type { RoutingLedger } from './routing-ledger.js';
import { bestSingle, lower, singleOptions, type SingleOption } from './single-placement.js';
import { splitAllocation } from './split-allocation.js';
import type { HouseholdShares } from './household-shares.js';
import { routeByShare } from './share-route.js';
import type { RoutableAccount, RoutableLeg, RouteDecision, RoutingPolicy, VenueQuote } from './types.js';

type Excluded = { account: string; reason: string }[];


/**
 * A split the whole leg could do without must save at least this share of the one order's
 * weighted cost: below it the saving is within the error of the searched charges (a linear
 * model), and a split costs a second order the score does not see.
 */
const SPLIT_MIN_SAVING = 0.01;
/**
 * One leg's decision (`accounts` in tie-break order, `compareAccounts`): the hard rules leave the
 * eligible accounts; with `shares` and a household target the leg follows the accounts' shares
 * (`share-route.ts`); otherwise, or when the shares cannot place it, the whole leg goes to the
 * best account that can take it, unless splitting it is cheaper or the only way (and allowed);
 * what is chosen is booked in the ledger, so later legs see what is left.
 */
export function routeLeg(leg: RoutableLeg, accounts: readonly RoutableAccount[], policy: RoutingPolicy, ledger: RoutingLedger, shares?: HouseholdShares): RouteDecision {
  const refuse = (cause: string, excluded: Excluded = []): RouteDecision => ({ legKey: leg.key, parts: [], excluded, why: refusedWhy(cause, excluded) });
  const invalid = legRefusal(leg, accounts);
  if (invalid !== undefined) return refuse(invalid);
  const excluded: Excluded = [];
  const eligible: { account: RoutableAccount; venues: readonly VenueQuote[] }[] = [];
  for (const account of accounts) {
    const verdict = eligibility(leg, account, policy, ledger.orders(account.definition.alias));
    if (verdict.ok) eligible.push({ account, venues: verdict.venues });
    else if (leg.account === undefined || leg.account === account.definition.alias) excluded.push({ account: account.definition.alias, reason: verdict.reason });
  }
  if (eligible.length === 0) return refuse(leg.account !== undefined ? `${leg.account} cannot take it` : 'no account can take it', excluded);
  const p = new LegProblem(leg, eligible, policy, ledger);
  if (shares !== undefined && leg.householdTarget !== undefined) {
    const byShare = routeByShare(p, shares, accounts, ledger, excluded);
    if (byShare !== undefined) return byShare;
  }
  const options = singleOptions(p);
  const single = bestSingle(p, options);
  const split = policy.split.enabled && worthSplitting(p, single) ? splitAllocation(p) : undefined;
  const splitWins = split?.ok === true && split.quantities.filter((q) => q > 0).length > 1 && (single === undefined || lower(split.total, single.total - Math.abs(single.total) * SPLIT_MIN_SAVING));
  if (split?.ok === true && splitWins) {
    const parts = bookParts(p, split.quantities, ledger);
    return { legKey: leg.key, parts, excluded: [...excluded, ...shortOf(p, options, new Set(parts.map((x) => x.account)))], why: splitWhy(p, parts, options, single) };
  }
  if (single !== undefined) {
    const quantities = p.candidates.map((_, ci) => (ci === single.ci ? leg.quantity : 0));
    const parts = bookParts(p, quantities, ledger);
    return { legKey: leg.key, parts, excluded: [...excluded, ...shortOf(p, options, new Set([parts[0]!.account]))], why: singleWhy(p, options, single, excluded.length) };
  }
  const all = [...excluded, ...shortOf(p, options, new Set())];
  if (!policy.split.enabled) return refuse(`no single account can take ${sharesText(leg.quantity)} and splitting is off (routing.split.enabled)`, all);
  if (split?.ok === false && split.placed > 0) return refuse(`the accounts together can take ${sharesText(split.placed)} of ${sharesText(leg.quantity)}`, all);
  if (leg.quantity % p.lot !== 0) return refuse(`no single account can take ${sharesText(leg.quantity)}, and it is not whole lots of ${p.lot} to split`, all);
  return refuse('no account can take it', all);
}

/** A leg that cannot be routed whatever the accounts: its quantity, its venues, its named account. */
function legRefusal(leg: RoutableLeg, accounts: readonly RoutableAccount[]): string | undefined {
  if (!Number.isInteger(leg.quantity) || leg.quantity <= 0) return `quantity ${leg.quantity} is not a positive whole number of shares`;
  if (leg.venues.length === 0) return 'no venue quoted for it';
  if (!(leg.price > 0)) return 'no reference price';
  if (leg.account !== undefined && !accounts.some((a) => a.definition.alias === leg.account)) return `account ${leg.account} is not among the accounts routed to`;
  return undefined;
}

/**
 * A leg is weighed for splitting when no single account can take it, or when it is larger than
 * the displayed depth at its best venue (where impact starts to matter); never when its quantity
 * is not whole lots or too small for two parts of `split.minQuantity`.
 */
function worthSplitting(p: LegProblem, single: SingleOption | undefined): boolean {
  const q = p.leg.quantity;
  if (q % p.lot !== 0 || q < 2 * Math.max(1, p.policy.split.minQuantity) || p.candidates.length < 2) return false;
  return single === undefined || q > p.candidates[single.ci]!.figures.depth;
}

/** Eligible accounts that got no part because they could not take the leg (shares, cash, a cap). */
function shortOf(p: LegProblem, options: readonly SingleOption[], used: ReadonlySet<string>): Excluded {
  const out: Excluded = [];
  for (const alias of p.rooms.keys()) {
    if (used.has(alias)) continue;
    const own = options.filter((o) => p.candidates[o.ci]!.alias === alias);
    if (own.every((o) => o.shortfall !== undefined)) out.push({ account: alias, reason: shortfallText(p, own[0]!.ci, p.leg.quantity) });
  }
  return out;
}
