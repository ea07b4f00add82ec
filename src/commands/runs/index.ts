import * as Flags from '@oclif/core/flags';
import { recordedRuns } from '../../app/record-service.js';
import { moreMatched } from '../../app/render/query-tables.js';
import { renderRuns } from '../../app/render/record-view.js';
import { runJson } from '../../app/render/rows.js';
import { RUN_STATUSES } from '../../domain/run-status.js';
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
    const { rows: runs, more } = recordedRuns(this.factory, flags);
    if (!this.jsonEnabled()) {
      renderRuns(this.out, runs);
      if (more) this.out.info(moreMatched(`the newest ${runs.length} runs`, '--status or --broker'));
    }
    return { runs: runs.map(runJson), more };
  }
}
