import type { ExecutionStyle } from './execution-style.js';

/** One executed leg, as the impact fit sees it (all bps). */
export interface CalibrationPoint {
  /** How its orders met the book: each style has its own coefficient (execution-style.ts); absent = taking. */
  style?: ExecutionStyle;
  /** σ_daily · √(Q / V_h): the temporary impact per unit of η (the estimate's `impactScaleBps`). */
  impactScaleBps: number;
  /** What is not η's to explain: the spread's part and half the permanent impact, as estimated. */
  fixedBps: number;
  /** The realised comparable cost (trading + opportunity shortfall). */
  actualBps: number;
}

export interface CalibrationFit {
  n: number;
  /** The fitted temporary impact coefficient η (never negative). */
  coefficient: number;
  /** Share of the variance of (actual − fixed) the fit explains; null when it has no variance. */
  r2: number | null;
  /** Root mean square of actual − estimate, with the coefficient before and after the fit. */
  rmseBeforeBps: number;
  rmseAfterBps: number;
}

/**
 * Least squares through the origin of y = actual − fixed on x = σ·√(Q/V_h): η̂ = Σxy / Σx²,
 * floored at zero (a market cannot pay us to trade). R² against the mean of y.
 */
export function fitImpact(points: readonly CalibrationPoint[], before: number): CalibrationFit | undefined {
  const usable = points.filter((p) => Number.isFinite(p.impactScaleBps) && p.impactScaleBps > 0 && Number.isFinite(p.actualBps));
  if (!usable.length) return undefined;
  const ys = usable.map((p) => p.actualBps - p.fixedBps);
  const sxy = usable.reduce((s, p, i) => s + p.impactScaleBps * ys[i]!, 0);
  const sxx = usable.reduce((s, p) => s + p.impactScaleBps ** 2, 0);
  const coefficient = Math.max(0, sxy / sxx);
  const rmse = (eta: number) => Math.sqrt(usable.reduce((s, p, i) => s + (ys[i]! - eta * p.impactScaleBps) ** 2, 0) / usable.length);
  const meanY = ys.reduce((s, y) => s + y, 0) / ys.length;
  const ssTot = ys.reduce((s, y) => s + (y - meanY) ** 2, 0);
  const ssRes = usable.reduce((s, p, i) => s + (ys[i]! - coefficient * p.impactScaleBps) ** 2, 0);
  return { n: usable.length, coefficient, r2: ssTot > 0 ? 1 - ssRes / ssTot : null, rmseBeforeBps: rmse(before), rmseAfterBps: rmse(coefficient) };
}
