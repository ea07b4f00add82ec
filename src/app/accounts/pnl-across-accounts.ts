import type { PnlReport, PnlTotals } from '../../engine/ledger/pnl-report.js';
import type { Factory } from '../factory.js';
import { profitAndLoss } from '../post-trade-service.js';
import { readEachAccount, type AcrossAccounts } from './account-section.js';
import type { SelectedAccounts } from './account-selection.js';

/** Each currency's P&L over the accounts that have any in it (minor units). */
export interface PnlAcrossTotal extends PnlTotals {
  accounts: string[];
}

/**
 * `pnl --account/--accounts`: each account's FIFO book as `pnl` reports it for that broker
 * account, then each currency's realised, unrealised, charges and total added up.
 */
export async function pnlAcrossAccounts(f: Factory, selected: SelectedAccounts, request: { run?: string; since?: string }): Promise<AcrossAccounts<PnlReport, PnlAcrossTotal>> {
  const sections = await readEachAccount(f, selected.definitions, (_d, scope) => profitAndLoss(f, { ...request, broker: scope.broker, account: scope.account }));
  const byCurrency = new Map<string, PnlAcrossTotal>();
  for (const s of sections) {
    for (const t of s.result.totals) {
      const sum = byCurrency.get(t.currency) ?? { currency: t.currency, realised: 0, unrealised: 0, charges: 0, total: 0, accounts: [] };
      sum.realised += t.realised;
      sum.unrealised += t.unrealised;
      sum.charges += t.charges;
      sum.total += t.total;
      sum.accounts.push(s.alias);
      byCurrency.set(t.currency, sum);
    }
  }
  return { single: selected.single, sections, consolidated: [...byCurrency.values()] };
}
