import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { readInput } from '../app/read-input.js';
import { formatMinor } from '../domain/money.js';
import { analyseOrders } from '../engine/tca/analyse.js';
import { TcaInputError, parseTcaInput } from '../engine/tca/input-file.js';
import { fillsVsMarket, GROUP_CSV_HEADER, groupCsvRow, groupJson, LEG_CSV_HEADER, legCsvRow, reportJson, toCsv } from '../engine/tca/report-view.js';
import { compareRuns, runTca } from '../engine/tca/run-report.js';
import type { LegTca, TcaReport } from '../engine/tca/types.js';
import { InputError } from '../lib/errors.js';
import { dateFlag, runNamed } from '../app/named-inputs.js';
import type { Output } from '../lib/output.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import { BaseCommand } from './base-command.js';
import { schedulesForCommand } from './charges.js';

export default class Tca extends BaseCommand {
  static override summary = 'Transaction cost analysis of a run, a file, or many runs.';
  static override description = `Per leg and per run: decision, arrival, interval VWAP, TWAP and close benchmarks, slippage in bps against each (positive = cost), implementation shortfall split into delay, trading, opportunity and charges, fill rate, participation, duration and 1- and 5-minute markouts. Without a run id, the latest run. --input analyses a JSON or CSV file of orders and fills made elsewhere (format in the README; see examples/tca-input.json).`;
  static override examples = [
    '<%= config.bin %> tca',
    '<%= config.bin %> tca --csv > tca.csv',
    '<%= config.bin %> tca --input examples/tca-input.json',
    '<%= config.bin %> tca --input examples/tca-input.csv --json',
    '<%= config.bin %> tca --group-by algo --since 2026-01-01',
  ];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id (default: the latest run)' }) };
  static override flags = {
    input: Flags.string({ description: 'analyse a JSON or CSV file of orders and fills (- for stdin)', exclusive: ['group-by'], helpValue: 'FILE' }),
    'group-by': Flags.string({ description: 'compare over many runs by algorithm or broker', options: ['algo', 'broker'] }),
    since: Flags.string({ description: 'with --group-by: only runs whose trading date is on or after this date (YYYY-MM-DD)' }),
    csv: Flags.boolean({ description: 'CSV for spreadsheets (one row per leg, or per group)', exclusive: ['json'] }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Tca);
    if (flags.since) dateFlag('since', flags.since);
    if (flags.since && !flags['group-by']) throw new InputError('--since works with --group-by');
    if (flags.input && args.run) throw new InputError('give either a run id or --input, not both');

    if (flags['group-by']) {
      const queries = new PostTradeQueries(this.store());
      const runs = queries.runs().filter((r) => !flags.since || r.tradingDate >= flags.since);
      const result = compareRuns(queries, schedulesForCommand(), runs.map((r) => r.runId), flags['group-by'] as 'algo' | 'broker');
      for (const u of result.unpriced) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
      if (flags.csv) this.out.data(toCsv(GROUP_CSV_HEADER, result.groups.map(groupCsvRow)));
      else if (!this.jsonEnabled()) this.renderGroups(result.groups.map(groupJson), flags['group-by'], runs.length);
      return { group_by: flags['group-by'], runs: runs.length, legs: result.legs, groups: result.groups.map(groupJson) };
    }

    let report: TcaReport;
    let samplesFor: ((l: LegTca) => { ts: number; bid: number; ask: number; last: number; volume: number }[]) | undefined;
    let fillsFor: (l: LegTca) => { ts?: number; quantity: number }[] = () => [];
    if (flags.input) {
      const { text, source } = await readInput(flags.input);
      let orders;
      try {
        orders = parseTcaInput(text, source);
      } catch (err) {
        if (err instanceof TcaInputError) throw new InputError(err.message, 'see "TCA input format" in the README, or examples/tca-input.json');
        throw err;
      }
      report = analyseOrders(null, orders);
      const byId = new Map(orders.map((o) => [o.id, o]));
      fillsFor = (l) => byId.get(l.id)?.fills ?? [];
    } else {
      const queries = new PostTradeQueries(this.store());
      const run = args.run ? queries.run(runNamed(this.store(), args.run).run_id) : queries.latestRun();
      if (!run) throw new InputError('no runs yet', 'run `ptexec rebalance` first, or analyse a file with --input');
      const full = runTca(queries, schedulesForCommand(), run.runId);
      for (const u of full.unpriced) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
      report = full;
      samplesFor = (l) => (l.exchange && l.startTs !== null && l.endTs !== null ? queries.samples(l.exchange, l.symbol, l.startTs, l.endTs) : []);
      const fills = queries.fills({ runId: run.runId });
      const orders = queries.orders({ runId: run.runId });
      const legOf = new Map(orders.map((o) => [o.clientOrderId, o.parentId ?? o.clientOrderId]));
      fillsFor = (l) => fills.filter((f) => legOf.get(f.clientOrderId) === l.id);
    }
    if (flags.csv) this.out.data(toCsv(LEG_CSV_HEADER, report.legs.map(legCsvRow)));
    else if (!this.jsonEnabled()) renderReport(this.out, report, samplesFor, fillsFor);
    return reportJson(report);
  }

  private renderGroups(groups: ReturnType<typeof groupJson>[], by: string, runs: number): void {
    if (groups.length === 0) {
      this.out.info('no legs to compare');
      return;
    }
    this.out.data(`TCA by ${by} over ${runs} run(s) — bps, positive = cost`);
    this.out.table(
      [by, 'legs', 'runs', 'fill %', 'IS bps', 'delay', 'trading', 'opport.', 'charges', 'vs arrival', 'vs VWAP', 'particip.', 'mean dur.'],
      groups.map((g) => [
        g.key,
        g.legs,
        g.runs,
        pct(g.fill_rate),
        colourBps(this.out, g.shortfall_bps.total ?? null),
        colourBps(this.out, g.shortfall_bps.delay ?? null),
        colourBps(this.out, g.shortfall_bps.trading ?? null),
        colourBps(this.out, g.shortfall_bps.opportunity ?? null),
        colourBps(this.out, g.shortfall_bps.charges ?? null),
        colourBps(this.out, g.arrival_slippage_bps),
        colourBps(this.out, g.vwap_slippage_bps),
        g.participation === null ? '—' : pct(g.participation),
        duration(g.mean_duration_seconds),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    );
  }
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

function renderReport(
  out: Output,
  report: TcaReport,
  samplesFor: ((l: LegTca) => { ts: number; bid: number; ask: number; last: number; volume: number }[]) | undefined,
  fillsFor: (l: LegTca) => { ts?: number; quantity: number }[],
): void {
  out.data(out.c.bold(report.runId ? `TCA of run ${report.runId}` : 'TCA of the input file') + ' — bps, positive = cost');
  out.table(
    ['leg', 'symbol', 'side', 'algo', 'filled', 'fill %', 'avg price', 'arrival', 'VWAP', 'vs arr.', 'vs VWAP', 'vs TWAP', 'vs close', 'particip.', 'dur.', 'mk 1m', 'mk 5m'],
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
    ['l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  out.data('');
  out.data(out.c.bold('Implementation shortfall'));
  out.table(
    ['leg', 'symbol', 'paper value', 'delay', 'trading', 'opportunity', 'charges', 'total', 'bps'],
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
    ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
  for (const t of report.totals) {
    const b = t.shortfallBps;
    out.data(
      `${out.c.bold(`Total${t.currency ? ` (${t.currency})` : ''}:`)} ${money(t.shortfall.total)} = ${colourBps(out, b.total)} bps ` +
        `[delay ${colourBps(out, b.delay)}, trading ${colourBps(out, b.trading)}, opportunity ${colourBps(out, b.opportunity)}, charges ${colourBps(out, b.charges)}] ` +
        `on ${money(t.paperValue)}; fill rate ${pct(t.fillRate)}; vs arrival ${colourBps(out, t.slippageBps.arrival)} bps, vs VWAP ${colourBps(out, t.slippageBps.vwap)} bps`,
    );
  }
  if (samplesFor) {
    const charts = report.legs
      .filter((l) => l.startTs !== null && l.endTs !== null && l.endTs > l.startTs)
      .map((l) => ({ l, chart: fillsVsMarket(samplesFor(l), fillsFor(l), l.startTs!, l.endTs!) }))
      .filter(({ chart }) => chart.market.trim() !== '');
    if (charts.length) {
      out.data('');
      out.data(out.c.bold('Fills vs market (market mid above, quantity filled below, over each leg\'s life)'));
      for (const { l, chart } of charts) {
        const name = `${l.leg ?? ''} ${l.symbol}`.trim().padEnd(14);
        out.data(`${name} ${out.c.cyan(chart.market)}`);
        out.data(`${' '.repeat(14)} ${out.c.yellow(chart.fills)}`);
      }
    }
  }
  const notes = report.legs.flatMap((l) => l.notes.map((n) => `${l.symbol}: ${n}`));
  for (const n of notes) out.info(`note: ${n}`);
}
