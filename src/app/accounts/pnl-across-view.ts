import { formatMinor } from '../../domain/money.js';
import type { PnlReport } from '../../engine/ledger/pnl-report.js';
import type { Output } from '../../lib/output.js';
import { money } from '../render/json-contract.js';
import { pnlJson, renderPnl } from '../render/pnl-view.js';
import type { AcrossAccounts } from './account-section.js';
import { acrossJson, renderAcross } from './across-view.js';
import type { PnlAcrossTotal } from './pnl-across-accounts.js';

/** `pnl --account/--accounts`: each account as `pnl` draws it, then each currency's totals. */
export function renderPnlAcross(out: Output, across: AcrossAccounts<PnlReport, PnlAcrossTotal>): void {
  renderAcross(out, across, (s) => renderPnl(out, s.result), (totals) => {
    if (totals.length === 0) {
      out.data('no trades in the ledger of these accounts');
      return;
    }
    out.table(
      [{ header: 'currency' }, { header: 'accounts' }, { header: 'realised', align: 'right' }, { header: 'unrealised', align: 'right' }, { header: 'charges', align: 'right', priority: 1 }, { header: 'P&L', align: 'right' }],
      totals.map((t) => [t.currency, t.accounts.join(', '), formatMinor(t.realised), formatMinor(t.unrealised), formatMinor(t.charges), formatMinor(t.total)]),
    );
  });
}

/** `pnl --account/--accounts --json` (README "Output contract"). */
export function pnlAcrossJson(across: AcrossAccounts<PnlReport, PnlAcrossTotal>) {
  return acrossJson(across, pnlJson, (t) => ({
    currency: t.currency,
    accounts: t.accounts,
    ...money('realised', t.realised, t.currency),
    ...money('unrealised', t.unrealised, t.currency),
    ...money('charges', t.charges, t.currency),
    ...money('total', t.total, t.currency),
  }));
}
