import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import { money } from '../render/json-contract.js';
import { renderSettlement, settlementJson } from '../render/settlement-view.js';
import type { AcrossAccounts } from './account-section.js';
import { acrossJson, renderAcross } from './across-view.js';
import type { AccountSettlements, SettlementAcrossTotal } from './settlement-across-accounts.js';

/** `settlement --account/--accounts`: each account as `settlement` draws it, then each currency's cash due per day. */
export function renderSettlementAcross(out: Output, across: AcrossAccounts<AccountSettlements, SettlementAcrossTotal>, options: { trades: boolean }): void {
  renderAcross(
    out,
    across,
    (s) => {
      const c = s.result.confirmed;
      if (c) out.data(`${c.checked} settlement(s) due checked against ${c.broker}: ${c.checked - c.failed} settled, ${c.failed} failed`);
      renderSettlement(out, s.result.report, options);
    },
    (totals) => {
      if (totals.length === 0) {
        out.data('no matching settlements in these accounts');
        return;
      }
      out.table(
        [{ header: 'currency' }, { header: 'settles' }, { header: 'trades', align: 'right' }, { header: 'pending', align: 'right' }, { header: 'settled', align: 'right' }, { header: 'failed', align: 'right' }, { header: 'cash due', align: 'right' }],
        totals.flatMap((t) => t.days.map((d) => [t.currency, d.settleDate, d.trades, d.pending, d.settled, d.failed, formatMinor(d.cash[0]?.amount ?? 0)])),
      );
      for (const t of totals) out.paragraph(`${t.currency} over ${t.accounts.join(', ')}: ${t.trades} trade(s), net cash ${formatMinor(t.cash)}`);
    },
  );
}

/** `settlement --account/--accounts --json` (README "Output contract"). */
export function settlementAcrossJson(across: AcrossAccounts<AccountSettlements, SettlementAcrossTotal>) {
  return acrossJson(
    across,
    (r) => ({ ...settlementJson(r.report), ...(r.confirmed ? { confirmed: { checked: r.confirmed.checked, failed: r.confirmed.failed } } : {}) }),
    (t) => ({
      currency: t.currency,
      accounts: t.accounts,
      trades: t.trades,
      pending: t.pending,
      settled: t.settled,
      failed: t.failed,
      ...money('cash', t.cash, t.currency),
      days: t.days.map((d) => ({ settle_date: d.settleDate, trades: d.trades, pending: d.pending, settled: d.settled, failed: d.failed, ...money('cash', d.cash[0]?.amount ?? 0, t.currency), quantities: d.quantities })),
    }),
  );
}
