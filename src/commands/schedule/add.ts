import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { addSchedule } from '../../app/schedule-service.js';
import { BaseCommand } from '../base-command.js';
import Rebalance from '../rebalance.js';

/** The rebalance flags a schedule keeps; `--yes` and `--no-ui` are implied, a dry run is `ptexec check`'s. */
const { yes: _yes, 'no-ui': _noUi, 'dry-run': _dryRun, ...scheduledFlags } = Rebalance.flags;

/** The flags given, as the schedule keeps them: only those of the rebalance, and only those set. */
function given(flags: Record<string, unknown>): Record<string, string | number | boolean | string[]> {
  return Object.fromEntries(Object.entries(flags).filter(([k, v]) => k in scheduledFlags && v !== undefined && v !== false)) as Record<string, string | number | boolean | string[]>;
}

export default class ScheduleAdd extends BaseCommand {
  static override summary = 'Schedule a rebalance with cron (a line in your crontab).';
  static override description = `Checks the target and the flags as the run would, keeps the schedule in schedules.json in the config folder, and installs a crontab line for the current user that runs \`ptexec schedule run <name>\` (marked "# ptexec:<name>"; no other line of the crontab is touched). The cron times are the host's time zone. --print prints the line instead of installing it. Any rebalance flag may follow; the run always has --yes, waits for the open (--at open) and for the account lock (--wait-lock 10m) unless given otherwise. Adding a name again replaces its schedule.`;
  static override examples = [
    '<%= config.bin %> schedule add morning portfolio.json --cron "20 9 * * 1-5" --broker zerodha --algo twap --duration 30m',
    '<%= config.bin %> schedule add morning portfolio.json --cron "20 9 * * 1-5" --print',
  ];
  static override args = {
    name: Args.string({ required: true, description: 'the schedule name (letters, digits, - and _)' }),
    target: Args.string({ required: true, ignoreStdin: true, description: 'target portfolio file (JSON or CSV); kept by its absolute path' }),
  };
  static override flags = {
    cron: Flags.string({ required: true, description: 'when: five cron fields, e.g. "20 9 * * 1-5"', helpValue: 'EXPR' }),
    print: Flags.boolean({ description: 'print the crontab line instead of installing it' }),
    ...scheduledFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(ScheduleAdd);
    return this.finish(await addSchedule(this.factory, { name: args.name, target: args.target, cron: flags.cron, print: flags.print, db: flags.db, flags: given(flags) }));
  }
}
