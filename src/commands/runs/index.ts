import * as Flags from '@oclif/core/flags';
import { runJson, shortTime } from '../../app/render/rows.js';
import { RUN_STATUSES } from '../../domain/run-status.js';
import { listRuns } from '../../store/queries.js';
import { BaseCommand } from '../base-command.js';

export default class RunsList extends BaseCommand {
  static override summary = 'List rebalance runs, newest first.';
  static override aliases = ['runs:list'];
  static override examples = ['<%= config.bin %> runs', '<%= config.bin %> runs --status incomplete --json'];
  static override flags = {
    status: Flags.string({ description: 'only runs with this status', options: [...RUN_STATUSES] }),
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'only runs on this broker' }),
    limit: Flags.integer({ description: 'at most this many runs', default: 20, min: 1 }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(RunsList);
    const runs = listRuns(this.store(), flags);
    if (!this.jsonEnabled()) {
      if (!runs.length) this.out.info('no runs yet: try `ptexec rebalance examples/portfolio.json --dry-run`');
      else
        this.out.table(
          [
            { header: 'run' },
            { header: 'created', priority: 3 },
            { header: 'broker' },
            { header: 'account', priority: 2 },
            { header: 'status' },
            { header: 'legs', align: 'right', priority: 4 },
            { header: 'source', truncate: true, priority: 1 },
          ],
          runs.map((r) => [r.run_id, shortTime(r.created_at), r.broker, r.account, r.status, r.summary ? String((JSON.parse(r.summary) as { legs?: number }).legs ?? '') : '', r.source]),
        );
    }
    return { runs: runs.map(runJson) };
  }
}
