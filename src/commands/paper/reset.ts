import * as Flags from '@oclif/core/flags';
import { resetPaper } from '../../app/paper-account-service.js';
import { paperSummaryJson, renderPaperSummary } from '../../app/render/paper-summary.js';
import { BaseCommand } from '../base-command.js';

export default class PaperReset extends BaseCommand {
  static override summary = 'Start the paper account again: cash, optional holdings, no orders.';
  static override description = 'Clears the paper account\'s orders, trades and holdings. Market prices are kept unless --reseed gives the simulated market a new seed.';
  static override examples = [
    '<%= config.bin %> paper reset',
    '<%= config.bin %> paper reset --cash 5000000 --holding RELIANCE=100 --holding TCS=40',
    '<%= config.bin %> paper reset --currency USD --cash 100000 --reseed 7 --yes',
    '<%= config.bin %> paper reset --account us --currency USD --yes',
  ];
  static override flags = {
    cash: Flags.string({ description: 'starting cash in the account currency (default 10000000 INR or 100000 USD)' }),
    currency: Flags.string({ description: 'account currency', options: ['INR', 'USD'], default: 'INR' }),
    holding: Flags.string({ description: 'a settled holding SYMBOL=QUANTITY, optionally @AVGCOST (repeatable)', multiple: true }),
    reseed: Flags.integer({ description: 'restart the simulated market with this seed', helpValue: 'SEED' }),
    yes: Flags.boolean({ char: 'y', description: 'reset without asking' }),
    account: Flags.string({ description: 'a configured paper account (config.json "accounts")', helpValue: 'ALIAS' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(PaperReset);
    const summary = await resetPaper(this.factory, { cash: flags.cash, currency: flags.currency as 'INR' | 'USD', holdings: flags.holding ?? [], reseed: flags.reseed, yes: flags.yes, account: flags.account });
    if (!summary) {
      this.out.info('the paper account was not reset');
      return { reset: false };
    }
    if (!this.jsonEnabled()) renderPaperSummary(this.out, summary);
    return paperSummaryJson(summary);
  }
}
