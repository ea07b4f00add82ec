import type { PaperAccountSummary } from '../../brokers/paper/account-admin.js';
import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import { HOLDING_COLUMNS } from './positions-view.js';
import { averagePrice, money, price } from './json-contract.js';

export function renderPaperSummary(out: Output, s: PaperAccountSummary): void {
  out.data(`paper account ${s.account} (${s.currency}, market seed ${s.seed})`);
  if (s.holdings.length)
    out.table(
      HOLDING_COLUMNS,
      s.holdings.map((h) => [`${h.exchange}:${h.symbol}`, h.quantity, h.t1Quantity, formatMinor(Math.round(h.averagePrice)), h.lastPrice === undefined ? '-' : formatMinor(h.lastPrice), formatMinor(Math.round(h.value))]),
    );
  else out.data('no holdings');
  out.data('');
  out.paragraph(`cash ${formatMinor(s.cash)}; holdings ${formatMinor(Math.round(s.holdingsValue))}; total ${formatMinor(Math.round(s.totalValue))}; open orders ${s.openOrders}; trades today ${s.tradesToday}`);
}

export function paperSummaryJson(s: PaperAccountSummary) {
  const c = s.currency;
  return {
    account: s.account,
    currency: c,
    seed: s.seed,
    ...money('cash', s.cash, c),
    ...money('holdings_value', s.holdingsValue, c),
    ...money('total_value', s.totalValue, c),
    open_orders: s.openOrders,
    trades_today: s.tradesToday,
    holdings: s.holdings.map((h) => ({
      symbol: h.symbol,
      exchange: h.exchange,
      quantity: h.quantity,
      t1_quantity: h.t1Quantity,
      average_price: averagePrice(h.averagePrice, c),
      last_price: price(h.lastPrice, c),
      ...money('value', h.value, c),
    })),
  };
}
