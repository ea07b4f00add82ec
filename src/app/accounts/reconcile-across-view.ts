import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import type { Reconciliation } from '../broker-account-service.js';
import { money } from '../render/json-contract.js';
import { reconciliationJson, renderReconciliation } from '../render/reconcile-view.js';
import type { AcrossAccounts } from './account-section.js';
import { acrossJson, renderAcross } from './across-view.js';
import type { ReconcileAcrossTotal } from './reconcile-across-accounts.js';

type ReconcileAcross = AcrossAccounts<Reconciliation, ReconcileAcrossTotal>;

/** `reconcile --account/--accounts`: each account as `reconcile` draws it, then each currency's cash on both sides. */
export function renderReconcileAcross(out: Output, across: ReconcileAcross, accepted: boolean): void {
  renderAcross(out, across, (s) => renderReconciliation(out, s.result, accepted), (totals) => {
    out.table(
      [{ header: 'currency' }, { header: 'accounts' }, { header: 'differences', align: 'right' }, { header: 'cash ptexec', align: 'right' }, { header: 'cash broker', align: 'right' }],
      totals.map((t) => [t.currency, t.accounts.join(', '), t.differences, formatMinor(t.cashOurs), formatMinor(t.cashBroker)]),
    );
    const differing = totals.flatMap((t) => t.accounts.filter((a) => !t.matching.includes(a)));
    out.data(differing.length === 0 ? out.c.green('every account matches') : out.c.yellow(`differences in ${differing.join(', ')}`));
  });
}

/** `reconcile --account/--accounts --json` (README "Output contract"). */
export function reconcileAcrossJson(across: ReconcileAcross) {
  return acrossJson(across, reconciliationJson, (t) => ({
    currency: t.currency,
    accounts: t.accounts,
    matching: t.matching,
    differences: t.differences,
    cash: { ...money('ours', t.cashOurs, t.currency), ...money('broker', t.cashBroker, t.currency) },
  }));
}
