import { groupBy } from '../../domain/group-by.js';
import { ExitCode, type ExitCodeValue } from '../../lib/exit-codes.js';
import { reconcileWithBroker, type Reconciliation } from '../broker-account-service.js';
import type { Factory } from '../factory.js';
import { readEachAccount, type AcrossAccounts } from './account-section.js';
import type { SelectedAccounts } from './account-selection.js';

/** Each currency's reconciliation over the accounts: which match, how many differences, both sides' cash. */
export interface ReconcileAcrossTotal {
  currency: string;
  accounts: string[];
  /** Accounts where everything matches. */
  matching: string[];
  differences: number;
  cashOurs: number;
  cashBroker: number;
}

/**
 * `reconcile --account/--accounts`: each account compared with its broker as `reconcile` does
 * (its broker opened as that account; `accept` records each one's baseline), then each
 * currency's cash on both sides added up. Exit 4 when any account differs.
 */
export async function reconcileAcrossAccounts(f: Factory, selected: SelectedAccounts, accept: boolean): Promise<AcrossAccounts<Reconciliation, ReconcileAcrossTotal> & { exitCode: ExitCodeValue }> {
  const sections = await readEachAccount(f, selected.definitions, (_d, scope) => reconcileWithBroker(f, { broker: scope.broker, account: scope.account, accept }));
  const consolidated = [...groupBy(sections, (s) => s.result.result.cash.currency).entries()].map(([currency, list]): ReconcileAcrossTotal => ({
    currency,
    accounts: list.map((s) => s.alias),
    matching: list.filter((s) => s.result.result.differences.length === 0).map((s) => s.alias),
    differences: list.reduce((n, s) => n + s.result.result.differences.length, 0),
    cashOurs: list.reduce((n, s) => n + s.result.result.cash.ours, 0),
    cashBroker: list.reduce((n, s) => n + s.result.result.cash.broker, 0),
  }));
  const differs = sections.some((s) => s.result.exitCode !== ExitCode.ok);
  return { single: selected.single, sections, consolidated, exitCode: differs ? ExitCode.incomplete : ExitCode.ok };
}
