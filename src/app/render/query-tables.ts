import { formatMinor } from '../../domain/money.js';
import type { FillRow, OrderRow } from '../../store/queries.js';
import type { Output } from '../../lib/output.js';
import { shortTime } from './rows.js';

/** The tables of `orders` and `fills`. */
export function renderOrders(out: Output, orders: OrderRow[]): void {
  out.table(
    [
      { header: 'order' },
      { header: 'recorded', priority: 1 },
      { header: 'symbol' },
      { header: 'side' },
      { header: 'type', priority: 3 },
      { header: 'quantity', align: 'right' },
      { header: 'filled', align: 'right' },
      { header: 'avg price', align: 'right', priority: 4 },
      { header: 'status' },
      { header: 'broker id', priority: 2 },
    ],
    orders.map((o) => [
      o.client_order_id,
      shortTime(o.created_at),
      o.symbol,
      o.side,
      o.type,
      o.quantity,
      o.filled_quantity,
      o.filled_quantity ? formatMinor(Math.round(o.filled_value / o.filled_quantity)) : '-',
      o.status,
      o.broker_order_id ?? '',
    ]),
  );
}

export function renderFills(out: Output, fills: FillRow[]): void {
  out.table(
    [
      { header: 'market time', priority: 4 },
      { header: 'symbol' },
      { header: 'side' },
      { header: 'quantity', align: 'right' },
      { header: 'price', align: 'right' },
      { header: 'value', align: 'right', priority: 3 },
      { header: 'order', priority: 1 },
      { header: 'trade id', priority: 2 },
    ],
    fills.map((f) => [shortTime(f.ts), f.symbol, f.side, f.quantity, formatMinor(f.price), formatMinor(f.quantity * f.price), f.client_order_id, f.trade_id]),
  );
}

/** What a list left out when its limit cut it short, and how to see the rest. */
export function moreMatched(shown: string, narrow: string): string {
  return `showing ${shown}; more match: raise --limit, or narrow with ${narrow}`;
}
