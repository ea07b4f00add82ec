import type { LegCostEstimate } from '../../domain/cost-estimate.js';
import type { LegTca } from '../tca/types.js';

/**
 * The estimate set against what happened (README "Cost estimates"). The estimate prices the
 * spread and the impact from the arrival mid, not the delay before the leg started nor the
 * charges, so the actual figure it is compared with is the trading plus opportunity parts of
 * the implementation shortfall, in bps of S · P_d.
 */
export interface LegEstimateVsActual {
  leg: number;
  symbol: string;
  estimateBps: number;
  stdBps: number;
  actualBps: number;
  /** actual − estimate, in the estimate's standard deviations (null when it has none). */
  zScore: number | null;
}

export interface RunEstimateVsActual {
  legs: LegEstimateVsActual[];
  /** Value-weighted over the legs that have an estimate. */
  estimateBps: number;
  actualBps: number;
  estimateMinor: number;
  actualMinor: number;
}

/** The actual cost the estimate is comparable with: trading + opportunity shortfall, bps. */
export function comparableActualBps(l: LegTca): number {
  return l.shortfallBps.trading + l.shortfallBps.opportunity;
}

export function estimateVsActual(legs: readonly LegTca[], estimates: ReadonlyMap<number, Pick<LegCostEstimate, 'costBps' | 'stdBps'>>): RunEstimateVsActual | null {
  const rows: LegEstimateVsActual[] = [];
  let value = 0;
  let estimateMinor = 0;
  let actualMinor = 0;
  for (const l of legs) {
    const e = l.leg === null ? undefined : estimates.get(l.leg);
    if (!e || l.leg === null) continue;
    const actualBps = comparableActualBps(l);
    rows.push({ leg: l.leg, symbol: l.symbol, estimateBps: e.costBps, stdBps: e.stdBps, actualBps, zScore: e.stdBps > 0 ? (actualBps - e.costBps) / e.stdBps : null });
    value += l.paperValue;
    estimateMinor += Math.round((e.costBps * l.paperValue) / 10_000);
    actualMinor += l.shortfall.trading + l.shortfall.opportunity;
  }
  if (!rows.length) return null;
  const bps = (minor: number) => (value > 0 ? (minor / value) * 10_000 : 0);
  return { legs: rows, estimateBps: bps(estimateMinor), actualBps: bps(actualMinor), estimateMinor, actualMinor };
}
