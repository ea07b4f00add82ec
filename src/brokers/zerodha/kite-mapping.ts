import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import { formatExchangeTime, tradingDate } from '../../market/exchange-time.js';
import { EXCHANGE_TIME_ZONES, fromLocalMs } from '../../market/time-zone.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import { rupeesToMinor, toExchange } from '../http/rupees.js';
import { type PlainOrderType, plainOrderType } from '../plain-order-type.js';

/** An order object as Kite sends it (order book, history, stream, postback). */
export interface KiteOrder {
  order_id: string;
  exchange_order_id?: string | null;
  parent_order_id?: string | null;
  status: string;
  status_message?: string | null;
  order_timestamp?: string | null;
  exchange_timestamp?: string | null;
  variety?: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token?: number;
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
  cancelled_quantity?: number;
  market_protection?: number;
  tag?: string | null;
  tags?: string[] | null;
  guid?: string;
}

export interface KiteTrade {
  trade_id: string;
  order_id: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token?: number;
  product?: string;
  average_price: number;
  quantity: number;
  exchange_order_id?: string | null;
  transaction_type: string;
  fill_timestamp?: string | null;
  order_timestamp?: string | null;
  exchange_timestamp?: string | null;
}

/** Kite speaks NSE time (IST) in its timestamps and trading day. */
const KITE_ZONE = EXCHANGE_TIME_ZONES.NSE;

/** Kite's "YYYY-MM-DD HH:MM:SS" (IST) → epoch ms; undefined when absent or malformed. */
export function parseKiteTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return fromLocalMs(KITE_ZONE, Date.UTC(y, mo - 1, d, h, mi, s));
}

/** Epoch ms → Kite's IST "YYYY-MM-DD HH:MM:SS". */
export function formatKiteTime(ms: number): string {
  return formatExchangeTime('NSE', ms);
}

/** The IST calendar date of `ms` ("YYYY-MM-DD"): Kite's trading day and instrument dump. */
export function istDate(ms: number): string {
  return tradingDate('NSE', ms);
}

const RECEIVED = new Set(['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'OPEN PENDING', 'AMO REQ RECEIVED']);
const LIVE = new Set(['OPEN', 'TRIGGER PENDING', 'UPDATE', 'MODIFIED', 'NOT MODIFIED']);
const REPLACING = new Set(['MODIFY VALIDATION PENDING', 'MODIFY PENDING']);

/**
 * Kite status → our state machine. The request-received statuses mean Kite holds the order
 * (`accepted`); a live order with fills is `partially_filled` (the book says OPEN, the stream
 * says UPDATE); a cancelled order keeps its fills in `filledQuantity`.
 */
export function mapKiteStatus(status: string, filled: number, quantity: number): OrderStatus {
  const partial = filled > 0 && filled < quantity;
  if (status === 'COMPLETE') return 'filled';
  if (status === 'CANCELLED' || status === 'CANCELLED AMO') return 'cancelled';
  if (status === 'REJECTED') return 'rejected';
  if (status === 'LAPSED' || status === 'EXPIRED') return 'expired';
  if (status === 'CANCEL PENDING') return 'pending_cancel';
  if (REPLACING.has(status)) return 'pending_replace';
  if (RECEIVED.has(status) || LIVE.has(status)) {
    if (filled >= quantity && quantity > 0) return 'filled';
    return partial ? 'partially_filled' : 'accepted';
  }
  throw new BrokerError('protocol', `unknown Kite order status "${status}"`, 'zerodha', { code: status });
}

const ORDER_TYPE_FROM_KITE: Record<string, OrderType> = { MARKET: 'market', LIMIT: 'limit', SL: 'stop_limit', 'SL-M': 'stop' };
const ORDER_TYPE_TO_KITE: Record<PlainOrderType, string> = { market: 'MARKET', limit: 'LIMIT', stop_limit: 'SL', stop: 'SL-M' };

export function kiteOrderType(type: OrderType): string {
  return ORDER_TYPE_TO_KITE[plainOrderType(type, 'zerodha')];
}

export { rupeesToMinor, toExchange };

export function mapKiteOrder(o: KiteOrder, fallbackTs: number): BrokerOrder | undefined {
  const exchange = toExchange(o.exchange);
  const type = ORDER_TYPE_FROM_KITE[o.order_type];
  if (!exchange || !type) return undefined;
  const filled = o.filled_quantity ?? 0;
  const tag = o.tag ?? o.tags?.[0] ?? undefined;
  const order: BrokerOrder = {
    brokerOrderId: String(o.order_id),
    symbol: o.tradingsymbol,
    exchange,
    side: o.transaction_type === 'SELL' ? 'sell' : 'buy',
    type,
    quantity: o.quantity,
    filledQuantity: filled,
    averagePrice: rupeesToMinor(o.average_price),
    status: mapKiteStatus(o.status, filled, o.quantity),
    brokerStatus: o.status,
    updatedAt: parseKiteTime(o.exchange_timestamp) ?? parseKiteTime(o.order_timestamp) ?? fallbackTs,
  };
  if (tag) order.clientOrderId = tag;
  if (o.price) order.limitPrice = rupeesToMinor(o.price);
  if (o.status_message) order.statusMessage = o.status_message;
  return order;
}

export function mapKiteTrade(t: KiteTrade, clientOrderId: string | undefined, fallbackTs: number): BrokerTrade | undefined {
  const exchange = toExchange(t.exchange);
  if (!exchange) return undefined;
  const trade: BrokerTrade = {
    tradeId: String(t.trade_id),
    brokerOrderId: String(t.order_id),
    symbol: t.tradingsymbol,
    exchange,
    side: t.transaction_type === 'SELL' ? 'sell' : 'buy',
    quantity: t.quantity,
    price: Math.round(rupeesToMinor(t.average_price)),
    ts: parseKiteTime(t.fill_timestamp) ?? parseKiteTime(t.exchange_timestamp) ?? fallbackTs,
  };
  if (clientOrderId) trade.clientOrderId = clientOrderId;
  return trade;
}

/** Kite `tag`: at most 20 letters and digits. */
export const KITE_TAG = /^[A-Za-z0-9]{1,20}$/;

export interface PlacementSettings {
  marketProtection: number;
  deliveryProduct: string;
  intradayProduct: string;
}

export interface KitePlacement {
  variety: 'regular' | 'amo' | 'iceberg';
  form: Record<string, string | number | undefined>;
}

/**
 * Our order request → Kite's variety and form. Refuses (BrokerError 'input', nothing sent) what
 * Kite would refuse: a bad tag, missing prices, an iceberg Kite cannot express.
 */
export function kitePlacement(req: OrderRequest, settings: PlacementSettings): KitePlacement {
  const refuse = (why: string) => new BrokerError('input', `order ${req.clientOrderId}: ${why}`, 'zerodha', { code: 'validation' });
  if (!KITE_TAG.test(req.clientOrderId)) throw refuse('client order id must be 1–20 letters or digits to be a Kite tag');
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw refuse(`quantity must be a positive integer, got ${req.quantity}`);
  const needsPrice = req.type === 'limit' || req.type === 'stop_limit';
  const needsTrigger = req.type === 'stop' || req.type === 'stop_limit';
  if (needsPrice && !(req.limitPrice && req.limitPrice > 0)) throw refuse(`${req.type} order needs a limit price`);
  if (needsTrigger && !(req.triggerPrice && req.triggerPrice > 0)) throw refuse(`${req.type} order needs a trigger price`);
  const kiteType = kiteOrderType(req.type);
  const form: Record<string, string | number | undefined> = {
    tradingsymbol: req.symbol,
    exchange: req.exchange,
    transaction_type: req.side === 'buy' ? 'BUY' : 'SELL',
    order_type: kiteType,
    quantity: req.quantity,
    product: req.product === 'delivery' ? settings.deliveryProduct : settings.intradayProduct,
    validity: req.timeInForce === 'ioc' ? 'IOC' : 'DAY',
    price: needsPrice ? formatMinor(req.limitPrice!) : undefined,
    trigger_price: needsTrigger ? formatMinor(req.triggerPrice!) : undefined,
    market_protection: kiteType === 'MARKET' || kiteType === 'SL-M' ? settings.marketProtection : undefined,
    tag: req.clientOrderId,
  };
  let variety: KitePlacement['variety'] = req.afterMarket ? 'amo' : 'regular';
  if (req.displayQuantity !== undefined && req.displayQuantity < req.quantity) {
    if (req.afterMarket) throw refuse('Kite cannot place an iceberg as an after-market order');
    if (!(req.displayQuantity > 0)) throw refuse(`display quantity must be positive, got ${req.displayQuantity}`);
    const legs = Math.ceil(req.quantity / req.displayQuantity);
    if (legs < 2 || legs > 10) throw refuse(`a Kite iceberg has 2 to 10 legs; ${req.quantity} shown ${req.displayQuantity} at a time needs ${legs}`);
    variety = 'iceberg';
    form.iceberg_legs = legs;
    form.iceberg_quantity = Math.ceil(req.quantity / legs);
  }
  return { variety, form };
}
