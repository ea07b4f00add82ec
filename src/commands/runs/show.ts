import * as Args from '@oclif/core/args';
import { recordedRun } from '../../app/record-service.js';
import { renderRun, runDetailJson } from '../../app/render/record-view.js';
import { BaseCommand } from '../base-command.js';

export default class RunsShow extends BaseCommand {
  static override summary = 'Show one run: its status and each leg with fills.';
  static override examples = ['<%= config.bin %> runs show', '<%= config.bin %> runs show k3f9a2bc01 --json'];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or a unique prefix (default: the latest run)' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(RunsShow);
    const run = recordedRun(this.factory, args.run);
    if (!this.jsonEnabled()) renderRun(this.out, run);
    return runDetailJson(run);
  }
}
