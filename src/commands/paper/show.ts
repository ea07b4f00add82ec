import * as Flags from '@oclif/core/flags';
import { configuredPaperAccount, paperAccount } from '../../app/paper-account-service.js';
import { paperSummaryJson, renderPaperSummary } from '../../app/render/paper-summary.js';
import { BaseCommand } from '../base-command.js';

export default class PaperShow extends BaseCommand {
  static override summary = 'Show the paper account: cash, holdings, open orders.';
  static override examples = ['<%= config.bin %> paper show', '<%= config.bin %> paper show --json', '<%= config.bin %> paper show --account spouse'];
  static override flags = {
    account: Flags.string({ description: 'a configured paper account (config.json "accounts")', helpValue: 'ALIAS' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(PaperShow);
    const summary = flags.account === undefined ? paperAccount(this.factory) : await configuredPaperAccount(this.factory, flags.account);
    if (!this.jsonEnabled()) renderPaperSummary(this.out, summary);
    return paperSummaryJson(summary);
  }
}
