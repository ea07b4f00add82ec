import type { Output } from '../../lib/output.js';
import type { AccountListing } from './account-list.js';

function permissions(l: AccountListing): string {
  const p = l.definition.permissions;
  const sides = p.buy && p.sell ? 'buy, sell' : p.buy ? 'buy only' : p.sell ? 'sell only' : 'no trading';
  return [sides, p.orderTypes ? `types ${p.orderTypes.join('/')}` : '', p.exchanges ? `on ${p.exchanges.join('/')}` : ''].filter((x) => x !== '').join('; ');
}

/** `ptexec brokers accounts`: one line per configured account, then where they are configured. */
export function renderAccountList(out: Output, list: { configFile: string; accounts: AccountListing[] }): void {
  if (list.accounts.length === 0) out.info('no accounts are configured: add an "accounts" section to config.json (README "Accounts")');
  else
    out.table(
      [{ header: 'alias' }, { header: 'broker' }, { header: 'account' }, { header: 'role', priority: 2 }, { header: 'permissions', truncate: true, minWidth: 8, priority: 1 }, { header: 'share', align: 'right', priority: 3 }, { header: 'session' }],
      list.accounts.map((l) => [
        l.definition.alias,
        l.definition.broker,
        l.definition.account ?? '(its session\'s)',
        l.definition.role,
        permissions(l),
        l.definition.share === undefined ? '-' : `${(l.definition.share * 100).toFixed(1)}%`,
        l.usable ? out.c.green(l.session) : out.c.yellow(l.session),
      ]),
    );
  out.info(`config file: ${list.configFile}`);
}

/** `ptexec brokers accounts --json` (README "Output contract"). */
export function accountListJson(list: { configFile: string; accounts: AccountListing[] }) {
  return {
    config_file: list.configFile,
    accounts: list.accounts.map(({ definition: d, session, usable }) => ({
      alias: d.alias,
      broker: d.broker,
      account: d.account ?? null,
      role: d.role,
      permissions: { buy: d.permissions.buy, sell: d.permissions.sell, order_types: d.permissions.orderTypes ?? null, exchanges: d.permissions.exchanges ?? null },
      share: d.share ?? null,
      session,
      usable,
    })),
  };
}
