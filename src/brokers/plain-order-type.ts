import { BrokerError } from '../domain/errors/broker-error.js';
import type { OrderType } from '../domain/order.js';

/** The order types every adapter maps one to one onto its wire. */
export type PlainOrderType = Exclude<OrderType, 'trailing_stop'>;

/**
 * The order type of a request for an adapter that runs no trailing stops. Its capabilities do not
 * list `trailing_stop`, so the planner refuses such legs before a run; this is the adapter's own
 * guard, naming the broker, should one reach it anyway.
 */
export function plainOrderType(type: OrderType, broker: string): PlainOrderType {
  if (type === 'trailing_stop') throw new BrokerError('input', `${broker} does not take trailing-stop orders; use a stop, or a broker whose capabilities list trailing_stop`, broker, { code: 'order_type' });
  return type;
}
