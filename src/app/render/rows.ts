import { formatMinor } from '../../domain/money.js';
import type { FillRow, OrderRow, RunRow } from '../../store/queries.js';

/**
 * JSON shapes of the query commands (snake_case, prices as decimal strings). Documented in the
 * README. `created_at`, `updated_at` and `recorded_at` are wall-clock times of recording; the
 * `market_*` times and a fill's `time` are market times (simulated on the paper broker at --speed).
 */
export function runJson(r: RunRow) {
  return {
    run_id: r.run_id,
    broker: r.broker,
    account: r.account,
    trading_date: r.trading_date,
    status: r.status,
    reason: r.reason,
    source: r.source,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
    options: JSON.parse(r.options) as unknown,
    summary: r.summary ? (JSON.parse(r.summary) as unknown) : null,
  };
}

export function orderJson(o: OrderRow) {
  return {
    client_order_id: o.client_order_id,
    run_id: o.run_id,
    parent_id: o.parent_id,
    leg: o.leg,
    broker: o.broker,
    account: o.account,
    symbol: o.symbol,
    exchange: o.exchange,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    limit_price: price(o.limit_price),
    trigger_price: price(o.trigger_price),
    link_group: o.link_group,
    status: o.status,
    broker_order_id: o.broker_order_id,
    broker_status: o.broker_status,
    reason: o.reason,
    filled_quantity: o.filled_quantity,
    average_price: o.filled_quantity ? formatMinor(Math.round(o.filled_value / o.filled_quantity)) : null,
    algo: o.algo,
    arrival_price: price(o.arrival_price),
    decision_price: price(o.decision_price),
    created_at: new Date(o.created_at).toISOString(),
    updated_at: new Date(o.updated_at).toISOString(),
    market_created_at: iso(o.market_created_at),
    market_updated_at: iso(o.market_updated_at),
  };
}

export function fillJson(f: FillRow) {
  return {
    trade_id: f.trade_id,
    broker: f.broker,
    client_order_id: f.client_order_id,
    broker_order_id: f.broker_order_id,
    run_id: f.run_id,
    account: f.account,
    symbol: f.symbol,
    exchange: f.exchange,
    side: f.side,
    quantity: f.quantity,
    price: formatMinor(f.price),
    value: formatMinor(f.quantity * f.price),
    time: new Date(f.ts).toISOString(),
    recorded_at: iso(f.recorded_at),
  };
}

function iso(ts: number | null): string | null {
  return ts === null ? null : new Date(ts).toISOString();
}

function price(minor: number | null): string | null {
  return minor === null ? null : formatMinor(minor);
}

export function shortTime(ts: number): string {
  return new Date(ts).toISOString().replace('T', ' ').slice(0, 19);
}
