import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { runSchedule } from '../../app/schedule-service.js';
import { BaseCommand } from '../base-command.js';

export default class ScheduleRun extends BaseCommand {
  static override summary = 'Run a scheduled rebalance now (what cron starts).';
  static override description = `Skips weekends and exchange holidays (exit 0, logged); refuses a day the calendar has no holiday list for on a real broker (exit 3); opens a broker that has a login first, so a needed login fails at once (exit 5); waits for the open and for the account lock; then rebalances with --yes. Logs to --log-file, else config logs.file, else ptexec.log in the data folder's logs/. Exit codes as rebalance's.`;
  static override examples = ['<%= config.bin %> schedule run morning'];
  static override args = { name: Args.string({ required: true, description: 'the schedule name' }) };
  static override flags = {
    'log-file': Flags.string({ description: 'append the run\'s log (NDJSON) to FILE', helpValue: 'FILE' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ScheduleRun);
    return this.finish(await runSchedule(this.factory, { name: args.name, logFile: flags['log-file'] }));
  }
}
