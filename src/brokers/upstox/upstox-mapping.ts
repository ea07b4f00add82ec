import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { toMajor } from '../../domain/money.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import { parseExchangeTime } from '../../market/exchange-time.js';
import type { BrokerOrder, BrokerTrade, OrderChange } from '../broker.js';
import { rupeesToMinor, toExchange as indianExchange } from '../http/rupees.js';
import { UPSTOX_STATUSES, UPSTOX_TAG } from './wire-facts.js';
import { type PlainOrderType, plainOrderType } from '../plain-order-type.js';

/** An order as Upstox sends it (order book, details, history, the portfolio stream). */
export interface UpstoxOrder {
  order_id: string;
  exchange_order_id?: string | null;
  status: string;
  status_message?: string | null;
  order_timestamp?: string | null;
  exchange_timestamp?: string | null;
  exchange: string;
  trading_symbol?: string;
  tradingsymbol?: string;
  instrument_token?: string;
  order_type: string;
  transaction_type: string;
  validity?: string;
  product?: string;
  quantity: number;
  disclosed_quantity?: number;
  price?: number;
  trigger_price?: number;
  average_price?: number;
  filled_quantity?: number;
  pending_quantity?: number;
  tag?: string | null;
  is_amo?: boolean;
}

export interface UpstoxTrade {
  trade_id: string;
  order_id: string;
  exchange: string;
  trading_symbol?: string;
  tradingsymbol?: string;
  instrument_token?: string;
  product?: string;
  average_price: number;
  quantity: number;
  transaction_type: string;
  exchange_timestamp?: string | null;
  order_timestamp?: string | null;
}

/** Upstox's "YYYY-MM-DD HH:MM:SS" (IST) → epoch ms; undefined when absent or malformed. */
export function parseUpstoxTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(text);
  return local ? parseExchangeTime(`${local[1]} ${local[2]}`, 'NSE', 0) : undefined;
}

/**
 * Upstox status → our state machine (wire-facts.ts lists every documented word). A live order
 * with fills is `partially_filled`; a cancelled one keeps its fills in `filledQuantity`.
 */
export function mapUpstoxStatus(status: string, filled: number, quantity: number): OrderStatus {
  const ours = UPSTOX_STATUSES[status.toLowerCase()];
  if (!ours) throw new BrokerError('protocol', `unknown Upstox order status "${status}"`, 'upstox', { code: status });
  if (ours !== 'accepted') return ours;
  if (filled >= quantity && quantity > 0) return 'filled';
  return filled > 0 ? 'partially_filled' : 'accepted';
}

const ORDER_TYPE_FROM_UPSTOX: Record<string, OrderType> = { MARKET: 'market', LIMIT: 'limit', SL: 'stop_limit', 'SL-M': 'stop' };
const ORDER_TYPE_TO_UPSTOX: Record<PlainOrderType, string> = { market: 'MARKET', limit: 'LIMIT', stop_limit: 'SL', stop: 'SL-M' };

/** The exchange of a row: the book says NSE/BSE, instrument keys and some rows the segment (NSE_EQ). */
export function toExchange(exchange: string): Exchange | undefined {
  return indianExchange(exchange.replace(/_EQ$/, ''));
}

/** The symbol of an order or trade row: `trading_symbol` (current) or `tradingsymbol` (deprecated), without the `-EQ` series. */
function symbolOf(row: { trading_symbol?: string; tradingsymbol?: string }): string {
  return (row.trading_symbol ?? row.tradingsymbol ?? '').replace(/-EQ$/, '');
}

export function mapUpstoxOrder(o: UpstoxOrder, fallbackTs: number): BrokerOrder | undefined {
  const exchange = toExchange(o.exchange);
  const type = ORDER_TYPE_FROM_UPSTOX[o.order_type];
  if (!exchange || !type) return undefined;
  const filled = o.filled_quantity ?? 0;
  const order: BrokerOrder = {
    brokerOrderId: String(o.order_id),
    symbol: symbolOf(o),
    exchange,
    side: o.transaction_type === 'SELL' ? 'sell' : 'buy',
    type,
    quantity: o.quantity,
    filledQuantity: filled,
    averagePrice: rupeesToMinor(o.average_price),
    status: mapUpstoxStatus(o.status, filled, o.quantity),
    brokerStatus: o.status,
    updatedAt: parseUpstoxTime(o.exchange_timestamp) ?? parseUpstoxTime(o.order_timestamp) ?? fallbackTs,
  };
  if (o.tag) order.clientOrderId = o.tag;
  if (o.price) order.limitPrice = rupeesToMinor(o.price);
  if (o.status_message) order.statusMessage = o.status_message;
  return order;
}

export function mapUpstoxTrade(t: UpstoxTrade, clientOrderId: string | undefined, fallbackTs: number): BrokerTrade | undefined {
  const exchange = toExchange(t.exchange);
  if (!exchange) return undefined;
  const trade: BrokerTrade = {
    tradeId: String(t.trade_id),
    brokerOrderId: String(t.order_id),
    symbol: symbolOf(t),
    exchange,
    side: t.transaction_type === 'SELL' ? 'sell' : 'buy',
    quantity: t.quantity,
    price: Math.round(rupeesToMinor(t.average_price)),
    ts: parseUpstoxTime(t.exchange_timestamp) ?? parseUpstoxTime(t.order_timestamp) ?? fallbackTs,
  };
  if (clientOrderId) trade.clientOrderId = clientOrderId;
  return trade;
}

/** The body of `POST /v3/order/place`. */
export interface UpstoxPlacement {
  quantity: number;
  product: string;
  validity: 'DAY' | 'IOC';
  price: number;
  tag: string;
  instrument_token: string;
  order_type: string;
  transaction_type: 'BUY' | 'SELL';
  disclosed_quantity: number;
  trigger_price: number;
  is_amo: boolean;
  slice: boolean;
}

/**
 * Our order request → Upstox's v3 placement body. Refuses (BrokerError 'input', nothing sent)
 * what Upstox would refuse: a bad tag, missing prices, a linked order class it does not run.
 * Slicing stays off: one request, one order, one tag to find it by.
 */
export function upstoxPlacement(req: OrderRequest, instrumentKey: string, deliveryProduct: string): UpstoxPlacement {
  const refuse = (why: string) => new BrokerError('input', `order ${req.clientOrderId}: ${why}`, 'upstox', { code: 'validation' });
  const orderClass = req.orderClass ?? 'simple';
  if (orderClass !== 'simple' || req.takeProfit !== undefined || req.stopLoss !== undefined) {
    throw new BrokerError('input', `Upstox does not run ${orderClass === 'simple' ? 'take-profit/stop-loss legs' : `${orderClass} orders`} on its order API; place the exits as separate orders`, 'upstox', { code: 'unsupported_order_class' });
  }
  if (!UPSTOX_TAG.test(req.clientOrderId)) throw refuse('client order id must be 1–20 letters or digits to be an Upstox tag');
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw refuse(`quantity must be a positive integer, got ${req.quantity}`);
  const needsPrice = req.type === 'limit' || req.type === 'stop_limit';
  const needsTrigger = req.type === 'stop' || req.type === 'stop_limit';
  if (needsPrice && !(req.limitPrice && req.limitPrice > 0)) throw refuse(`${req.type} order needs a limit price`);
  if (needsTrigger && !(req.triggerPrice && req.triggerPrice > 0)) throw refuse(`${req.type} order needs a trigger price`);
  let disclosed = 0;
  if (req.displayQuantity !== undefined && req.displayQuantity < req.quantity) {
    if (!(req.displayQuantity > 0)) throw refuse(`display quantity must be positive, got ${req.displayQuantity}`);
    disclosed = req.displayQuantity;
  }
  return {
    quantity: req.quantity,
    product: req.product === 'delivery' ? deliveryProduct : 'I',
    validity: req.timeInForce === 'ioc' ? 'IOC' : 'DAY',
    price: needsPrice ? toMajor(req.limitPrice!) : 0,
    tag: req.clientOrderId,
    instrument_token: instrumentKey,
    order_type: ORDER_TYPE_TO_UPSTOX[plainOrderType(req.type, 'upstox')],
    transaction_type: req.side === 'buy' ? 'BUY' : 'SELL',
    disclosed_quantity: disclosed,
    trigger_price: needsTrigger ? toMajor(req.triggerPrice!) : 0,
    is_amo: req.afterMarket === true,
    slice: false,
  };
}

/**
 * The body of `PUT /v3/order/modify`. Upstox takes the order as it is for fields left out, but
 * requires `validity`, `order_type` and `price` (unverified: the SDK sends them whenever given);
 * they are taken from the order as it stands unless the change names them.
 */
export function upstoxModifyBody(orderId: string, current: UpstoxOrder, change: OrderChange): Record<string, string | number> {
  const type = change.type ? ORDER_TYPE_TO_UPSTOX[plainOrderType(change.type, 'upstox')] : current.order_type;
  const needsPrice = type === 'LIMIT' || type === 'SL';
  const needsTrigger = type === 'SL' || type === 'SL-M';
  return {
    order_id: orderId,
    quantity: change.quantity ?? current.quantity,
    validity: current.validity ?? 'DAY',
    price: needsPrice ? (change.limitPrice !== undefined ? toMajor(change.limitPrice) : (current.price ?? 0)) : 0,
    order_type: type,
    disclosed_quantity: current.disclosed_quantity ?? 0,
    trigger_price: needsTrigger ? (change.triggerPrice !== undefined ? toMajor(change.triggerPrice) : (current.trigger_price ?? 0)) : 0,
  };
}
