import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import { SCHWAB_EQUITY, SCHWAB_STATUSES } from './wire-facts.js';
import { type PlainOrderType, plainOrderType } from '../plain-order-type.js';

/** One execution leg of an order activity (`orderActivityCollection[].executionLegs[]`). */
export interface SchwabExecutionLeg {
  legId?: number;
  price?: number;
  quantity?: number;
  mismarkedQuantity?: number;
  time?: string;
}

/** An order as Schwab returns it (the fields ptexec reads). */
export interface SchwabOrder {
  orderId?: number | string;
  session?: string;
  duration?: string;
  orderType?: string;
  quantity?: number;
  filledQuantity?: number;
  remainingQuantity?: number;
  price?: number;
  stopPrice?: number;
  orderStrategyType?: string;
  status?: string;
  statusDescription?: string;
  enteredTime?: string;
  closeTime?: string;
  orderLegCollection?: { instruction?: string; quantity?: number; instrument?: { symbol?: string; assetType?: string } }[];
  orderActivityCollection?: { activityType?: string; executionType?: string; quantity?: number; executionLegs?: SchwabExecutionLeg[] }[];
}

/** The order body ptexec sends to place (and to replace) an order. */
export interface SchwabOrderBody {
  session: 'NORMAL';
  duration: 'DAY' | 'IMMEDIATE_OR_CANCEL';
  orderType: 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
  price?: number;
  stopPrice?: number;
  orderStrategyType: 'SINGLE';
  orderLegCollection: [{ instruction: 'BUY' | 'SELL'; quantity: number; instrument: { symbol: string; assetType: typeof SCHWAB_EQUITY } }];
}

const ORDER_TYPES: Readonly<Record<PlainOrderType, SchwabOrderBody['orderType']>> = { market: 'MARKET', limit: 'LIMIT', stop: 'STOP', stop_limit: 'STOP_LIMIT' };
const OUR_TYPES: Readonly<Record<string, OrderType>> = { MARKET: 'market', LIMIT: 'limit', STOP: 'stop', STOP_LIMIT: 'stop_limit' };

/** Cents → the dollars Schwab's JSON takes (a number with at most two decimals). */
export function dollars(cents: number): number {
  return Math.round(cents) / 100;
}

/** Dollars from Schwab → cents (execution prices may carry more decimals: kept fractional). */
export function cents(dollarsValue: number | undefined): number {
  return Math.round((dollarsValue ?? 0) * 1_000_000) / 10_000;
}

/**
 * Our order as Schwab's order JSON: one equity leg, the regular session, DAY (or
 * IMMEDIATE_OR_CANCEL: unverified whether Schwab takes it for equities placed through the API).
 * There is no field for our client order id: the adapter's journal keeps it.
 */
export function schwabOrderBody(request: Pick<OrderRequest, 'symbol' | 'side' | 'type' | 'quantity' | 'limitPrice' | 'triggerPrice' | 'timeInForce'>): SchwabOrderBody {
  const orderType = ORDER_TYPES[plainOrderType(request.type, 'schwab')];
  const body: SchwabOrderBody = {
    session: 'NORMAL',
    duration: request.timeInForce === 'ioc' ? 'IMMEDIATE_OR_CANCEL' : 'DAY',
    orderType,
    orderStrategyType: 'SINGLE',
    orderLegCollection: [{ instruction: request.side === 'buy' ? 'BUY' : 'SELL', quantity: request.quantity, instrument: { symbol: request.symbol, assetType: SCHWAB_EQUITY } }],
  };
  if (orderType === 'LIMIT' || orderType === 'STOP_LIMIT') {
    if (request.limitPrice === undefined) throw new BrokerError('input', `${request.type} order for ${request.symbol} without a limit price`, 'schwab');
    body.price = dollars(request.limitPrice);
  }
  if (orderType === 'STOP' || orderType === 'STOP_LIMIT') {
    if (request.triggerPrice === undefined) throw new BrokerError('input', `${request.type} order for ${request.symbol} without a stop price`, 'schwab');
    body.stopPrice = dollars(request.triggerPrice);
  }
  return body;
}

/** Schwab's status word and the filled quantity → ours (a live order with fills is partially filled). */
export function mapSchwabStatus(word: string | undefined, filled: number): OrderStatus {
  const ours = SCHWAB_STATUSES[word ?? ''];
  if (!ours) throw new BrokerError('protocol', `Schwab reported an order status ptexec does not know: ${JSON.stringify(word)}`, 'schwab', { code: 'status' });
  return ours === 'accepted' && filled > 0 ? 'partially_filled' : ours;
}

/** The order's id as a string (Schwab's are 64-bit integers: kept as text, never as a JS number). */
export function orderIdOf(order: SchwabOrder): string {
  if (order.orderId === undefined || order.orderId === null) throw new BrokerError('protocol', 'Schwab returned an order without an orderId', 'schwab');
  return String(order.orderId);
}

/** The id at the end of a `Location` header (`…/accounts/{hash}/orders/{orderId}`). */
export function orderIdFromLocation(location: string | undefined): string | undefined {
  const match = /\/orders\/(\d+)\/?$/.exec(location ?? '');
  return match?.[1];
}

export function sideOf(instruction: string | undefined): Side {
  return instruction === 'SELL' || instruction === 'SELL_SHORT' || instruction === 'SELL_SHORT_EXEMPT' ? 'sell' : 'buy';
}

/**
 * The executions of an order, in the order Schwab lists them. Schwab gives an execution no id:
 * its place in the list names it (unverified: that Schwab only ever appends to the list). A
 * sub-penny execution price is rounded to the cent, as ptexec's trades are on the tick.
 */
export function executionsOf(order: SchwabOrder): { tradeId: string; quantity: number; price: number; ts: number }[] {
  const id = orderIdOf(order);
  const out: { tradeId: string; quantity: number; price: number; ts: number }[] = [];
  (order.orderActivityCollection ?? []).forEach((activity, a) => {
    if (activity.activityType !== undefined && activity.activityType !== 'EXECUTION') return;
    (activity.executionLegs ?? []).forEach((leg, l) => {
      const quantity = leg.quantity ?? 0;
      if (quantity <= 0) return;
      out.push({ tradeId: `${id}-${a + 1}-${l + 1}`, quantity, price: Math.round(cents(leg.price)), ts: Date.parse(leg.time ?? order.enteredTime ?? '') || 0 });
    });
  });
  return out;
}

export interface OrderContext {
  exchangeOf(symbol: string): Exchange;
  clientOrderIdOf(brokerOrderId: string): string | undefined;
}

/** A Schwab order as ours. */
export function toBrokerOrder(order: SchwabOrder, context: OrderContext): BrokerOrder {
  const id = orderIdOf(order);
  const leg = order.orderLegCollection?.[0];
  const symbol = leg?.instrument?.symbol ?? '';
  const executions = executionsOf(order);
  const executed = executions.reduce((sum, e) => sum + e.quantity, 0);
  const filled = Math.max(order.filledQuantity ?? 0, executed);
  const value = executions.reduce((sum, e) => sum + e.quantity * e.price, 0);
  const type = OUR_TYPES[order.orderType ?? ''] ?? (order.price !== undefined ? 'limit' : 'market');
  const result: BrokerOrder = {
    brokerOrderId: id,
    clientOrderId: context.clientOrderIdOf(id),
    symbol,
    exchange: context.exchangeOf(symbol),
    side: sideOf(leg?.instruction),
    type,
    quantity: order.quantity ?? leg?.quantity ?? 0,
    filledQuantity: filled,
    averagePrice: executed > 0 ? value / executed : 0,
    status: mapSchwabStatus(order.status, filled),
    brokerStatus: order.status ?? '',
    updatedAt: Date.parse(order.closeTime ?? '') || Math.max(0, ...executions.map((e) => e.ts)) || Date.parse(order.enteredTime ?? '') || 0,
  };
  if ((type === 'limit' || type === 'stop_limit') && order.price !== undefined) result.limitPrice = cents(order.price);
  if (order.statusDescription) result.statusMessage = order.statusDescription;
  return result;
}

/** An order's executions as our trades. */
export function toBrokerTrades(order: SchwabOrder, context: OrderContext): BrokerTrade[] {
  const id = orderIdOf(order);
  const leg = order.orderLegCollection?.[0];
  const symbol = leg?.instrument?.symbol ?? '';
  const clientOrderId = context.clientOrderIdOf(id);
  return executionsOf(order).map((e) => ({
    tradeId: e.tradeId,
    brokerOrderId: id,
    ...(clientOrderId ? { clientOrderId } : {}),
    symbol,
    exchange: context.exchangeOf(symbol),
    side: sideOf(leg?.instruction),
    quantity: e.quantity,
    price: e.price,
    ts: e.ts,
  }));
}
