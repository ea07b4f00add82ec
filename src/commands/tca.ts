import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { readInput } from '../app/read-input.js';
import { renderTcaGroups, renderTcaReport } from '../app/render/tca-view.js';
import { analyseOrders } from '../engine/tca/analyse.js';
import { TcaInputError, parseTcaInput } from '../engine/tca/input-file.js';
import { GROUP_CSV_HEADER, groupCsvRow, groupJson, LEG_CSV_HEADER, legCsvRow, reportJson, toCsv } from '../app/render/tca-report.js';
import { compareRuns, runTca } from '../engine/tca/run-report.js';
import type { LegTca, TcaReport } from '../engine/tca/types.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { dateFlag, runNamed } from '../app/named-inputs.js';
import type { Output } from '../lib/output.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import { BaseCommand } from './base-command.js';

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
    if (flags.since && !flags['group-by']) throw new InvalidInputError('--since works with --group-by');
    if (flags.input && args.run) throw new InvalidInputError('give either a run id or --input, not both');

    if (flags['group-by']) {
      const queries = new PostTradeQueries(this.store());
      const runs = queries.runs().filter((r) => !flags.since || r.tradingDate >= flags.since);
      const result = compareRuns(queries, await this.factory.chargeSchedules(), runs.map((r) => r.runId), flags['group-by'] as 'algo' | 'broker');
      for (const u of result.unpriced) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
      if (flags.csv) this.out.data(toCsv(GROUP_CSV_HEADER, result.groups.map(groupCsvRow)));
      else if (!this.jsonEnabled()) renderTcaGroups(this.out, result.groups.map(groupJson), flags['group-by'], runs.length);
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
        if (err instanceof TcaInputError) throw new InvalidInputError(`invalid TCA input ${source}`, 'see "TCA" in the README, or examples/tca-input.json', { issues: err.issues });
        throw err;
      }
      report = analyseOrders(null, orders);
      const byId = new Map(orders.map((o) => [o.id, o]));
      fillsFor = (l) => byId.get(l.id)?.fills ?? [];
    } else {
      const queries = new PostTradeQueries(this.store());
      const run = args.run ? queries.run(runNamed(this.store(), args.run).run_id) : queries.latestRun();
      if (!run) throw new InvalidInputError('no runs yet', 'run `ptexec rebalance` first, or analyse a file with --input');
      const full = runTca(queries, await this.factory.chargeSchedules(), run.runId);
      for (const u of full.unpriced) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
      report = full;
      samplesFor = (l) => (l.exchange && l.startTs !== null && l.endTs !== null ? queries.samples(l.exchange, l.symbol, l.startTs, l.endTs) : []);
      const fills = queries.fills({ runId: run.runId });
      const orders = queries.orders({ runId: run.runId });
      const legOf = new Map(orders.map((o) => [o.clientOrderId, o.parentId ?? o.clientOrderId]));
      fillsFor = (l) => fills.filter((f) => legOf.get(f.clientOrderId) === l.id);
    }
    if (flags.csv) this.out.data(toCsv(LEG_CSV_HEADER, report.legs.map(legCsvRow)));
    else if (!this.jsonEnabled()) renderTcaReport(this.out, report, samplesFor, fillsFor);
    return reportJson(report);
  }
}
