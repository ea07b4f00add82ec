import type { Holding } from '../../domain/account.js';
import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';

/** One holding valued at the latest price (minor units). */
export interface PositionLine {
  h: Holding;
  qty: number;
  price: number;
  value: number;
  pnl: number;
}

export function renderPositions(out: Output, p: { broker: string; account: string; lines: PositionLine[]; cash: number; currency: string; invested: number }): void {
  out.data(`${p.broker} account ${p.account}`);
  if (p.lines.length)
    out.table(
      ['symbol', 'quantity', 'T+1', 'avg cost', 'last', 'value', 'unrealised P&L'],
      p.lines.map((r) => [`${r.h.exchange}:${r.h.symbol}`, r.h.quantity, r.h.t1Quantity, formatMinor(Math.round(r.h.averagePrice)), formatMinor(Math.round(r.price)), formatMinor(r.value), formatMinor(r.pnl)]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
    );
  else out.data('no holdings');
  out.data('');
  out.data(`cash ${formatMinor(p.cash)} ${p.currency}; holdings ${formatMinor(p.invested)}; total ${formatMinor(p.cash + p.invested)}`);
}
