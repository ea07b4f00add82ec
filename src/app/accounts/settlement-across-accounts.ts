import { groupBy } from '../../domain/group-by.js';
import { dueByDay, type SettlementDay, type SettlementRow } from '../../engine/settlement/settlement-book.js';
import type { SettlementReport } from '../../engine/settlement/settlement-report.js';
import type { Factory } from '../factory.js';
import { settlements } from '../post-trade-service.js';
import { readEachAccount, type AcrossAccounts } from './account-section.js';
import type { SelectedAccounts } from './account-selection.js';

/** One account's settlements, and what `--confirm` checked against its broker. */
export interface AccountSettlements {
  report: SettlementReport;
  confirmed?: { broker: string; checked: number; failed: number };
}

/** Each currency's settlements over the accounts: trades by status, and the net cash due per day. */
export interface SettlementAcrossTotal {
  currency: string;
  accounts: string[];
  trades: number;
  pending: number;
  settled: number;
  failed: number;
  /** Net cash over every day (minor units): received (+) or paid (−). */
  cash: number;
  days: SettlementDay[];
}

/**
 * `settlement --account/--accounts`: each account's settlements as `settlement` reports them for
 * that broker account (confirmed against that account's holdings with `confirm`), then each
 * currency's trades and cash due per day added up.
 */
export async function settlementsAcrossAccounts(
  f: Factory,
  selected: SelectedAccounts,
  request: { date?: string; status?: SettlementRow['status']; confirm: boolean },
): Promise<AcrossAccounts<AccountSettlements, SettlementAcrossTotal>> {
  const sections = await readEachAccount(f, selected.definitions, (_d, scope) => settlements(f, { ...request, broker: scope.broker, account: scope.account }));
  const rows = sections.flatMap((s) => s.result.report.trades.map((row) => ({ alias: s.alias, row })));
  const consolidated = [...groupBy(rows, (r) => r.row.currency).entries()].map(([currency, list]): SettlementAcrossTotal => {
    const trades = list.map((r) => r.row);
    return {
      currency,
      accounts: [...new Set(list.map((r) => r.alias))],
      trades: trades.length,
      pending: trades.filter((t) => t.status === 'pending').length,
      settled: trades.filter((t) => t.status === 'settled').length,
      failed: trades.filter((t) => t.status === 'failed').length,
      cash: trades.reduce((n, t) => n + t.cash, 0),
      days: dueByDay(trades),
    };
  });
  return { single: selected.single, sections, consolidated };
}
