import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import { EXCHANGE_TIME_ZONES, fromLocalMs } from '../../market/time-zone.js';
import type { BrokerOrder, BrokerTrade, OrderChange } from '../broker.js';
import { fromReferenceId, toReferenceId } from './groww-reference.js';
import { type PlainOrderType, plainOrderType } from '../plain-order-type.js';

/** An order as Groww reports it (order list, order detail). Prices in rupees. */
export interface GrowwOrder {
  groww_order_id: string;
  trading_symbol: string;
  order_status: string;
  remark?: string | null;
  quantity: number;
  price?: number | null;
  trigger_price?: number | null;
  filled_quantity?: number | null;
  remaining_quantity?: number | null;
  average_fill_price?: number | null;
  deliverable_quantity?: number | null;
  amo_status?: string | null;
  validity?: string;
  exchange: string;
  order_type: string;
  transaction_type: string;
  segment?: string;
  product?: string;
  created_at?: string | null;
  exchange_time?: string | null;
  trade_date?: string | null;
  order_reference_id?: string | null;
}

/** One trade of an order (`GET /v1/order/trades/{id}`). */
export interface GrowwTrade {
  price: number;
  isin?: string;
  quantity: number;
  groww_order_id: string;
  groww_trade_id: string;
  exchange_trade_id?: string;
  exchange_order_id?: string;
  trade_status?: string;
  trading_symbol: string;
  remark?: string | null;
  exchange: string;
  segment?: string;
  product?: string;
  transaction_type: string;
  created_at?: string | null;
  trade_date_time?: string | null;
  settlement_number?: string | null;
}

const LIVE = new Set(['NEW', 'ACKED', 'TRIGGER_PENDING', 'APPROVED', 'OPEN']);
const FILLED = new Set(['EXECUTED', 'DELIVERY_AWAITED', 'COMPLETED']);

/**
 * Groww status → our state machine. Every documented status: the received and working ones
 * (NEW, ACKED, TRIGGER_PENDING, APPROVED, and OPEN of the examples) are `accepted`, or
 * `partially_filled` once something traded; EXECUTED, DELIVERY_AWAITED (traded, shares on their
 * way to the demat) and COMPLETED are `filled`; REJECTED and FAILED are `rejected`; a cancel or
 * modify request in flight is `pending_cancel` / `pending_replace`.
 */
export function mapGrowwStatus(status: string, filled: number, quantity: number): OrderStatus {
  if (FILLED.has(status)) return 'filled';
  if (status === 'CANCELLED') return 'cancelled';
  if (status === 'REJECTED' || status === 'FAILED') return 'rejected';
  if (status === 'CANCELLATION_REQUESTED') return 'pending_cancel';
  if (status === 'MODIFICATION_REQUESTED') return 'pending_replace';
  if (LIVE.has(status)) {
    if (filled >= quantity && quantity > 0) return 'filled';
    return filled > 0 ? 'partially_filled' : 'accepted';
  }
  throw new BrokerError('protocol', `unknown Groww order status "${status}"`, 'groww', { code: status });
}

const ORDER_TYPE_FROM_GROWW: Record<string, OrderType> = { MARKET: 'market', LIMIT: 'limit', SL: 'stop_limit', SL_M: 'stop' };
const ORDER_TYPE_TO_GROWW: Record<PlainOrderType, string> = { market: 'MARKET', limit: 'LIMIT', stop_limit: 'SL', stop: 'SL_M' };

export function growwOrderType(type: OrderType): string {
  return ORDER_TYPE_TO_GROWW[plainOrderType(type, 'groww')];
}

export function ourOrderType(growwType: string): OrderType | undefined {
  return ORDER_TYPE_FROM_GROWW[growwType];
}

export function toExchange(exchange: string | undefined): Exchange | undefined {
  return exchange === 'NSE' || exchange === 'BSE' ? exchange : undefined;
}

/** Rupees (decimal on the wire) → paise, keeping a fractional part for averages. */
export function rupeesToMinor(rupees: number | null | undefined): number {
  if (!rupees) return 0;
  return Number((rupees * 100).toFixed(4));
}

/** Paise → the decimal rupees Groww's JSON bodies carry. */
export function minorToRupees(minor: number): number {
  return Number(formatMinor(minor));
}

/**
 * Groww's timestamps: ISO with a zone ("2024-08-24T14:15:22Z") as given, without one
 * ("2023-10-01T10:15:30") as India time.
 */
export function parseGrowwTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const t = Date.parse(text);
    return Number.isFinite(t) ? t : undefined;
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return fromLocalMs(EXCHANGE_TIME_ZONES.NSE, Date.UTC(y, mo - 1, d, h, mi, s));
}

export function mapGrowwOrder(o: GrowwOrder, fallbackTs: number): BrokerOrder | undefined {
  const exchange = toExchange(o.exchange);
  const type = ourOrderType(o.order_type);
  if (!exchange || !type) return undefined;
  const filled = o.filled_quantity ?? 0;
  const order: BrokerOrder = {
    brokerOrderId: String(o.groww_order_id),
    symbol: o.trading_symbol,
    exchange,
    side: o.transaction_type === 'SELL' ? 'sell' : 'buy',
    type,
    quantity: o.quantity,
    filledQuantity: filled,
    averagePrice: rupeesToMinor(o.average_fill_price),
    status: mapGrowwStatus(o.order_status, filled, o.quantity),
    brokerStatus: o.order_status,
    updatedAt: parseGrowwTime(o.exchange_time) ?? parseGrowwTime(o.created_at) ?? fallbackTs,
  };
  const clientOrderId = fromReferenceId(o.order_reference_id);
  if (clientOrderId) order.clientOrderId = clientOrderId;
  if (o.price) order.limitPrice = rupeesToMinor(o.price);
  if (o.remark && (order.status === 'rejected' || order.status === 'cancelled')) order.statusMessage = o.remark;
  return order;
}

export function mapGrowwTrade(t: GrowwTrade, clientOrderId: string | undefined, fallbackTs: number): BrokerTrade | undefined {
  const exchange = toExchange(t.exchange);
  if (!exchange) return undefined;
  const trade: BrokerTrade = {
    tradeId: String(t.groww_trade_id),
    brokerOrderId: String(t.groww_order_id),
    symbol: t.trading_symbol,
    exchange,
    side: t.transaction_type === 'SELL' ? 'sell' : 'buy',
    quantity: t.quantity,
    price: Math.round(rupeesToMinor(t.price)),
    ts: parseGrowwTime(t.trade_date_time) ?? parseGrowwTime(t.created_at) ?? fallbackTs,
  };
  if (clientOrderId) trade.clientOrderId = clientOrderId;
  return trade;
}

export interface GrowwProducts {
  deliveryProduct: string;
  intradayProduct: string;
}

/**
 * Our order request → the body of `POST /v1/order/create`. Refuses (BrokerError 'input', nothing
 * sent) what Groww would refuse or cannot express: after-market and iceberg orders, linked order
 * classes, missing prices. Every order is sent for the day (Groww has no IOC validity: the
 * adapter cancels an immediate-or-cancel order's remainder itself).
 */
export function growwPlacement(req: OrderRequest, products: GrowwProducts): Record<string, unknown> {
  const refuse = (why: string) => new BrokerError('input', `order ${req.clientOrderId}: ${why}`, 'groww', { code: 'validation' });
  if (!/^[A-Za-z0-9]{1,19}$/.test(req.clientOrderId)) throw refuse('client order id must be 1–19 letters or digits to become a Groww order_reference_id');
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw refuse(`quantity must be a positive integer, got ${req.quantity}`);
  if ((req.orderClass ?? 'simple') !== 'simple' || req.takeProfit !== undefined || req.stopLoss !== undefined) {
    throw new BrokerError('input', 'Groww\'s order API has no bracket or OCO orders (its GTT/OCO smart orders carry no order reference); place the exits as separate orders', 'groww', { code: 'unsupported_order_class' });
  }
  if (req.afterMarket) throw refuse('Groww\'s order API takes no after-market flag; place the order when the market is open');
  if (req.displayQuantity !== undefined && req.displayQuantity < req.quantity) throw refuse('Groww has no iceberg orders; use ptexec\'s iceberg algorithm');
  const needsPrice = req.type === 'limit' || req.type === 'stop_limit';
  const needsTrigger = req.type === 'stop' || req.type === 'stop_limit';
  if (needsPrice && !(req.limitPrice && req.limitPrice > 0)) throw refuse(`${req.type} order needs a limit price`);
  if (needsTrigger && !(req.triggerPrice && req.triggerPrice > 0)) throw refuse(`${req.type} order needs a trigger price`);
  const body: Record<string, unknown> = {
    trading_symbol: req.symbol,
    quantity: req.quantity,
    price: needsPrice ? minorToRupees(req.limitPrice!) : 0,
    validity: 'DAY',
    exchange: req.exchange,
    segment: 'CASH',
    product: req.product === 'delivery' ? products.deliveryProduct : products.intradayProduct,
    order_type: growwOrderType(req.type),
    transaction_type: req.side === 'buy' ? 'BUY' : 'SELL',
    order_reference_id: toReferenceId(req.clientOrderId),
  };
  if (needsTrigger) body.trigger_price = minorToRupees(req.triggerPrice!);
  return body;
}

/** The body of `POST /v1/order/modify`: the order type is required, the rest only where it changes. */
export function growwModifyBody(brokerOrderId: string, currentType: OrderType, change: OrderChange): Record<string, unknown> {
  const body: Record<string, unknown> = { groww_order_id: brokerOrderId, segment: 'CASH', order_type: growwOrderType(change.type ?? currentType) };
  if (change.quantity !== undefined) body.quantity = change.quantity;
  if (change.limitPrice !== undefined) body.price = minorToRupees(change.limitPrice);
  if (change.triggerPrice !== undefined) body.trigger_price = minorToRupees(change.triggerPrice);
  return body;
}
