import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import { money } from '../render/json-contract.js';
import { positionsJson, renderPositions, type AccountView } from '../render/positions-view.js';
import type { AcrossAccounts } from './account-section.js';
import { acrossJson, renderAcross } from './across-view.js';
import type { PositionsTotal } from './positions-across-accounts.js';

/** `positions --account/--accounts`: each account as `positions` draws it, then each currency's totals and holdings. */
export function renderPositionsAcross(out: Output, across: AcrossAccounts<AccountView, PositionsTotal>): void {
  renderAcross(out, across, (s) => renderPositions(out, s.result), (totals) => {
    out.table(
      [{ header: 'currency' }, { header: 'accounts' }, { header: 'cash', align: 'right' }, { header: 'holdings', align: 'right' }, { header: 'total', align: 'right' }, { header: 'unrealised P&L', align: 'right', priority: 1 }],
      totals.map((t) => [t.currency, t.accounts.join(', '), formatMinor(t.cash), formatMinor(t.invested), formatMinor(t.cash + t.invested), formatMinor(t.unrealised)]),
    );
    const held = totals.flatMap((t) => t.holdings.map((h) => ({ t, h })));
    if (held.length === 0) return;
    out.data('');
    out.table(
      [{ header: 'symbol' }, { header: 'currency', priority: 2 }, { header: 'quantity', align: 'right' }, { header: 'value', align: 'right' }, { header: 'unrealised P&L', align: 'right', priority: 1 }, { header: 'held in', truncate: true, minWidth: 8 }],
      held.map(({ t, h }) => [`${h.exchange}:${h.symbol}`, t.currency, h.quantity, formatMinor(h.value), formatMinor(h.unrealised), h.accounts.join(', ')]),
    );
  });
}

/** `positions --account/--accounts --json` (README "Output contract"). */
export function positionsAcrossJson(across: AcrossAccounts<AccountView, PositionsTotal>) {
  return acrossJson(across, positionsJson, (t) => ({
    currency: t.currency,
    accounts: t.accounts,
    ...money('cash', t.cash, t.currency),
    ...money('holdings_value', t.invested, t.currency),
    ...money('total', t.cash + t.invested, t.currency),
    ...money('unrealised_pnl', t.unrealised, t.currency),
    positions: t.holdings.map((h) => ({ symbol: h.symbol, exchange: h.exchange, owned_quantity: h.quantity, ...money('value', h.value, t.currency), ...money('unrealised_pnl', h.unrealised, t.currency), accounts: h.accounts })),
  }));
}
