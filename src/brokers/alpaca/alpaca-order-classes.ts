import { BrokerError } from '../../domain/errors/broker-error.js';
import { formatMinor } from '../../domain/money.js';
import { exitLegClientIds } from '../../domain/order-class.js';
import type { OrderRequest } from '../../domain/order.js';

/**
 * Bracket and OCO orders on Alpaca's wire (`order_class`), and how their exit legs are told
 * apart. Alpaca places the legs itself, with its own order ids and its own `client_order_id`s;
 * ptexec reports them under `<our id>TP` and `<our id>SL` (src/domain/order-class.ts). A leg is
 * known by the parent it is nested under (`legs` of the placement answer, of the stream's parent
 * rows and of `GET /v2/orders?nested=true`) and its role by its type: the take-profit is the
 * limit leg, the stop-loss the stop or stop-limit leg.
 */

export interface AlpacaLinkedFields {
  order_class: 'bracket' | 'oco';
  take_profit: { limit_price: string };
  stop_loss: { stop_price: string; limit_price?: string };
}

/** The fields a bracket or OCO request adds to the placement, or a refusal before anything is sent. */
export function alpacaLinkedFields(request: OrderRequest & { orderClass: 'bracket' | 'oco' }): AlpacaLinkedFields {
  const refuse = (what: string) => new BrokerError('input', `${request.exchange}:${request.symbol}: ${what}`, 'alpaca', { code: 'order_class' });
  const { takeProfit, stopLoss } = request;
  if (!takeProfit || !stopLoss) throw refuse(`a ${request.orderClass} order needs a take-profit limit price and a stop-loss stop price`);
  // Alpaca runs linked orders as day or good-till-cancelled orders only (ptexec sends day orders).
  if (request.timeInForce !== 'day') throw refuse(`a ${request.orderClass} order is a day order on Alpaca, not ${request.timeInForce}`);
  if (request.orderClass === 'bracket' && request.type !== 'market' && request.type !== 'limit') throw refuse(`a bracket entry is a market or limit order, not ${request.type}`);
  if (request.orderClass === 'oco') {
    if (request.type !== 'limit') throw refuse(`an OCO order is sent as its take-profit limit, not as a ${request.type} order`);
    // Alpaca's OCO only closes a position: a buying OCO would cover a short, which ptexec does not hold.
    if (request.side !== 'sell') throw refuse('Alpaca takes OCO orders only to exit a position: sell what the account holds (a buying OCO is refused)');
  }
  const stop: AlpacaLinkedFields['stop_loss'] = { stop_price: formatMinor(stopLoss.triggerPrice) };
  if (stopLoss.limitPrice !== undefined) stop.limit_price = formatMinor(stopLoss.limitPrice);
  return { order_class: request.orderClass, take_profit: { limit_price: formatMinor(takeProfit.limitPrice) }, stop_loss: stop };
}

/** Whether an Alpaca row belongs to a bracket or OCO group (parent or leg). */
export function isLinkedRow(row: { order_class?: string | null }): boolean {
  return row.order_class === 'bracket' || row.order_class === 'oco';
}

/** The client id ptexec reports a leg under: the parent's id with the leg's suffix. */
export function legClientId(parentClientOrderId: string, leg: { type?: string | null; order_type?: string | null }): string {
  const ids = exitLegClientIds(parentClientOrderId);
  return (leg.order_type ?? leg.type) === 'limit' ? ids.takeProfit : ids.stopLoss;
}
