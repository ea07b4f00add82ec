import { percentText, sharesText } from './figures-text.js';
import type { LegProblem } from './leg-problem.js';
import { lower, type SingleOption } from './single-placement.js';

/**
 * The venue half of a leg's `why` (a leg with one venue has none): why this exchange rather than
 * the account's best other one — a tighter spread, a deeper book, or the only one it trades.
 */
export function venueClause(p: LegProblem, options: readonly SingleOption[], chosen: SingleOption): string {
  if (p.leg.venues.length < 2) return '';
  const c = p.candidates[chosen.ci]!;
  const f = c.figures;
  const ex = f.venue.exchange;
  const others = options.filter((o) => o.ci !== chosen.ci && p.candidates[o.ci]!.alias === c.alias);
  if (others.length === 0) return `${ex}: the only one of ${p.leg.venues.map((v) => v.exchange).join(', ')} ${c.alias} trades`;
  const other = others.reduce((a, b) => (lower(b.total, a.total) ? b : a));
  const g = p.candidates[other.ci]!.figures;
  if (f.spreadBps !== undefined && g.spreadBps === undefined) return `${ex}: quoted, ${g.venue.exchange} has no two-sided quote`;
  if (f.spreadBps !== undefined && g.spreadBps !== undefined && f.spreadBps < g.spreadBps - 0.005) return `${ex}: tighter spread ${percentText(f.spreadBps / 10_000)} vs ${percentText(g.spreadBps / 10_000)}`;
  if (f.depth > g.depth) return `${ex}: deeper book ${sharesText(f.depth)} vs ${sharesText(g.depth)}`;
  if (other.shortfall !== undefined) return `${ex}: ${g.venue.exchange} cannot take it all here`;
  if (!lower(chosen.total, other.total)) return `${ex}: tie with ${g.venue.exchange}, listed first`;
  return `${ex}: lower expected cost than ${g.venue.exchange}`;
}
