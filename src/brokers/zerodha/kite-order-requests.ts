import { BrokerError } from '../../domain/errors/broker-error.js';
import { formatMinor } from '../../domain/money.js';
import type { OrderRequest } from '../../domain/order.js';
import type { OrderChange } from '../broker.js';
import { kiteOrderType } from './kite-mapping.js';

/**
 * Kite discontinued bracket orders (variety `bo`) for equity, and its regular order API has no
 * one-cancels-other. Its GTT "two-leg" trigger is not an order: it carries no tag, so it cannot
 * be found by our client order id after an unknown outcome, it does not appear in the order book
 * until it fires, and it fires on the last traded price into a fresh order. Such requests are
 * refused before anything is sent, and `capabilities.orderClasses` lists neither class.
 */
export function refuseUnsupportedOrderClass(request: OrderRequest): void {
  const orderClass = request.orderClass ?? 'simple';
  if (orderClass === 'bracket') {
    throw new BrokerError('input', 'Kite does not support bracket orders for equity; place the entry, then its exits as separate orders', 'zerodha', { code: 'unsupported_order_class' });
  }
  if (orderClass === 'oco') {
    throw new BrokerError('input', 'Kite does not support OCO orders on its order API (GTT two-leg triggers are not orders and carry no tag); place the exits as separate orders', 'zerodha', { code: 'unsupported_order_class' });
  }
  if (orderClass !== 'simple') throw new BrokerError('input', `unknown order class ${String(orderClass)}`, 'zerodha', { code: 'unsupported_order_class' });
  if (request.takeProfit !== undefined || request.stopLoss !== undefined) {
    throw new BrokerError('input', 'take-profit and stop-loss legs need a bracket or OCO order, which Kite does not support', 'zerodha', { code: 'unsupported_order_class' });
  }
}

/**
 * The form of `PUT /orders/{variety}/{id}`: only the fields that change. An order turned into a
 * market or stop order needs market protection again, as at placement.
 */
export function kiteModifyForm(change: OrderChange, marketProtection: number): Record<string, string | number | undefined> {
  const form: Record<string, string | number | undefined> = {
    quantity: change.quantity,
    price: change.limitPrice !== undefined ? formatMinor(change.limitPrice) : undefined,
    trigger_price: change.triggerPrice !== undefined ? formatMinor(change.triggerPrice) : undefined,
    order_type: change.type ? kiteOrderType(change.type) : undefined,
  };
  if (change.type === 'market' || change.type === 'stop') form.market_protection = marketProtection;
  return form;
}
