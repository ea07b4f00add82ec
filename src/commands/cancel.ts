import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { confirmDestructive } from '../app/confirm.js';
import { pickRun } from '../app/resume-command-service.js';
import { requestControl } from '../app/run-control.js';
import { BaseCommand } from './base-command.js';

export default class Cancel extends BaseCommand {
  static override summary = 'Cancel a running run or one leg (open orders too).';
  static override examples = [
    '<%= config.bin %> cancel',
    '<%= config.bin %> cancel --leg 3',
    '<%= config.bin %> cancel --yes',
  ];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or unique prefix (default: the latest unfinished run)' }) };
  static override flags = {
    leg: Flags.integer({ description: 'cancel only this leg', min: 0, helpValue: 'N' }),
    yes: Flags.boolean({ char: 'y', description: 'cancel without asking (needed without a terminal)' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Cancel);
    const run = pickRun(this.store(), args.run);
    const what = `${flags.leg === undefined ? 'every leg' : `leg ${flags.leg}`} of run ${run.run_id}`;
    if (!(await confirmDestructive({ question: `Cancel ${what} and its open orders?`, yes: flags.yes, withoutTerminal: 'refuse', unattended: `not cancelling ${what}` }))) return { run_id: run.run_id, action: 'cancel', leg: flags.leg ?? null, declined: true };
    requestControl(this.store(), run, 'cancel', flags.leg);
    this.out.info(`asked run ${run.run_id} to cancel${flags.leg === undefined ? ' all legs' : ` leg ${flags.leg}`}`);
    return { run_id: run.run_id, action: 'cancel', leg: flags.leg ?? null };
  }
}
