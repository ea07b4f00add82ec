import type { LegStatus } from '../../domain/leg-status.js';
import type { FillRow, OrderRow, RunRow } from '../../store/queries.js';
import { averagePrice, isoTime, money, price, snakeKeys } from './json-contract.js';

/**
 * JSON shapes of the query commands (README "Output contract", schemas/). `created_at`,
 * `updated_at` and `recorded_at` are wall-clock times of recording; the `market_*` times and a
 * fill's `time` are market times (simulated on the paper broker at --speed).
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
    created_at: isoTime(r.created_at),
    updated_at: isoTime(r.updated_at),
    options: snakeKeys(JSON.parse(r.options)),
    summary: r.summary ? runSummaryJson(JSON.parse(r.summary) as Record<string, unknown>) : null,
    // `runs` and `runs show` say which group rebalance a run is part of (README "Rebalancing several accounts").
    ...('group' in r ? { group: (r as { group: string | null }).group } : {}),
    ...('failoverOf' in r ? { failover_of: (r as { failoverOf: string | null }).failoverOf } : {}),
    ...('movedTo' in r ? { moved_to: (r as { movedTo: string[] }).movedTo } : {}),
  };
}

/** A finished run's counts of legs by status, and the value it traded (minor units as recorded). */
export function runSummaryJson(summary: Record<string, unknown>) {
  const { traded_value: traded, ...counts } = summary;
  return { ...(snakeKeys(counts) as Record<string, unknown>), ...money('traded_value', typeof traded === 'number' ? traded : null) };
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
    average_price: o.filled_quantity ? averagePrice(o.filled_value / o.filled_quantity) : null,
    ...money('filled_value', o.filled_value),
    algo: o.algo,
    arrival_price: averagePrice(o.arrival_price),
    decision_price: price(o.decision_price),
    created_at: isoTime(o.created_at),
    updated_at: isoTime(o.updated_at),
    market_created_at: isoTime(o.market_created_at),
    market_updated_at: isoTime(o.market_updated_at),
  };
}

/** A leg of a run (its parent order): the leg's status, and its order's as `order_status`. */
export function legRowJson(leg: { order: OrderRow; status: LegStatus }) {
  const { status: orderStatus, ...order } = orderJson(leg.order);
  return { ...order, status: leg.status, order_status: orderStatus };
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
    price: price(f.price),
    ...money('value', f.quantity * f.price),
    time: isoTime(f.ts),
    recorded_at: isoTime(f.recorded_at),
  };
}

export function shortTime(ts: number): string {
  return new Date(ts).toISOString().replace('T', ' ').slice(0, 19);
}
