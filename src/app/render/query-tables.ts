import { formatMinor } from '../../domain/money.js';
import type { FillRow, OrderRow } from '../../store/queries.js';
import type { Output } from '../../lib/output.js';
import { shortTime } from './rows.js';

/** The tables of `orders` and `fills`. */
export function renderOrders(out: Output, orders: OrderRow[]): void {
  out.table(
    ['order', 'recorded', 'symbol', 'side', 'type', 'quantity', 'filled', 'avg price', 'status', 'broker id'],
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
    ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'l', 'l'],
  );
}

export function renderFills(out: Output, fills: FillRow[]): void {
  out.table(
    ['market time', 'symbol', 'side', 'quantity', 'price', 'value', 'order', 'trade id'],
    fills.map((f) => [shortTime(f.ts), f.symbol, f.side, f.quantity, formatMinor(f.price), formatMinor(f.quantity * f.price), f.client_order_id, f.trade_id]),
    ['l', 'l', 'l', 'r', 'r', 'r', 'l', 'l'],
  );
}
