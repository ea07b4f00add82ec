import type { AccountRole } from '../../domain/accounts.js';
import type { RoutableAccount } from './types.js';

const ROLE_RANK: Record<AccountRole, number> = { primary: 0, secondary: 1, backup: 2 };

/** The tie-break order of accounts: primary first, then secondary, then backup; then by alias. */
export function compareAccounts(a: RoutableAccount, b: RoutableAccount): number {
  const byRole = ROLE_RANK[a.definition.role] - ROLE_RANK[b.definition.role];
  if (byRole !== 0) return byRole;
  return a.definition.alias < b.definition.alias ? -1 : a.definition.alias > b.definition.alias ? 1 : 0;
}

/** `main (zerodha)`: how a decision names an account. */
export function accountLabel(account: RoutableAccount): string {
  return `${account.definition.alias} (${account.definition.broker})`;
}
