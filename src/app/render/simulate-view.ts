import { parseDuration } from '../../engine/algos/duration.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import type { AlgoSummary } from '../simulate/simulate-report.js';

const COLUMNS: Column[] = [
  { header: 'algo' },
  { header: 'IS mean bps', align: 'right' },
  { header: 'sd', align: 'right', priority: 4 },
  { header: 'p95', align: 'right', priority: 3 },
  { header: 'vs VWAP bps', align: 'right', priority: 2 },
  { header: 'fill rate', align: 'right', priority: 5 },
  { header: 'filled', align: 'right' },
  { header: 'in horizon', align: 'right' },
  { header: 'in bid/offer', align: 'right', priority: 1 },
  { header: 'cost bps', align: 'right' },
  { header: 'est. bps', align: 'right' },
  { header: 'act/est', align: 'right' },
];

const bps = (x: number | null) => (x === null ? '-' : x.toFixed(1));
const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);

/** The table a PM picks an algorithm from: one row per algorithm, over every path. */
export function renderSimulation(out: Output, summaries: readonly AlgoSummary[], run: { paths: number; seed: number; workers: number; seconds: number; duration: string }): void {
  out.data(`${run.paths} paths per algorithm from seed ${run.seed}; scheduled algorithms over ${run.duration}; ${run.workers} worker${run.workers === 1 ? '' : 's'}, ${run.seconds.toFixed(1)} s`);
  out.table(
    COLUMNS,
    summaries.map((s) => [s.algo, bps(s.shortfallMeanBps), bps(s.shortfallStdBps), bps(s.shortfallP95Bps), bps(s.vwapSlippageBps), pct(s.fillRate), pct(s.fullyFilled), pct(s.withinHorizon), pct(s.fillsWithinQuote), `${bps(s.costMeanBps)}±${bps(s.costSeBps)}`, bps(s.estimateBps), s.actualOverEstimate === null ? '-' : s.actualOverEstimate.toFixed(2)]),
  );
  for (const s of summaries.filter((x) => x.algo === 'auto')) {
    out.paragraph(`auto chose: ${Object.entries(s.chosen).map(([algo, n]) => `${algo} ${pct(n / s.legs)}`).join(', ')} of the legs`);
  }
  out.paragraph(out.c.dim('IS: implementation shortfall against the arrival mid, value-weighted per run (positive = cost); filled / in horizon: share of legs; in bid/offer: share of fills; cost: the shortfall less the move of the market itself (± its standard error), which est., the pre-trade estimate, is held to'));
}

const round = (x: number | null, digits = 2) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export function simulationJson(summaries: readonly AlgoSummary[], run: { paths: number; seed: number; workers: number; duration: string; source: string }) {
  return {
    target: run.source,
    paths: run.paths,
    seed: run.seed,
    workers: run.workers,
    duration_seconds: Math.round(parseDuration(run.duration) / 1000),
    algorithms: summaries.map((s) => ({
      algo: s.algo,
      paths: s.paths,
      legs: s.legs,
      shortfall_bps: { mean: round(s.shortfallMeanBps), std: round(s.shortfallStdBps), p95: round(s.shortfallP95Bps) },
      vwap_slippage_bps: round(s.vwapSlippageBps),
      fill_rate: round(s.fillRate, 4),
      fully_filled: round(s.fullyFilled, 4),
      within_horizon: round(s.withinHorizon, 4),
      fills_within_quote: round(s.fillsWithinQuote, 4),
      cost_bps: { mean: round(s.costMeanBps), se: round(s.costSeBps) },
      estimate_bps: round(s.estimateBps),
      actual_over_estimate: round(s.actualOverEstimate, 3),
      chosen: s.chosen,
    })),
  };
}
