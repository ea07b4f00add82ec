import { shortfall } from './capacity.js';
import type { LegProblem } from './leg-problem.js';

/** The whole leg sent to one candidate: its weighted total (money), or why it cannot take it. */
export interface SingleOption {
  ci: number;
  total: number;
  shortfall?: string;
}

/** Scores tie when they differ by less than this share: float noise must not decide a route. */
const TIE = 1e-9;

export function lower(a: number, b: number): boolean {
  return a < b - TIE * Math.max(1, Math.abs(a), Math.abs(b));
}

export function singleOptions(p: LegProblem): SingleOption[] {
  const q = p.leg.quantity;
  return p.candidates.map((c, ci) => {
    const reason = shortfall(p, ci, q);
    const total = p.partScore(ci, q) + p.weightedImpact(c.figures.index, q);
    return reason === undefined ? { ci, total } : { ci, total, shortfall: reason };
  });
}

/**
 * The best candidate that can take the whole leg. Candidates are in tie-break order (account role,
 * alias, then the leg's venue order), so the first of equal totals wins.
 */
export function bestSingle(options: readonly SingleOption[]): SingleOption | undefined {
  let best: SingleOption | undefined;
  for (const o of options) if (o.shortfall === undefined && (best === undefined || lower(o.total, best.total))) best = o;
  return best;
}
