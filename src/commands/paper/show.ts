import { paperAccountSummary } from '../../brokers/paper/index.js';
import { paperSummaryJson, renderPaperSummary } from '../../app/render/paper-summary.js';
import { BaseCommand } from '../base-command.js';

export default class PaperShow extends BaseCommand {
  static override summary = 'Show the paper account: cash, holdings, open orders.';
  static override examples = ['<%= config.bin %> paper show', '<%= config.bin %> paper show --json'];

  async run(): Promise<unknown> {
    const summary = paperAccountSummary(this.store().brokerTables('paper'));
    if (!this.jsonEnabled()) renderPaperSummary(this.out, summary);
    return paperSummaryJson(summary);
  }
}
