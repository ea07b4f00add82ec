import * as Flags from '@oclif/core/flags';
import { selectedAccounts } from '../app/accounts/account-selection.js';
import { pnlAcrossAccounts } from '../app/accounts/pnl-across-accounts.js';
import { pnlAcrossJson, renderPnlAcross } from '../app/accounts/pnl-across-view.js';
import { profitAndLoss } from '../app/post-trade-service.js';
import { accountFlags } from '../oclif/account-flags.js';
import { pnlJson, renderPnl } from '../app/render/pnl-view.js';
import { BaseCommand } from './base-command.js';

export default class Pnl extends BaseCommand {
  static override summary = 'Realised and unrealised P&L (FIFO, charges included).';
  static override description = `Books every fill into first-in-first-out lots per account and symbol. Buy charges are part of a lot's cost, sell charges come off the proceeds. The book opens from the first account snapshot ptexec recorded (holdings at the broker's average price). Unrealised P&L marks open lots at the latest market sample, else the last fill price. --run and --since narrow what is reported (the realised P&L and charges of those trades and the positions they touched), never the matching.`;
  static override examples = [
    '<%= config.bin %> pnl',
    '<%= config.bin %> pnl --since 2026-01-01 --json',
    '<%= config.bin %> pnl --accounts all',
  ];
  static override flags = {
    run: Flags.string({ description: 'only trades of this run' }),
    since: Flags.string({ description: 'only trades on or after this trading date (YYYY-MM-DD)' }),
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'only this broker' }),
    ...accountFlags,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Pnl);
    const selected = await selectedAccounts(this.factory, flags);
    if (selected) {
      const across = await pnlAcrossAccounts(this.factory, selected, { run: flags.run, since: flags.since });
      if (!this.jsonEnabled()) renderPnlAcross(this.out, across);
      return pnlAcrossJson(across);
    }
    const report = await profitAndLoss(this.factory, { run: flags.run, since: flags.since, broker: flags.broker });
    if (!this.jsonEnabled()) renderPnl(this.out, report);
    return pnlJson(report);
  }
}
