import * as Flags from '@oclif/core/flags';
import { selectedAccounts } from '../app/accounts/account-selection.js';
import { positionsAcrossAccounts } from '../app/accounts/positions-across-accounts.js';
import { positionsAcrossJson, renderPositionsAcross } from '../app/accounts/positions-across-view.js';
import { accountPositions } from '../app/positions-service.js';
import { accountFlags } from '../oclif/account-flags.js';
import { positionsJson, renderPositions } from '../app/render/positions-view.js';
import { BaseCommand } from './base-command.js';

export default class Positions extends BaseCommand {
  static override summary = 'Show the holdings and cash the broker reports now.';
  static override description = "Takes a snapshot of the account from the broker: settled and T+1 quantities, today's delivery trades where the broker shows them only as positions (Zerodha), average cost, last price, value and unrealised P&L, and cash.";
  static override examples = ['<%= config.bin %> positions', '<%= config.bin %> positions --json', '<%= config.bin %> positions --accounts all'];
  static override flags = {
    broker: Flags.string({ char: 'b', description: 'broker (default: default_broker in config, then paper)' }),
    ...accountFlags,
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Positions);
    const selected = await selectedAccounts(this.factory, flags);
    if (selected) {
      const across = await positionsAcrossAccounts(this.factory, selected);
      if (!this.jsonEnabled()) renderPositionsAcross(this.out, across);
      return positionsAcrossJson(across);
    }
    const account = await accountPositions(this.factory, flags.broker);
    if (!this.jsonEnabled()) renderPositions(this.out, account);
    return positionsJson(account);
  }
}
