import type { RunEstimateVsActual } from '../../engine/estimate/estimate-vs-actual.js';
import { formatMinor } from '../../domain/money.js';
import type { TcaGroups, TcaLegs } from '../tca-service.js';
import { groupJson } from './tca-report.js';
import type { LegTca, MarketSample, TcaReport } from '../../engine/tca/types.js';
import type { Output } from '../../lib/output.js';

/** The terminal rendering of a TCA report and of a comparison across runs (bps: positive = cost). */
export function renderTcaGroups(out: Output, groups: ReturnType<typeof groupJson>[], by: string, runs: number): void {
  if (groups.length === 0) {
    out.info('no legs to compare');
    return;
  }
  out.data(`TCA by ${by} over ${runs} run(s) — bps, positive = cost`);
  out.table(
    [
      { header: by },
      { header: 'ccy' },
      { header: 'legs', align: 'right', priority: 4 },
      { header: 'runs', align: 'right', priority: 3 },
      { header: 'fill %', align: 'right', priority: 9 },
      { header: 'IS bps', align: 'right' },
      { header: 'delay', align: 'right', priority: 7 },
      { header: 'trading', align: 'right', priority: 8 },
      { header: 'opport.', align: 'right', priority: 6 },
      { header: 'charges', align: 'right', priority: 5 },
      { header: 'vs arrival', align: 'right', priority: 10 },
      { header: 'vs VWAP', align: 'right', priority: 10 },
      { header: 'particip.', align: 'right', priority: 2 },
      { header: 'mean dur.', align: 'right', priority: 1 },
    ],
    groups.map((g) => [
      g.key,
      g.currency ?? '—',
      g.legs,
      g.runs,
      pct(g.fill_rate),
      colourBps(out, g.shortfall_bps.total ?? null),
      colourBps(out, g.shortfall_bps.delay ?? null),
      colourBps(out, g.shortfall_bps.trading ?? null),
      colourBps(out, g.shortfall_bps.opportunity ?? null),
      colourBps(out, g.shortfall_bps.charges ?? null),
      colourBps(out, g.arrival_slippage_bps),
      colourBps(out, g.vwap_slippage_bps),
      g.participation === null ? '—' : pct(g.participation),
      duration(g.mean_duration_seconds),
    ]),
  );
}

function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return `${seconds.toFixed(0)}s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

/** bps with colour: red for a cost, green for a gain (positive = cost). */
function colourBps(out: Output, bps: number | null): string {
  if (bps === null) return '—';
  if (Math.abs(bps) < 0.05) return '0.0';
  const text = bps.toFixed(1);
  return bps > 0 ? out.c.red(text) : out.c.green(text);
}

function price(minor: number | null): string {
  return minor === null ? '—' : formatMinor(Math.round(minor));
}

function money(minor: number): string {
  return formatMinor(Math.round(minor));
}

/** A run's TCA on a terminal: slippage per leg, its implementation shortfall, totals, fills against the market. */
export function renderTcaReport(
  out: Output,
  report: TcaReport,
  samplesFor: ((l: LegTca) => readonly MarketSample[]) | undefined,
  fillsFor: (l: LegTca) => { ts?: number; quantity: number }[],
): void {
  out.data(out.c.bold(report.runId ? `TCA of run ${report.runId}` : 'TCA of the input file') + ' — bps, positive = cost');
  renderSlippage(out, report);
  out.data('');
  out.data(out.c.bold('Implementation shortfall'));
  renderShortfall(out, report);
  if (samplesFor) renderFillCharts(out, report, samplesFor, fillsFor);
  const notes = report.legs.flatMap((l) => l.notes.map((n) => `${l.symbol}: ${n}`));
  for (const n of notes) out.info(`note: ${n}`);
}

/** Each leg's fill and slippage against its benchmarks; the least telling columns go first on a narrow terminal. */
function renderSlippage(out: Output, report: TcaReport): void {
  out.table(
    [
      { header: 'leg' },
      { header: 'symbol' },
      { header: 'side' },
      { header: 'algo', priority: 9 },
      { header: 'filled', align: 'right', priority: 11 },
      { header: 'fill %', align: 'right', priority: 12 },
      { header: 'avg price', align: 'right', priority: 10 },
      { header: 'arrival', align: 'right', priority: 7 },
      { header: 'VWAP', align: 'right', priority: 6 },
      { header: 'vs arr.', align: 'right' },
      { header: 'vs VWAP', align: 'right', priority: 13 },
      { header: 'vs TWAP', align: 'right', priority: 5 },
      { header: 'vs close', align: 'right', priority: 4 },
      { header: 'particip.', align: 'right', priority: 8 },
      { header: 'dur.', align: 'right', priority: 3 },
      { header: 'mk 1m', align: 'right', priority: 2 },
      { header: 'mk 5m', align: 'right', priority: 1 },
    ],
    report.legs.map((l) => [
      l.leg ?? l.id,
      l.symbol,
      l.side,
      l.algo ?? '—',
      `${l.filled}/${l.ordered}`,
      pct(l.fillRate),
      price(l.averagePrice),
      price(l.arrivalPrice),
      price(l.benchmarks.vwap),
      colourBps(out, l.slippageBps.arrival),
      colourBps(out, l.slippageBps.vwap),
      colourBps(out, l.slippageBps.twap),
      colourBps(out, l.slippageBps.close),
      l.participation === null ? '—' : pct(l.participation),
      duration(l.durationMs === null ? null : l.durationMs / 1000),
      l.markoutBps.m1 === null ? '—' : l.markoutBps.m1.toFixed(1),
      l.markoutBps.m5 === null ? '—' : l.markoutBps.m5.toFixed(1),
    ]),
  );
}

/** Each leg's implementation shortfall split into delay, trading, opportunity and charges, then the totals per currency. */
function renderShortfall(out: Output, report: TcaReport): void {
  out.table(
    [
      { header: 'leg' },
      { header: 'symbol' },
      { header: 'paper value', align: 'right', priority: 5 },
      { header: 'delay', align: 'right', priority: 3 },
      { header: 'trading', align: 'right', priority: 4 },
      { header: 'opportunity', align: 'right', priority: 1 },
      { header: 'charges', align: 'right', priority: 2 },
      { header: 'total', align: 'right' },
      { header: 'bps', align: 'right' },
    ],
    report.legs.map((l) => [
      l.leg ?? l.id,
      l.symbol,
      money(l.paperValue),
      money(l.shortfall.delay),
      money(l.shortfall.trading),
      money(l.shortfall.opportunity),
      money(l.shortfall.charges),
      money(l.shortfall.total),
      colourBps(out, l.shortfallBps.total),
    ]),
  );
  for (const t of report.totals) {
    const b = t.shortfallBps;
    out.paragraph(
      `${out.c.bold(`Total${t.currency ? ` (${t.currency})` : ''}:`)} ${money(t.shortfall.total)} = ${colourBps(out, b.total)} bps ` +
        `[delay ${colourBps(out, b.delay)}, trading ${colourBps(out, b.trading)}, opportunity ${colourBps(out, b.opportunity)}, charges ${colourBps(out, b.charges)}] ` +
        `on ${money(t.paperValue)}; fill rate ${pct(t.fillRate)}; vs arrival ${colourBps(out, t.slippageBps.arrival)} bps, vs VWAP ${colourBps(out, t.slippageBps.vwap)} bps`,
    );
  }
}

/** Per leg, the market's mid over its life above the quantity filled, as one-line charts. */
function renderFillCharts(out: Output, report: TcaReport, samplesFor: (l: LegTca) => readonly MarketSample[], fillsFor: (l: LegTca) => { ts?: number; quantity: number }[]): void {
  const charts = report.legs
    .filter((l) => l.startTs !== null && l.endTs !== null && l.endTs > l.startTs)
    .map((l) => ({ l, chart: fillsVsMarket(samplesFor(l), fillsFor(l), l.startTs!, l.endTs!) }))
    .filter(({ chart }) => chart.market.trim() !== '');
  if (!charts.length) return;
  out.data('');
  out.data(out.c.bold('Fills vs market (market mid above, quantity filled below, over each leg\'s life)'));
  const indent = ' '.repeat(14);
  out.lines(charts.flatMap(({ l, chart }) => [`${`${l.leg ?? ''} ${l.symbol}`.trim().padEnd(14)} ${out.c.cyan(chart.market)}`, `${indent} ${out.c.yellow(chart.fills)}`]));
}

const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of values scaled between their min and max; null → blank. */
function sparkline(values: readonly (number | null)[]): string {
  const real = values.filter((v): v is number => v !== null);
  if (real.length === 0) return ' '.repeat(values.length);
  const lo = Math.min(...real);
  const hi = Math.max(...real);
  return values.map((v) => (v === null ? ' ' : BARS[hi === lo ? 3 : Math.min(7, Math.floor(((v - lo) / (hi - lo)) * 8))]!)).join('');
}

/**
 * Fills against the market over a leg's life, in `width` time buckets: the market mid (last
 * sample in each bucket) and the quantity filled in each bucket.
 */
function fillsVsMarket(samples: readonly MarketSample[], fills: readonly { ts?: number; quantity: number }[], start: number, end: number, width = 32): { market: string; fills: string } {
  const span = Math.max(1, end - start);
  const bucket = (ts: number) => Math.min(width - 1, Math.max(0, Math.floor(((ts - start) / span) * width)));
  const market: (number | null)[] = new Array(width).fill(null);
  for (const s of samples) if (s.ts >= start && s.ts <= end) market[bucket(s.ts)] = s.bid > 0 && s.ask > 0 ? (s.bid + s.ask) / 2 : s.last;
  const qty: (number | null)[] = new Array(width).fill(null);
  for (const f of fills) if (f.ts !== undefined) qty[bucket(f.ts)] = (qty[bucket(f.ts)] ?? 0) + f.quantity;
  return { market: sparkline(market), fills: sparkline(qty.map((q) => q)) };
}

/** `ptexec tca` on a terminal: the run's (or file's) legs, or the groups compared. */
export function renderTca(out: Output, result: TcaLegs | TcaGroups): void {
  if (result.kind === 'legs') {
    renderTcaReport(out, result.report, result.samplesFor, result.fillsFor);
    if (result.estimates) renderEstimateVsActual(out, result.estimates);
  }
  else renderTcaGroups(out, result.groups.map(groupJson), result.by, result.runs);
}

/** The pre-trade estimate of each leg beside its trading + opportunity shortfall. */
function renderEstimateVsActual(out: Output, e: RunEstimateVsActual): void {
  out.data('');
  out.data(out.c.bold('Estimate vs actual') + ' (trading + opportunity shortfall; the estimate leaves out delay and charges)');
  out.table(
    [{ header: 'symbol' }, { header: 'est. bps', align: 'right' }, { header: '±1σ', align: 'right', priority: 1 }, { header: 'actual bps', align: 'right' }, { header: 'z', align: 'right', priority: 2 }],
    e.legs.map((l) => [l.symbol, l.estimateBps.toFixed(1), l.stdBps.toFixed(1), colourBps(out, Math.round(l.actualBps * 100) / 100), l.zScore === null ? '-' : l.zScore.toFixed(2)]),
  );
  out.paragraph(`run: estimated ${e.estimateBps.toFixed(1)} bps, actual ${e.actualBps.toFixed(1)} bps`);
}
