import type { Exchange } from '../../domain/instrument.js';
import type { OrderStatus, OrderType, Product, TimeInForce } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import type { PaperOrder, PaperOrderLink, PaperTradeRow } from './paper-records.js';

/** The paper tables' rows as SQLite returns them, and the records they map to (see paper-db.ts). */

export type OrderDbRow = {
  broker_order_id: string;
  account_id: string;
  client_order_id: string | null;
  exchange: string;
  symbol: string;
  side: string;
  type: string;
  time_in_force: string;
  product: string;
  quantity: number;
  filled_quantity: number;
  filled_value: number;
  limit_price: number | null;
  trigger_price: number | null;
  triggered: number;
  trail_percent: number | null;
  trail_price: number | null;
  trail_mark: number | null;
  status: string;
  broker_status: string;
  status_message: string | null;
  trading_date: string;
  expires_at: number;
  seq: number;
  created_at: number;
  updated_at: number;
};

export type TradeDbRow = {
  trade_id: string;
  broker_order_id: string;
  account_id: string;
  client_order_id: string | null;
  exchange: string;
  symbol: string;
  side: string;
  quantity: number;
  price: number;
  ts: number;
  trading_date: string;
};

export type LinkDbRow = {
  parent_id: string;
  account_id: string;
  order_class: string;
  exit_side: string;
  take_profit_price: number;
  stop_trigger_price: number;
  stop_limit_price: number | null;
  protected_quantity: number;
  take_profit_id: string | null;
  stop_loss_id: string | null;
  exits_due_at: number | null;
  active: number;
};

export function orderFromRow(r: OrderDbRow): PaperOrder {
  const order: PaperOrder = {
    brokerOrderId: r.broker_order_id,
    accountId: r.account_id,
    exchange: r.exchange as Exchange,
    symbol: r.symbol,
    side: r.side as Side,
    type: r.type as OrderType,
    timeInForce: r.time_in_force as TimeInForce,
    product: r.product as Product,
    quantity: r.quantity,
    filledQuantity: r.filled_quantity,
    filledValue: r.filled_value,
    triggered: r.triggered === 1,
    status: r.status as OrderStatus,
    brokerStatus: r.broker_status,
    tradingDate: r.trading_date,
    expiresAt: r.expires_at,
    seq: r.seq,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.client_order_id !== null) order.clientOrderId = r.client_order_id;
  if (r.limit_price !== null) order.limitPrice = r.limit_price;
  if (r.trigger_price !== null) order.triggerPrice = r.trigger_price;
  if (r.trail_percent !== null) order.trail = { percent: r.trail_percent };
  if (r.trail_price !== null) order.trail = { price: r.trail_price };
  if (r.trail_mark !== null) order.trailMark = r.trail_mark;
  if (r.status_message !== null) order.statusMessage = r.status_message;
  return order;
}

export function orderParams(o: PaperOrder): Record<string, unknown> {
  return {
    ...o,
    clientOrderId: o.clientOrderId ?? null,
    limitPrice: o.limitPrice ?? null,
    triggerPrice: o.triggerPrice ?? null,
    trail: undefined,
    trailPercent: o.trail?.percent ?? null,
    trailPrice: o.trail?.price ?? null,
    trailMark: o.trailMark ?? null,
    statusMessage: o.statusMessage ?? null,
    triggered: o.triggered ? 1 : 0,
  };
}

export function tradeFromRow(r: TradeDbRow): PaperTradeRow {
  const trade: PaperTradeRow = {
    tradeId: r.trade_id,
    brokerOrderId: r.broker_order_id,
    accountId: r.account_id,
    exchange: r.exchange as Exchange,
    symbol: r.symbol,
    side: r.side as Side,
    quantity: r.quantity,
    price: r.price,
    ts: r.ts,
    tradingDate: r.trading_date,
  };
  if (r.client_order_id !== null) trade.clientOrderId = r.client_order_id;
  return trade;
}

export function linkFromRow(r: LinkDbRow): PaperOrderLink {
  const link: PaperOrderLink = {
    parentId: r.parent_id,
    accountId: r.account_id,
    orderClass: r.order_class as 'bracket' | 'oco',
    exitSide: r.exit_side as Side,
    takeProfitPrice: r.take_profit_price,
    stopTriggerPrice: r.stop_trigger_price,
    protectedQuantity: r.protected_quantity,
    active: r.active === 1,
  };
  if (r.stop_limit_price !== null) link.stopLimitPrice = r.stop_limit_price;
  if (r.take_profit_id !== null) link.takeProfitId = r.take_profit_id;
  if (r.stop_loss_id !== null) link.stopLossId = r.stop_loss_id;
  if (r.exits_due_at !== null) link.exitsDueAt = r.exits_due_at;
  return link;
}

export function linkParams(link: PaperOrderLink): Record<string, unknown> {
  return {
    ...link,
    stopLimitPrice: link.stopLimitPrice ?? null,
    takeProfitId: link.takeProfitId ?? null,
    stopLossId: link.stopLossId ?? null,
    exitsDueAt: link.exitsDueAt ?? null,
    active: link.active ? 1 : 0,
  };
}
