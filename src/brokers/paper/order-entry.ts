import { isOnTick } from '../../domain/price.js';
import { trailProblem } from '../../domain/trailing-stop.js';
import type { Side } from '../../domain/side.js';
import { endOfExchangeDay, tradingDate } from '../../market/exchange-time.js';
import type { OrderChange } from '../broker.js';
import type { PaperDb } from './paper-db.js';
import { paperError } from './paper-error.js';
import type { PaperOrder } from './paper-records.js';
import type { PaperInstrument } from './universe.js';

/** Client order ids the paper broker accepts. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

/** The order fields a placement sets; the rest start empty. */
export interface OrderSpec {
  clientOrderId: string;
  side: Side;
  type: PaperOrder['type'];
  quantity: number;
  limitPrice?: number;
  triggerPrice?: number;
  trail?: PaperOrder['trail'];
  timeInForce: PaperOrder['timeInForce'];
  product: PaperOrder['product'];
}

/**
 * How orders come into being: numbered, dated in the exchange's trading day, checked for a
 * client id used before, and stored as rejected when the market will not take them.
 */
export class OrderEntry {
  constructor(
    private readonly accountId: string,
    private readonly records: Pick<PaperDb, 'nextOrderNumber' | 'orderByClientId' | 'insertOrder'>,
    private readonly announce: (order: PaperOrder) => void,
  ) {}

  build(instrument: PaperInstrument, now: number, spec: OrderSpec): PaperOrder {
    const stop = spec.type === 'stop' || spec.type === 'stop_limit' || spec.type === 'trailing_stop';
    const order: PaperOrder = {
      brokerOrderId: `P${String(this.records.nextOrderNumber()).padStart(9, '0')}`,
      accountId: this.accountId,
      clientOrderId: spec.clientOrderId,
      exchange: instrument.exchange,
      symbol: instrument.symbol,
      side: spec.side,
      type: spec.type,
      timeInForce: spec.timeInForce,
      product: spec.product,
      quantity: spec.quantity,
      filledQuantity: 0,
      filledValue: 0,
      triggered: !stop,
      status: 'accepted',
      brokerStatus: stop ? 'TRIGGER PENDING' : 'OPEN',
      tradingDate: tradingDate(instrument.exchange, now),
      expiresAt: endOfExchangeDay(instrument.exchange, now),
      seq: 0,
      createdAt: now,
      updatedAt: now,
    };
    order.seq = Number(order.brokerOrderId.slice(1));
    if (spec.limitPrice !== undefined && spec.type !== 'market' && spec.type !== 'stop') order.limitPrice = spec.limitPrice;
    if (spec.triggerPrice !== undefined && stop && spec.type !== 'trailing_stop') order.triggerPrice = spec.triggerPrice;
    if (spec.type === 'trailing_stop' && spec.trail !== undefined) order.trail = spec.trail;
    return order;
  }

  ensureUnusedClientIds(ids: string[]): void {
    for (const id of ids) {
      if (this.records.orderByClientId(this.accountId, id)) {
        throw paperError('input', `duplicate client order id ${id}`, { code: 'duplicate_client_order_id' });
      }
    }
  }

  /** Stores and announces an order the market refused. */
  insertRejected(order: PaperOrder, reason: string): void {
    order.status = 'rejected';
    order.brokerStatus = 'REJECTED';
    order.statusMessage = reason;
    this.records.insertOrder(order);
    this.announce(order);
  }
}

/** Throws an input error for a malformed order (nothing is created, like an HTTP 400). */
export function validateOrder(order: PaperOrder, instrument: PaperInstrument): void {
  const fail = (message: string): never => {
    throw paperError('input', `${order.symbol}: ${message}`);
  };
  if (!Number.isInteger(order.quantity) || order.quantity <= 0) fail(`quantity must be a positive integer, got ${order.quantity}`);
  if (order.quantity % instrument.lotSize !== 0) fail(`quantity ${order.quantity} is not a multiple of the lot size ${instrument.lotSize}`);
  if (order.side !== 'buy' && order.side !== 'sell') fail(`unknown side ${String(order.side)}`);
  if (order.timeInForce !== 'day' && order.timeInForce !== 'ioc') fail(`unknown time in force ${String(order.timeInForce)}`);
  const needsLimit = order.type === 'limit' || order.type === 'stop_limit';
  const needsTrigger = order.type === 'stop' || order.type === 'stop_limit' || order.type === 'trailing_stop';
  if (!['market', 'limit', 'stop', 'stop_limit', 'trailing_stop'].includes(order.type)) fail(`unknown order type ${String(order.type)}`);
  if (order.type === 'trailing_stop') {
    const problem = trailProblem(order.trail, instrument.tickSize);
    if (problem) fail(problem);
  }
  for (const [name, price, needed] of [
    ['limit price', order.limitPrice, needsLimit],
    ['trigger price', order.triggerPrice, needsTrigger],
  ] as const) {
    if (price === undefined) {
      if (needed) fail(`${order.type} orders need a ${name}`);
      continue;
    }
    if (!Number.isInteger(price) || price <= 0) fail(`${name} must be a positive integer number of minor units, got ${price}`);
    if (!isOnTick(price, instrument.tickSize)) fail(`${name} ${price} is not on the tick of ${instrument.tickSize}`);
  }
}

/**
 * A working order with a modification applied (a market or limit order has no trigger left to
 * wait for). A trailing stop's stop follows the market: only its quantity can change.
 */
export function changedOrder(order: PaperOrder, change: OrderChange): PaperOrder {
  if (order.type === 'trailing_stop' && (change.triggerPrice !== undefined || change.type !== undefined || change.limitPrice !== undefined)) {
    throw paperError('input', `order ${order.brokerOrderId} is a trailing stop: its stop follows the market; only its quantity can change`);
  }
  const next: PaperOrder = { ...order };
  if (change.type !== undefined) next.type = change.type;
  if (change.quantity !== undefined) next.quantity = change.quantity;
  if (change.limitPrice !== undefined) next.limitPrice = change.limitPrice;
  if (change.triggerPrice !== undefined) next.triggerPrice = change.triggerPrice;
  if (next.type === 'market') delete next.limitPrice;
  if (next.type === 'market' || next.type === 'limit') {
    delete next.triggerPrice;
    next.triggered = true;
  }
  return next;
}
