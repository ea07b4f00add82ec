import { listAccounts } from '../../app/accounts/account-list.js';
import { accountListJson, renderAccountList } from '../../app/accounts/account-list-view.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersAccounts extends BaseCommand {
  static override summary = 'The configured accounts, and whether each session is usable now.';
  static override description =
    'Reads the "accounts" section of config.json: alias, broker, account id, role, permissions and share of a household target. A session is usable when its broker needs no login (paper, FIX) or has a stored session that has not expired, as brokers status shows it.';
  static override examples = ['<%= config.bin %> brokers accounts', '<%= config.bin %> brokers accounts --json'];

  async run(): Promise<unknown> {
    await this.parse(BrokersAccounts);
    const list = await listAccounts(this.factory);
    if (!this.jsonEnabled()) renderAccountList(this.out, list);
    return accountListJson(list);
  }
}
