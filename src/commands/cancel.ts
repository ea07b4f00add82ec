import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { cancelRun } from '../app/cancel-command-service.js';
import { BaseCommand } from './base-command.js';

export default class Cancel extends BaseCommand {
  static override summary = 'Cancel a run or one leg, with its open orders at the broker.';
  static override description = `A running run is asked to cancel (its process does it within a quarter of a second). A run that is not running (stopped by Ctrl-C, a signal, a crash or the kill switch) is cancelled here: its open orders are cancelled at the broker (an order whose placement was never answered is looked up by its client order id first) and the run ends incomplete. Nothing new is sent. Asks first on a terminal; without one, --yes is needed.`;
  static override examples = ['<%= config.bin %> cancel', '<%= config.bin %> cancel --leg 3', '<%= config.bin %> cancel --yes'];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or unique prefix (default: the latest unfinished run)' }) };
  static override flags = {
    leg: Flags.integer({ description: 'cancel only this leg', min: 0, helpValue: 'N' }),
    yes: Flags.boolean({ char: 'y', description: 'cancel without asking (needed without a terminal)' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Cancel);
    return this.finish(await cancelRun(this.factory, { runArg: args.run, flags }));
  }
}
