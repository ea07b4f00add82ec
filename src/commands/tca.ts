import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { selectedAccounts, type SelectedAccounts } from '../app/accounts/account-selection.js';
import { tcaAcrossAccounts } from '../app/accounts/tca-across-accounts.js';
import { renderTcaAcross, tcaAcrossCsv, tcaAcrossJson } from '../app/accounts/tca-across-view.js';
import { tcaCsv, tcaJson } from '../app/render/tca-report.js';
import { accountFlags } from '../oclif/account-flags.js';
import { renderTca } from '../app/render/tca-view.js';
import { transactionCosts } from '../app/tca-service.js';
import type { TcaGroupBy } from '../engine/tca/compare.js';
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
    '<%= config.bin %> tca --accounts all --group-by broker',
  ];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id (default: the latest run)' }) };
  static override flags = {
    input: Flags.string({ description: 'analyse a JSON or CSV file of orders and fills (- for stdin)', exclusive: ['group-by'], helpValue: 'FILE' }),
    'group-by': Flags.string({ description: 'compare over many runs by algorithm or broker', options: ['algo', 'broker'] }),
    since: Flags.string({ description: 'with --group-by: only runs whose trading date is on or after this date (YYYY-MM-DD)' }),
    csv: Flags.boolean({ description: 'CSV for spreadsheets (one row per leg, or per group)', exclusive: ['json'] }),
    account: { ...accountFlags.account, exclusive: ['input'] },
    accounts: { ...accountFlags.accounts, exclusive: ['input'] },
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Tca);
    const selected = await selectedAccounts(this.factory, flags);
    if (selected) return this.acrossAccounts(selected, args.run, flags);
    const result = await transactionCosts(this.factory, { run: args.run, input: flags.input, groupBy: flags['group-by'] as TcaGroupBy | undefined, since: flags.since });
    for (const u of result.unpriced) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
    if (flags.csv) this.out.data(tcaCsv(result));
    else if (!this.jsonEnabled()) renderTca(this.out, result);
    // The JSON document is built only when it is printed: for 50,000 legs it is most of the work.
    return this.jsonEnabled() ? tcaJson(result) : undefined;
  }

  /** `--account/--accounts`: each account's TCA, then per currency over all of them. */
  private async acrossAccounts(selected: SelectedAccounts, run: string | undefined, flags: { 'group-by'?: string; since?: string; csv: boolean }): Promise<unknown> {
    const across = await tcaAcrossAccounts(this.factory, selected, { run, groupBy: flags['group-by'] as TcaGroupBy | undefined, since: flags.since });
    for (const u of new Set(across.sections.flatMap((s) => (s.result.kind === 'none' ? [] : s.result.unpriced)))) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
    if (flags.csv) this.out.data(tcaAcrossCsv(across));
    else if (!this.jsonEnabled()) renderTcaAcross(this.out, across);
    return tcaAcrossJson(across);
  }
}
