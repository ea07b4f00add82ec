import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { unlockAccount } from '../app/unlock-service.js';
import { BaseCommand } from './base-command.js';

export default class Unlock extends BaseCommand {
  static override summary = "Remove an account's lock when its holder will not come back.";
  static override description = `Says who holds the lock and whether it looks alive, then asks (without a terminal, --yes is needed). A lock whose holder is gone (its process ended on this host, or no heartbeat for 30 s) is taken over by the next run anyway; this is for the rest. A holder that is still running stops sending at its next heartbeat.`;
  static override examples = ['<%= config.bin %> unlock paper:PAPER', '<%= config.bin %> unlock AB1234 --yes'];
  static override args = { account: Args.string({ required: true, ignoreStdin: true, description: 'broker:account (e.g. zerodha:AB1234), or the account alone' }) };
  static override flags = { yes: Flags.boolean({ char: 'y', description: 'remove it without asking' }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Unlock);
    return this.finish(await unlockAccount(this.factory, { account: args.account, yes: flags.yes }));
  }
}
