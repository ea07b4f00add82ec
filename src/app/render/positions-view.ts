import type { OwnedInstrument } from '../../domain/ownership.js';
import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import type { Column } from '../../lib/table.js';
import { averagePrice, money } from './json-contract.js';

/** What the account owns of one instrument, valued at the latest price (minor units). */
export interface PositionLine {
  o: OwnedInstrument;
  price: number;
  value: number;
  pnl: number;
}

/** Holdings as the broker reports them; `positions` adds the unrealised P&L. */
export const HOLDING_COLUMNS: Column[] = [
  { header: 'symbol' },
  { header: 'quantity', align: 'right' },
  { header: 'T+1', align: 'right', priority: 2 },
  { header: 'avg cost', align: 'right', priority: 1 },
  { header: 'last', align: 'right', priority: 3 },
  { header: 'value', align: 'right' },
];

/** What `positions` shows: the account's lines, cash and the value held (minor units). */
export interface AccountView {
  broker: string;
  account: string;
  lines: PositionLine[];
  cash: number;
  currency: string;
  invested: number;
}

export function renderPositions(out: Output, p: AccountView): void {
  out.data(`${p.broker} account ${p.account}`);
  if (p.lines.length)
    out.table(
      [...HOLDING_COLUMNS.slice(0, 3), { header: 'today', align: 'right', priority: 2 }, ...HOLDING_COLUMNS.slice(3), { header: 'unrealised P&L', align: 'right', priority: 4 }],
      p.lines.map((r) => [`${r.o.exchange}:${r.o.symbol}`, r.o.settled, r.o.t1, r.o.today, formatMinor(Math.round(r.o.averagePrice)), formatMinor(Math.round(r.price)), formatMinor(r.value), formatMinor(r.pnl)]),
    );
  else out.data('no holdings');
  out.data('');
  out.paragraph(`cash ${formatMinor(p.cash)} ${p.currency}; holdings ${formatMinor(p.invested)}; total ${formatMinor(p.cash + p.invested)}`);
}

/** `positions --json` (README "Output contract"). */
export function positionsJson(p: AccountView) {
  const c = p.currency;
  return {
    broker: p.broker,
    account: p.account,
    currency: c,
    ...money('cash', p.cash, c),
    ...money('holdings_value', p.invested, c),
    positions: p.lines.map((r) => ({
      symbol: r.o.symbol,
      exchange: r.o.exchange,
      quantity: r.o.settled,
      t1_quantity: r.o.t1,
      today_quantity: r.o.today,
      owned_quantity: r.o.quantity,
      average_price: averagePrice(r.o.averagePrice, c),
      last_price: averagePrice(r.price, c),
      ...money('value', r.value, c),
      ...money('unrealised_pnl', r.pnl, c),
    })),
  };
}
