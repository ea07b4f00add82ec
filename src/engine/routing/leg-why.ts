import { accountLabel } from './account-order.js';
import { accountClause } from './account-comparison.js';
import { moneyText, sharesText } from './figures-text.js';
import type { LegProblem } from './leg-problem.js';
import type { SingleOption } from './single-placement.js';
import type { RouteDecision, RoutePart } from './types.js';
import { venueClause } from './venue-comparison.js';

/** `main (zerodha) — holds 1,200; ₹18 charges vs ₹40 at spouse; NSE: tighter spread 0.05% vs 0.12%` */
export function singleWhy(p: LegProblem, options: readonly SingleOption[], chosen: SingleOption, excludedCount: number): string {
  const clauses = [accountClause(p, options, chosen, excludedCount), venueClause(p, options, chosen)].filter((c) => c !== '');
  const label = accountLabel(p.candidates[chosen.ci]!.account);
  return clauses.length === 0 ? `${label} — the only account` : `${label} — ${clauses.join('; ')}`;
}

/**
 * `split 2 ways: main (zerodha) 800 NSE, spouse (upstox) 400 NSE — no single account holds 1,200 INFY`,
 * or `— lower expected cost ₹1,240 vs ₹1,580 in one order`.
 */
export function splitWhy(p: LegProblem, parts: readonly RoutePart[], options: readonly SingleOption[], single: SingleOption | undefined): string {
  const label = (alias: string) => accountLabel(p.candidates.find((c) => c.alias === alias)!.account);
  const aliases = [...new Set(parts.map((x) => x.account))];
  const list = aliases.map((alias) => `${label(alias)} ${parts.filter((x) => x.account === alias).map((x) => `${sharesText(x.quantity)} ${x.exchange}`).join(' + ')}`).join(', ');
  const currency = p.candidates[0]!.account.currency;
  let cause: string;
  if (single !== undefined) {
    const one = p.candidates[single.ci]!;
    const q = p.leg.quantity;
    const oneCost = p.charges(single.ci, q) + q * one.figures.halfSpread + p.impact(one.figures.index, q);
    const splitCost = parts.reduce((s, x) => s + x.expectedCost, 0);
    const costs = `${moneyText(splitCost, currency)} vs ${moneyText(oneCost, currency)} in one order (${one.alias} on ${one.figures.venue.exchange})`;
    // The choice weighs quality, health and latency too: when those carried it, the money alone is not the reason.
    cause = splitCost < oneCost ? `lower expected cost ${costs}` : `better measured quality and health than one order, at an expected cost of ${costs}`;
  } else cause = noSingleCause(p, options);
  return `split ${parts.length} ways: ${list} — ${cause}`;
}

function noSingleCause(p: LegProblem, options: readonly SingleOption[]): string {
  const q = sharesText(p.leg.quantity);
  const all = (kind: string) => options.every((o) => o.shortfall === kind);
  if (all('shares')) return `no single account holds ${q} ${p.leg.symbol}`;
  if (all('cash')) return `no single account has the cash for all ${q}`;
  if (all('cap')) return `max-share rules keep each account below ${q}`;
  return `no single account can take all ${q}`;
}

/** A leg no account can take: `refused: <cause> — main: circuit breaker open; spouse: holds no INFY to sell`. */
export function refusedWhy(cause: string, excluded: RouteDecision['excluded']): string {
  return excluded.length === 0 ? `refused: ${cause}` : `refused: ${cause} — ${excluded.map((e) => `${e.account}: ${e.reason}`).join('; ')}`;
}
