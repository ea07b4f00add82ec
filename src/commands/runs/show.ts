import * as Args from '@oclif/core/args';
import { legRowJson, runJson } from '../../app/render/rows.js';
import { runLegs } from '../../app/run-legs.js';
import { formatMinor } from '../../domain/money.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { latestRun } from '../../store/queries.js';
import { runNamed } from '../../app/named-inputs.js';
import { BaseCommand } from '../base-command.js';

export default class RunsShow extends BaseCommand {
  static override summary = 'Show one run: its status and each leg with fills.';
  static override examples = ['<%= config.bin %> runs show', '<%= config.bin %> runs show k3f9a2bc01 --json'];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or a unique prefix (default: the latest run)' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(RunsShow);
    const store = this.store();
    const run = args.run ? runNamed(store, args.run) : latestRun(store);
    if (!run) throw new InvalidInputError('no runs yet', 'try `ptexec rebalance examples/portfolio.json --dry-run`');
    const legs = runLegs(store, run.run_id);
    if (!this.jsonEnabled()) {
      this.out.data(`Run ${run.run_id}  ${run.broker}:${run.account}  ${run.trading_date}  ${run.status}${run.reason ? ` (${run.reason})` : ''}`);
      this.out.paragraph(`source ${run.source}`);
      this.out.data('');
      if (legs.length)
        this.out.table(
          [
            { header: 'leg', align: 'right' },
            { header: 'symbol' },
            { header: 'side' },
            { header: 'algo', priority: 2 },
            { header: 'quantity', align: 'right' },
            { header: 'filled', align: 'right' },
            { header: 'avg price', align: 'right', priority: 3 },
            { header: 'status' },
            { header: 'reason', truncate: true, minWidth: 12, priority: 1 },
          ],
          legs.map(({ order: o, status }) => [o.leg, `${o.exchange}:${o.symbol}`, o.side, o.algo ?? '', o.quantity, o.filled_quantity, o.filled_quantity ? formatMinor(Math.round(o.filled_value / o.filled_quantity)) : '-', status, o.reason ?? '']),
        );
      else this.out.data('no orders in this run');
    }
    return { run: runJson(run), legs: legs.map(legRowJson) };
  }
}
