import { paperAccount } from '../../app/paper-account-service.js';
import { paperSummaryJson, renderPaperSummary } from '../../app/render/paper-summary.js';
import { BaseCommand } from '../base-command.js';

export default class PaperShow extends BaseCommand {
  static override summary = 'Show the paper account: cash, holdings, open orders.';
  static override examples = ['<%= config.bin %> paper show', '<%= config.bin %> paper show --json'];

  async run(): Promise<unknown> {
    const summary = paperAccount(this.factory);
    if (!this.jsonEnabled()) renderPaperSummary(this.out, summary);
    return paperSummaryJson(summary);
  }
}
