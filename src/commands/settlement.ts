import * as Flags from '@oclif/core/flags';
import { selectedAccounts, type SelectedAccounts } from '../app/accounts/account-selection.js';
import { settlementsAcrossAccounts } from '../app/accounts/settlement-across-accounts.js';
import { renderSettlementAcross, settlementAcrossJson } from '../app/accounts/settlement-across-view.js';
import { settlements } from '../app/post-trade-service.js';
import { accountFlags } from '../oclif/account-flags.js';
import { renderSettlement, settlementJson } from '../app/render/settlement-view.js';
import type { SettlementRow } from '../engine/settlement/settlement-book.js';
import { BaseCommand } from './base-command.js';

export default class Settlement extends BaseCommand {
  static override summary = 'Settlements (T+1): cash and shares due per day.';
  static override description = `Every trade settles on the next business day of its exchange's calendar (weekends and exchange holidays skipped). A settlement is pending until confirmed against the broker's holdings with --confirm: settled when the bought shares have left the broker's T1 quantity, failed (with the quantity that did not move) when they have not. Cash due is net of charges: sale proceeds less charges are received, purchase cost plus charges is paid. One line per settlement date; --trades lists every trade.`;
  static override examples = [
    '<%= config.bin %> settlement',
    '<%= config.bin %> settlement --status pending --trades',
    '<%= config.bin %> settlement --date 2026-01-06 --json',
    '<%= config.bin %> settlement --confirm',
    '<%= config.bin %> settlement --accounts all --confirm',
  ];
  static override flags = {
    date: Flags.string({ description: 'only trades settling on this date (YYYY-MM-DD)' }),
    status: Flags.string({ description: 'only settlements in this state', options: ['pending', 'settled', 'failed'] }),
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'only this broker; with --confirm, the broker to check (default: default_broker, else paper)' }),
    confirm: Flags.boolean({ description: 'check due settlements against the broker\'s holdings and record them as settled or failed' }),
    trades: Flags.boolean({ description: 'list every trade (by settlement date, then trade id) instead of one line per day' }),
    ...accountFlags,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Settlement);
    const selected = await selectedAccounts(this.factory, flags);
    if (selected) return this.acrossAccounts(selected, flags);
    const { confirmed, report } = await settlements(this.factory, { date: flags.date, status: flags.status as SettlementRow['status'] | undefined, broker: flags.broker, confirm: flags.confirm });
    if (confirmed) this.out.info(`${confirmed.checked} settlement(s) due checked against ${confirmed.broker}: ${confirmed.checked - confirmed.failed} settled, ${confirmed.failed} failed`);
    for (const u of report.unpriced) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
    if (!this.jsonEnabled()) renderSettlement(this.out, report, { trades: flags.trades });
    return settlementJson(report);
  }

  /** `--account/--accounts`: each account's settlements, then each currency's. */
  private async acrossAccounts(selected: SelectedAccounts, flags: { date?: string; status?: string; confirm: boolean; trades: boolean }): Promise<unknown> {
    const across = await settlementsAcrossAccounts(this.factory, selected, { date: flags.date, status: flags.status as SettlementRow['status'] | undefined, confirm: flags.confirm });
    for (const u of new Set(across.sections.flatMap((s) => s.result.report.unpriced))) this.out.warn(`no charge schedule for ${u}: charges counted as zero`);
    if (!this.jsonEnabled()) renderSettlementAcross(this.out, across, { trades: flags.trades });
    return settlementAcrossJson(across);
  }
}
