import type { BrokerOrder, BrokerTrade } from '../broker.js';
import type { PaperOrder, PaperTradeRow } from './paper-records.js';

/** What a client sees of a paper order: the Broker contract's fields, nothing of the book's. */
export function toBrokerOrder(o: PaperOrder): BrokerOrder {
  const order: BrokerOrder = {
    brokerOrderId: o.brokerOrderId,
    symbol: o.symbol,
    exchange: o.exchange,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
    averagePrice: o.filledQuantity > 0 ? o.filledValue / o.filledQuantity : 0,
    status: o.status,
    brokerStatus: o.brokerStatus,
    updatedAt: o.updatedAt,
  };
  if (o.clientOrderId !== undefined) order.clientOrderId = o.clientOrderId;
  if (o.limitPrice !== undefined) order.limitPrice = o.limitPrice;
  if (o.statusMessage !== undefined) order.statusMessage = o.statusMessage;
  return order;
}

export function toBrokerTrade(t: PaperTradeRow): BrokerTrade {
  const trade: BrokerTrade = {
    tradeId: t.tradeId,
    brokerOrderId: t.brokerOrderId,
    symbol: t.symbol,
    exchange: t.exchange,
    side: t.side,
    quantity: t.quantity,
    price: t.price,
    ts: t.ts,
  };
  if (t.clientOrderId !== undefined) trade.clientOrderId = t.clientOrderId;
  return trade;
}
