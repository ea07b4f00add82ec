import type { RunEstimateVsActual } from '../../engine/estimate/estimate-vs-actual.js';
import type { TcaGroups, TcaLegs } from '../tca-service.js';
import { BENCHMARKS, type LegTca, type Shortfall, type TcaReport, type TcaTotals } from '../../engine/tca/types.js';
import type { TcaGroup } from '../../engine/tca/compare.js';
import { averagePrice, isoTime, money } from './json-contract.js';

/**
 * Renderings of a TCA report that do not depend on a terminal: the stable JSON (README "Output
 * contract": amounts with their `*_minor` twins, prices and benchmarks as decimal strings, bps and
 * rates as numbers) and CSV rows for spreadsheets, which carry the same values.
 */
const round = (x: number | null, digits: number): number | null => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

function shortfallJson(m: Shortfall, b: Shortfall, currency: string | null) {
  const out: Record<string, { amount: string | null; amount_minor: number | null; bps: number | null }> = {};
  for (const k of ['delay', 'trading', 'opportunity', 'charges', 'total'] as const) out[k] = { ...money('amount', m[k], currency), bps: round(b[k], 2) };
  return out;
}

function byBenchmark<T>(values: Record<string, number | null>, f: (v: number | null) => T): Record<string, T> {
  return Object.fromEntries(BENCHMARKS.map((b) => [b, f(values[b] ?? null)]));
}

export function legJson(l: LegTca) {
  return {
    id: l.id,
    run_id: l.runId,
    leg: l.leg,
    symbol: l.symbol,
    exchange: l.exchange,
    side: l.side,
    algo: l.algo,
    broker: l.broker,
    currency: l.currency,
    ordered_quantity: l.ordered,
    filled_quantity: l.filled,
    fills: l.fillCount,
    fill_rate: round(l.fillRate, 6),
    average_price: averagePrice(l.averagePrice, l.currency),
    decision_price: averagePrice(l.decisionPrice, l.currency),
    arrival_price: averagePrice(l.arrivalPrice, l.currency),
    end_price: averagePrice(l.endPrice, l.currency),
    ...money('paper_value', l.paperValue, l.currency),
    ...money('filled_value', l.filledValue, l.currency),
    benchmarks: byBenchmark(l.benchmarks, (v) => averagePrice(v, l.currency)),
    slippage_bps: byBenchmark(l.slippageBps, (v) => round(v, 2)),
    shortfall: shortfallJson(l.shortfall, l.shortfallBps, l.currency),
    participation: round(l.participation, 6),
    market_volume: l.marketVolume,
    start: isoTime(l.startTs),
    end: isoTime(l.endTs),
    duration_seconds: l.durationMs === null ? null : round(l.durationMs / 1000, 3),
    markout_bps: { '1m': round(l.markoutBps.m1, 2), '5m': round(l.markoutBps.m5, 2) },
    notes: l.notes,
  };
}

export function totalsJson(t: TcaTotals) {
  return {
    currency: t.currency,
    legs: t.legs,
    ordered_quantity: t.ordered,
    filled_quantity: t.filled,
    fill_rate: round(t.fillRate, 6),
    ...money('paper_value', t.paperValue, t.currency),
    ...money('filled_value', t.filledValue, t.currency),
    slippage_bps: byBenchmark(t.slippageBps, (v) => round(v, 2)),
    shortfall: shortfallJson(t.shortfall, t.shortfallBps, t.currency),
    start: isoTime(t.startTs),
    end: isoTime(t.endTs),
    duration_seconds: t.durationMs === null ? null : round(t.durationMs / 1000, 3),
    markout_bps: { '1m': round(t.markoutBps.m1, 2), '5m': round(t.markoutBps.m5, 2) },
  };
}

export function reportJson(r: TcaReport) {
  return { run_id: r.runId, legs: r.legs.map(legJson), totals: r.totals.map(totalsJson) };
}

export function groupJson(g: TcaGroup) {
  return {
    key: g.key,
    currency: g.currency,
    legs: g.legs,
    runs: g.runs,
    ordered_quantity: g.ordered,
    filled_quantity: g.filled,
    fill_rate: round(g.fillRate, 6),
    shortfall_bps: Object.fromEntries(Object.entries(g.shortfallBps).map(([k, v]) => [k, round(v, 2)])),
    arrival_slippage_bps: round(g.arrivalSlippageBps, 2),
    vwap_slippage_bps: round(g.vwapSlippageBps, 2),
    participation: round(g.participation, 6),
    mean_duration_seconds: g.meanDurationMs === null ? null : round(g.meanDurationMs / 1000, 3),
  };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n');
}

export const LEG_CSV_HEADER = [
  'id', 'run_id', 'leg', 'symbol', 'exchange', 'side', 'algo', 'broker', 'currency', 'ordered_quantity', 'filled_quantity', 'fill_rate', 'average_price',
  'decision_price', 'arrival_price', 'end_price', 'vwap', 'twap', 'close', 'slippage_arrival_bps', 'slippage_vwap_bps', 'slippage_twap_bps',
  'slippage_close_bps', 'delay', 'trading', 'opportunity', 'charges', 'shortfall', 'shortfall_bps', 'participation', 'duration_seconds',
  'markout_1m_bps', 'markout_5m_bps',
];

export function legCsvRow(l: LegTca): unknown[] {
  const j = legJson(l);
  return [
    j.id, j.run_id, j.leg, j.symbol, j.exchange, j.side, j.algo, j.broker, j.currency, j.ordered_quantity, j.filled_quantity, j.fill_rate, j.average_price,
    j.decision_price, j.arrival_price, j.end_price, j.benchmarks.vwap, j.benchmarks.twap, j.benchmarks.close, j.slippage_bps.arrival, j.slippage_bps.vwap,
    j.slippage_bps.twap, j.slippage_bps.close, j.shortfall.delay!.amount, j.shortfall.trading!.amount, j.shortfall.opportunity!.amount,
    j.shortfall.charges!.amount, j.shortfall.total!.amount, j.shortfall.total!.bps, j.participation, j.duration_seconds, j.markout_bps['1m'], j.markout_bps['5m'],
  ];
}

export const GROUP_CSV_HEADER = ['key', 'currency', 'legs', 'runs', 'ordered_quantity', 'filled_quantity', 'fill_rate', 'shortfall_bps', 'delay_bps', 'trading_bps', 'opportunity_bps', 'charges_bps', 'arrival_slippage_bps', 'vwap_slippage_bps', 'participation', 'mean_duration_seconds'];

export function groupCsvRow(g: TcaGroup): unknown[] {
  const j = groupJson(g);
  return [j.key, j.currency, j.legs, j.runs, j.ordered_quantity, j.filled_quantity, j.fill_rate, j.shortfall_bps.total, j.shortfall_bps.delay, j.shortfall_bps.trading, j.shortfall_bps.opportunity, j.shortfall_bps.charges, j.arrival_slippage_bps, j.vwap_slippage_bps, j.participation, j.mean_duration_seconds];
}

/** `ptexec tca`'s result as `--json`. */
export function tcaJson(result: TcaLegs | TcaGroups) {
  if (result.kind === 'legs') return { ...reportJson(result.report), estimate_vs_actual: result.estimates ? estimateVsActualJson(result.estimates) : null };
  return { group_by: result.by, runs: result.runs, legs: result.legs, groups: result.groups.map(groupJson) };
}

/** `ptexec tca --csv`: one row per leg, or per group. */
export function tcaCsv(result: TcaLegs | TcaGroups): string {
  return result.kind === 'legs' ? toCsv(LEG_CSV_HEADER, result.report.legs.map(legCsvRow)) : toCsv(GROUP_CSV_HEADER, result.groups.map(groupCsvRow));
}

/** The run's estimates against the result (README "Cost estimates"). */
export function estimateVsActualJson(e: RunEstimateVsActual) {
  return {
    legs: e.legs.map((l) => ({ leg: l.leg, symbol: l.symbol, estimate_bps: round(l.estimateBps, 2), std_bps: round(l.stdBps, 2), actual_bps: round(l.actualBps, 2), z_score: l.zScore === null ? null : round(l.zScore, 2) })),
    estimate_bps: round(e.estimateBps, 2),
    actual_bps: round(e.actualBps, 2),
    estimate_minor: e.estimateMinor,
    actual_minor: e.actualMinor,
  };
}
