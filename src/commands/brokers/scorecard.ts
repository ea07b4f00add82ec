import * as Flags from '@oclif/core/flags';
import { brokerScorecardJson, renderBrokerScorecard } from '../../app/render/scorecard-view.js';
import { brokerScorecard } from '../../app/scorecard-service.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersScorecard extends BaseCommand {
  static override summary = "Each broker's execution quality and cost, measured from our own runs.";
  static override description =
    'Per broker and per account it traded for: runs and legs, fill rate, reject and cancel rates of the child orders, unknown outcomes, send-to-acknowledgement latency (p50, p95), and per currency the traded value, slippage against arrival (bps, positive = cost, value-weighted) and charges in bps. The router weighs the same figures.';
  static override examples = ['<%= config.bin %> brokers scorecard', '<%= config.bin %> brokers scorecard --since 30d', '<%= config.bin %> brokers scorecard --broker zerodha --since 2026-01-01 --until 2026-03-31 --json'];
  static override flags = {
    since: Flags.string({ description: 'runs on or after this trading date: YYYY-MM-DD, or 30d for the last 30 days (default: all history)', helpValue: '30d|DATE' }),
    until: Flags.string({ description: 'runs on or before this trading date (YYYY-MM-DD)', helpValue: 'DATE' }),
    broker: Flags.string({ char: 'b', description: 'only this broker' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(BrokersScorecard);
    const report = await brokerScorecard(this.factory, { since: flags.since, until: flags.until, broker: flags.broker });
    if (!this.jsonEnabled()) renderBrokerScorecard(this.out, report);
    return brokerScorecardJson(report);
  }
}
