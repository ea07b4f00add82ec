import type { LegSample } from './simulate-path.js';

/** One algorithm's figures over every path (README "`ptexec simulate`"). */
export interface AlgoSummary {
  algo: string;
  paths: number;
  legs: number;
  /** Run-level implementation shortfall (value-weighted over the legs), bps, over the paths. */
  shortfallMeanBps: number;
  shortfallStdBps: number;
  shortfallP95Bps: number;
  /** Mean slippage against the interval VWAP over the legs that filled, bps. */
  vwapSlippageBps: number | null;
  fillRate: number;
  fullyFilled: number;
  withinHorizon: number;
  fillsWithinQuote: number | null;
  /**
   * Run-level cost net of the market's own move (LegSample.costBps), bps: mean over the paths and
   * its standard error — the figure the estimate is held to.
   */
  costMeanBps: number;
  costSeBps: number;
  /** Mean run-level estimate, bps, and the mean cost ÷ the mean estimate. */
  estimateBps: number | null;
  actualOverEstimate: number | null;
  /** `auto`: how often each algorithm was chosen, over legs and paths. */
  chosen: Record<string, number>;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
const stdev = (xs: readonly number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
};
/** The 95th percentile, nearest rank. */
const p95 = (xs: readonly number[]) => {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
};
const weighted = (legs: readonly LegSample[], pick: (l: LegSample) => number) => {
  const value = legs.reduce((s, l) => s + l.value, 0);
  return value > 0 ? legs.reduce((s, l) => s + pick(l) * l.value, 0) / value : 0;
};

/** The paths of one algorithm (each path: its legs) summarised. */
export function summarise(algo: string, paths: readonly (readonly LegSample[])[]): AlgoSummary {
  const legs = paths.flat();
  const runShortfall = paths.map((p) => weighted(p, (l) => l.shortfallBps));
  const runCost = paths.map((p) => weighted(p, (l) => l.costBps));
  const estimated = paths.filter((p) => p.every((l) => l.estimateBps !== null));
  const runEstimate = estimated.map((p) => weighted(p, (l) => l.estimateBps!));
  const slippage = legs.flatMap((l) => (l.vwapSlippageBps === null ? [] : [l.vwapSlippageBps]));
  const fills = legs.reduce((s, l) => s + l.fills, 0);
  const estimateBps = runEstimate.length ? mean(runEstimate) : null;
  const chosen: Record<string, number> = {};
  for (const l of legs) chosen[l.algo] = (chosen[l.algo] ?? 0) + 1;
  const share = (n: number) => (legs.length ? n / legs.length : 0);
  return {
    algo,
    paths: paths.length,
    legs: legs.length,
    shortfallMeanBps: mean(runShortfall),
    shortfallStdBps: stdev(runShortfall),
    shortfallP95Bps: p95(runShortfall),
    vwapSlippageBps: slippage.length ? mean(slippage) : null,
    fillRate: legs.reduce((s, l) => s + l.filled, 0) / Math.max(1, legs.reduce((s, l) => s + l.quantity, 0)),
    fullyFilled: share(legs.filter((l) => l.filled === l.quantity).length),
    withinHorizon: share(legs.filter((l) => l.withinHorizon).length),
    fillsWithinQuote: fills ? legs.reduce((s, l) => s + l.fillsWithinQuote, 0) / fills : null,
    costMeanBps: mean(runCost),
    costSeBps: runCost.length > 1 ? stdev(runCost) / Math.sqrt(runCost.length) : 0,
    estimateBps,
    actualOverEstimate: estimateBps ? mean(estimated.map((p) => weighted(p, (l) => l.costBps))) / estimateBps : null,
    chosen,
  };
}
