import { accountLabel } from './account-order.js';
import { shortfallText } from './capacity.js';
import { sharesText } from './figures-text.js';
import type { HouseholdShares } from './household-shares.js';
import type { LegProblem } from './leg-problem.js';
import type { ShareWant } from './share-allocation.js';
import type { RouteDecision, RoutePart } from './types.js';

/**
 * A leg placed by the shares, as a PM reads it: `by share: main (paper) 600 NSE, spouse (paper)
 * 400 NSE — toward each account's share of the household's 1,000 INFY (main 60%, spouse 40%)`,
 * and what an account could not take of its share: `; spouse took 250 of its 400 (cash ₹… short
 * of ₹…), the rest by cost`.
 */
export function shareWhy(p: LegProblem, parts: readonly RoutePart[], shares: HouseholdShares, short: readonly { want: ShareWant; took: number }[], excluded: RouteDecision['excluded'], cause?: string): string {
  const label = (alias: string) => accountLabel(p.candidates.find((c) => c.alias === alias)!.account);
  const aliases = [...new Set(parts.map((x) => x.account))];
  const list = aliases.map((alias) => `${label(alias)} ${parts.filter((x) => x.account === alias).map((x) => `${sharesText(x.quantity)} ${x.exchange}`).join(' + ')}`).join(', ');
  const toward = cause ?? (aliases.length > 1 ? "toward each account's share" : 'toward its share');
  const shorts = short.map(({ want, took }) => `; ${want.aliases.join(', ')} took ${sharesText(took)} of ${want.pool ? 'their' : 'its'} ${sharesText(want.want)} (${shortReason(p, want, excluded)}), the rest by cost`).join('');
  return `by share: ${list} — ${toward} of the household's ${sharesText(p.leg.householdTarget ?? 0)} ${p.leg.symbol} (${shares.text})${shorts}`;
}

function shortReason(p: LegProblem, want: ShareWant, excluded: RouteDecision['excluded']): string {
  const reasons = want.aliases.map((alias) => {
    const ci = p.candidates.findIndex((c) => c.alias === alias);
    if (ci < 0) return excluded.find((e) => e.account === alias)?.reason ?? 'not among the accounts routed to';
    const text = shortfallText(p, ci, want.want);
    return text === 'can take it' ? 'its orders left today, or parts below routing.split.min_quantity' : text;
  });
  return [...new Set(reasons)].join('; ');
}
