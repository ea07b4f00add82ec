import { shortfall, type Shortfall } from './capacity.js';
import type { LegProblem } from './leg-problem.js';

/** The whole leg sent to one candidate: its weighted total (money), or why it cannot take it (total Infinity). */
export interface SingleOption {
  ci: number;
  total: number;
  shortfall?: Shortfall;
}

/** Scores tie when they differ by less than this share: float noise must not decide a route. */
const TIE = 1e-9;

export function lower(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a < b;
  return a < b - TIE * Math.max(1, Math.abs(a), Math.abs(b));
}

export function singleOptions(p: LegProblem): SingleOption[] {
  const q = p.leg.quantity;
  return p.candidates.map((c, ci) => {
    const reason = shortfall(p, ci, q);
    // What cannot take the leg is not weighed: its charges would be asked for nothing.
    if (reason !== undefined) return { ci, total: Infinity, shortfall: reason };
    return { ci, total: p.partScore(ci, q) + p.weightedImpact(c.figures.index, q) };
  });
}

/**
 * The best candidate that can take the whole leg. Candidates are in tie-break order (account role,
 * alias, then the deeper book, then the leg's venue order), so the first of equal totals wins.
 * Cash is checked on the exact charges (the search's are reckoned on one venue): a buy's cost, a
 * sell's charges beyond its proceeds; one that cannot pay is marked short of cash and the next
 * best is taken.
 */
export function bestSingle(p: LegProblem, options: SingleOption[]): SingleOption | undefined {
  for (;;) {
    let best: SingleOption | undefined;
    for (const o of options) if (o.shortfall === undefined && (best === undefined || lower(o.total, best.total))) best = o;
    if (best === undefined) return best;
    const flow = p.exactCashFlow(best.ci, p.leg.quantity);
    const cash = p.room(p.candidates[best.ci]!.alias).cash;
    if (p.leg.side === 'buy' ? flow <= cash : flow >= -cash) return best;
    best.shortfall = 'cash';
  }
}
