import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { resumeRun } from '../app/resume-command-service.js';
import { BaseCommand } from './base-command.js';

export default class Resume extends BaseCommand {
  static override summary = 'Continue an unfinished run (crash, Ctrl-C, halt, login).';
  static override description = `Rebuilds the run from its events, asks the broker about every order whose outcome is unknown (nothing is ever sent twice), re-reads the order book so no fill is lost, and continues the schedule. With --leg, resumes a paused leg of a running run instead (like the dashboard's p key).`;
  static override examples = [
    '<%= config.bin %> resume',
    '<%= config.bin %> resume --leg 2',
  ];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or unique prefix (default: the latest unfinished run)' }) };
  static override flags = {
    leg: Flags.integer({ description: 'resume only this paused leg of a running run', min: 0 }),
    speed: Flags.string({ description: 'paper broker only: run the market N times faster, or max' }),
    yes: Flags.boolean({ char: 'y', description: 'confirm resuming a run on a real broker without a terminal' }),
    'no-ui': Flags.boolean({ description: 'plain progress lines on stderr instead of the dashboard' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Resume);
    return this.finish(await resumeRun(this.factory, { runArg: args.run, flags }));
  }
}
