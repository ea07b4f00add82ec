import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { pickRun } from '../app/resume-command-service.js';
import { requestControl } from '../app/run-control.js';
import { BaseCommand } from './base-command.js';

export default class Pause extends BaseCommand {
  static override summary = 'Pause a running run or one leg (open orders stay).';
  static override examples = [
    '<%= config.bin %> pause',
    '<%= config.bin %> pause --leg 3',
  ];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or unique prefix (default: the latest unfinished run)' }) };
  static override flags = { leg: Flags.integer({ description: 'pause only this leg', min: 0 }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Pause);
    const run = pickRun(this.store(), args.run);
    requestControl(this.store(), run, 'pause', flags.leg);
    this.out.info(`asked run ${run.run_id} to pause${flags.leg === undefined ? '' : ` leg ${flags.leg}`}; \`ptexec resume ${run.run_id}${flags.leg === undefined ? '' : ` --leg ${flags.leg}`}\` continues it`);
    return { run_id: run.run_id, action: 'pause', leg: flags.leg ?? null };
  }
}
