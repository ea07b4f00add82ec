import * as Flags from '@oclif/core/flags';
import { confirmDueSettlements } from '../app/broker-account-service.js';
import { money } from '../app/render/json-contract.js';
import { renderSettlement } from '../app/render/settlement-view.js';
import { settlementReport } from '../engine/settlement/settlement-report.js';
import type { SettlementRow } from '../engine/settlement/settlement-book.js';
import { dateFlag } from '../app/named-inputs.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import { BaseCommand } from './base-command.js';

export default class Settlement extends BaseCommand {
  static override summary = 'Settlements (T+1): cash and shares due per day.';
  static override description = `Every trade settles on the next business day of its exchange's calendar (weekends and exchange holidays skipped). A settlement is pending until confirmed against the broker's holdings with --confirm: settled when the bought shares have left the broker's T1 quantity, failed (with the quantity that did not move) when they have not. Cash due is net of charges: sale proceeds less charges are received, purchase cost plus charges is paid. One line per settlement date; --trades lists every trade.`;
  static override examples = [
    '<%= config.bin %> settlement',
    '<%= config.bin %> settlement --status pending --trades',
    '<%= config.bin %> settlement --date 2026-01-06 --json',
    '<%= config.bin %> settlement --confirm',
  ];
  static override flags = {
    date: Flags.string({ description: 'only trades settling on this date (YYYY-MM-DD)' }),
    status: Flags.string({ description: 'only settlements in this state', options: ['pending', 'settled', 'failed'] }),
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'only this broker; with --confirm, the broker to check (default: default_broker, else paper)' }),
    confirm: Flags.boolean({ description: 'check due settlements against the broker\'s holdings and record them as settled or failed' }),
    trades: Flags.boolean({ description: 'list every trade (by settlement date, then trade id) instead of one line per day' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Settlement);
    if (flags.date) dateFlag('date', flags.date);
    if (flags.confirm) {
      const confirmed = await confirmDueSettlements(this.factory, flags.broker);
      this.out.info(`${confirmed.checked} settlement(s) due checked against ${confirmed.broker}: ${confirmed.checked - confirmed.failed} settled, ${confirmed.failed} failed`);
    }
    const queries = new PostTradeQueries(this.store());
    const schedules = await this.factory.chargeSchedules();
    const report = settlementReport(queries, schedules, { date: flags.date, status: flags.status as SettlementRow['status'] | undefined, broker: flags.broker });
    for (const u of report.unpriced) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
    if (!this.jsonEnabled()) renderSettlement(this.out, report, { trades: flags.trades });
    return {
      days: report.days.map((d) => ({
        settle_date: d.settleDate,
        trades: d.trades,
        pending: d.pending,
        settled: d.settled,
        failed: d.failed,
        cash: d.cash.map((c) => ({ currency: c.currency, ...money('amount', c.amount, c.currency) })),
        quantities: d.quantities,
      })),
      trades: report.trades.map((t) => ({
        broker: t.broker,
        trade_id: t.tradeId,
        run_id: t.runId,
        account: t.account,
        exchange: t.exchange,
        symbol: t.symbol,
        side: t.side,
        trade_date: t.tradeDate,
        settle_date: t.settleDate,
        status: t.status,
        quantity: t.quantity,
        ...money('cash', t.cash, t.currency),
        ...money('charges', t.charges, t.currency),
        currency: t.currency,
        difference: t.difference,
        reason: t.reason,
      })),
    };
  }
}
