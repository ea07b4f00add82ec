import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { formatMinor, toMinor } from '../../domain/money.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import type { BrokerOrder, BrokerTrade, OrderChange } from '../broker.js';
import { isLinkedOrder } from '../../domain/order-class.js';
import { type AlpacaLinkedFields, alpacaLinkedFields } from './alpaca-order-classes.js';
import { ALPACA_CLIENT_ORDER_ID, ALPACA_STATUSES } from './wire-facts.js';

/** An order as Alpaca reports it (the fields ptexec reads; numbers are strings). */
export interface AlpacaOrder {
  id: string;
  client_order_id?: string;
  symbol: string;
  side: string;
  type?: string;
  order_type?: string;
  time_in_force?: string;
  qty?: string | null;
  filled_qty?: string;
  filled_avg_price?: string | null;
  limit_price?: string | null;
  stop_price?: string | null;
  status: string;
  updated_at?: string;
  created_at?: string;
  replaced_by?: string | null;
  replaces?: string | null;
  order_class?: string;
  /** A bracket's or OCO's exit legs, nested under their parent (placement answer, `nested=true`). */
  legs?: AlpacaOrder[] | null;
}

/** One execution in `GET /v2/account/activities/FILL`. */
export interface AlpacaFill {
  id: string;
  activity_type?: string;
  transaction_time: string;
  type?: string;
  price: string;
  qty: string;
  side: string;
  symbol: string;
  order_id: string;
}

export interface AlpacaPlacement {
  symbol: string;
  qty: string;
  side: 'buy' | 'sell';
  type: OrderType;
  time_in_force: 'day' | 'ioc';
  limit_price?: string;
  stop_price?: string;
  /** A trailing stop's trail: a percent of the water mark, or a dollar offset from it (one of the two). */
  trail_percent?: string;
  trail_price?: string;
  client_order_id: string;
  order_class?: AlpacaLinkedFields['order_class'];
  take_profit?: AlpacaLinkedFields['take_profit'];
  stop_loss?: AlpacaLinkedFields['stop_loss'];
}

const dollars = (minor: number) => formatMinor(minor);
/** Dollars as Alpaca writes them ("187.5", "0.0001") → cents, fractional cents kept for averages. */
export function centsOf(value: string | null | undefined): number {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? Math.round(n * 1_000_000) / 10_000 : 0;
}

/** The order Alpaca is asked to place. Refuses what ptexec's model does not send (see capabilities.ts). */
export function alpacaPlacement(request: OrderRequest): AlpacaPlacement {
  const refuse = (what: string, code: string) => new BrokerError('input', `${request.exchange}:${request.symbol}: ${what}`, 'alpaca', { code });
  if (!Number.isInteger(request.quantity) || request.quantity <= 0) throw refuse(`quantity ${request.quantity} is not a whole number of shares (fractional shares are not supported)`, 'fractional');
  if (request.exchange !== 'NYSE' && request.exchange !== 'NASDAQ') throw refuse('Alpaca trades US equities on NYSE and NASDAQ only', 'exchange');
  if (request.afterMarket) throw refuse('after-market orders are not supported through Alpaca', 'after_market');
  if (!ALPACA_CLIENT_ORDER_ID.test(request.clientOrderId)) throw new BrokerError('input', `client order id "${request.clientOrderId.slice(0, 40)}" is not 1–128 letters, digits, "-" or "_"`, 'alpaca', { code: 'client_order_id' });
  const body: AlpacaPlacement = { symbol: request.symbol, qty: String(request.quantity), side: request.side, type: request.type, time_in_force: request.timeInForce, client_order_id: request.clientOrderId };
  if ((request.type === 'limit' && request.orderClass !== 'oco') || request.type === 'stop_limit') {
    if (request.limitPrice === undefined) throw refuse(`a ${request.type} order needs a limit price`, 'limit_price');
    body.limit_price = dollars(request.limitPrice);
  }
  if (request.type === 'stop' || request.type === 'stop_limit') {
    if (request.triggerPrice === undefined) throw refuse(`a ${request.type} order needs a stop price`, 'stop_price');
    body.stop_price = dollars(request.triggerPrice);
  }
  if (request.type === 'trailing_stop') Object.assign(body, alpacaTrail(request, refuse));
  if (isLinkedOrder(request)) {
    // An OCO's limit is its take-profit's: no top-level limit_price (as Alpaca's SDK sends it).
    Object.assign(body, alpacaLinkedFields(request));
  }
  return body;
}

/** A trailing stop's trail on the wire: `trail_percent` ("2.5") or `trail_price` in dollars; a day order. */
function alpacaTrail(request: OrderRequest, refuse: (what: string, code: string) => BrokerError): Pick<AlpacaPlacement, 'trail_percent' | 'trail_price'> {
  const { trail } = request;
  if (!trail || (trail.percent === undefined) === (trail.price === undefined)) throw refuse('a trailing stop needs its trail: a percent or a price offset, exactly one', 'trail');
  if (request.timeInForce !== 'day') throw refuse(`a trailing stop is a day order on Alpaca, not ${request.timeInForce}`, 'time_in_force');
  if (request.orderClass && request.orderClass !== 'simple') throw refuse('Alpaca runs trailing stops as single orders only, not as a leg of a bracket or OCO', 'order_class');
  return trail.percent !== undefined ? { trail_percent: String(trail.percent) } : { trail_price: dollars(trail.price!) };
}

/** The `PATCH /v2/orders/{id}` body: the new quantity of the replacement and its prices. */
export function alpacaReplaceBody(change: OrderChange, remaining: number | undefined): Record<string, string> {
  const body: Record<string, string> = {};
  if (remaining !== undefined) body.qty = String(remaining);
  if (change.limitPrice !== undefined) body.limit_price = dollars(change.limitPrice);
  if (change.triggerPrice !== undefined) body.stop_price = dollars(change.triggerPrice);
  return body;
}

/** Alpaca's status word → ours; a live order with fills is partially filled. */
export function mapAlpacaStatus(status: string, filled: number): OrderStatus {
  const ours = ALPACA_STATUSES[status];
  if (!ours) throw new BrokerError('protocol', `Alpaca reported an order status ptexec does not know: "${status}"`, 'alpaca', { code: 'unknown_status' });
  return ours === 'accepted' && filled > 0 ? 'partially_filled' : ours;
}

function orderTypeOf(row: AlpacaOrder): OrderType {
  const t = row.order_type ?? row.type ?? 'market';
  if (t === 'limit' || t === 'stop' || t === 'stop_limit' || t === 'market' || t === 'trailing_stop') return t;
  throw new BrokerError('protocol', `Alpaca reported an order type ptexec does not know: "${t}"`, 'alpaca', { code: 'unknown_order_type' });
}

/**
 * A chain of replacements as one order: ptexec knows the first id and our client id; each PATCH
 * created a replacement that carries the rest. `chain` is oldest first; the last one stands.
 * `clientOrderId` is the one ptexec reports it under (an exit leg's is `<our id>TP`/`SL`, not Alpaca's).
 */
export function mapAlpacaChain(chain: readonly AlpacaOrder[], exchange: Exchange, now: number, clientOrderId: string | undefined): BrokerOrder {
  const root = chain[0]!;
  const last = chain.at(-1)!;
  let filledBefore = 0;
  let valueBefore = 0;
  for (const row of chain.slice(0, -1)) {
    const f = Number(row.filled_qty ?? 0);
    filledBefore += f;
    valueBefore += f * centsOf(row.filled_avg_price);
  }
  const ownFilled = Number(last.filled_qty ?? 0);
  const filledQuantity = filledBefore + ownFilled;
  const value = valueBefore + ownFilled * centsOf(last.filled_avg_price);
  const order: BrokerOrder = {
    brokerOrderId: root.id,
    clientOrderId,
    symbol: last.symbol,
    exchange,
    side: last.side === 'buy' ? 'buy' : 'sell',
    type: orderTypeOf(last),
    quantity: filledBefore + Number(last.qty ?? 0),
    filledQuantity,
    averagePrice: filledQuantity > 0 ? value / filledQuantity : 0,
    status: mapAlpacaStatus(last.status, filledQuantity),
    brokerStatus: last.status,
    updatedAt: Date.parse(last.updated_at ?? '') || now,
  };
  if (last.limit_price) order.limitPrice = toMinor(Number(last.limit_price));
  return order;
}

export function mapAlpacaFill(fill: AlpacaFill, exchange: Exchange, root: { id: string; clientOrderId?: string }): BrokerTrade {
  const trade: BrokerTrade = {
    tradeId: fill.id,
    brokerOrderId: root.id,
    symbol: fill.symbol,
    exchange,
    side: fill.side === 'buy' ? 'buy' : 'sell',
    quantity: Number(fill.qty),
    price: Math.round(centsOf(fill.price)),
    ts: Date.parse(fill.transaction_time),
  };
  if (root.clientOrderId) trade.clientOrderId = root.clientOrderId;
  return trade;
}
