import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import { fromLocalMs, EXCHANGE_TIME_ZONES } from '../../market/time-zone.js';
import type { BrokerOrder, BrokerTrade, OrderChange } from '../broker.js';
import { rupeesToMinor } from '../http/rupees.js';
import { FYERS_ORDER_TYPE, FYERS_SIDE, FYERS_STATUS, FYERS_TAG } from './wire-facts.js';
import { plainOrderType } from '../plain-order-type.js';

/** An order of `GET /orders` (`orderBook[]`). */
export interface FyersOrder {
  id: string;
  symbol: string;
  qty: number;
  filledQty?: number;
  remainingQuantity?: number;
  limitPrice?: number;
  stopPrice?: number;
  tradedPrice?: number;
  type: number;
  side: number;
  status: number;
  productType?: string;
  message?: string;
  orderDateTime?: string;
  orderTag?: string;
  exchOrdId?: string;
}

/** A trade of `GET /tradebook` (`tradeBook[]`). */
export interface FyersTrade {
  tradeNumber: string;
  orderNumber: string;
  symbol: string;
  side: number;
  tradedQty: number;
  tradePrice: number;
  orderDateTime?: string;
  orderTag?: string;
}

/** How ptexec names an instrument that Fyers names `NSE:SBIN-EQ`. */
export interface SymbolNames {
  ours(ticker: string): { symbol: string; exchange: Exchange } | undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Fyers' "11-Apr-2023 10:14:32" (IST) → epoch ms; undefined when absent or malformed. */
export function parseFyersTime(text: string | undefined): number | undefined {
  const m = /^(\d{2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '');
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[2]!);
  if (month < 0) return undefined;
  return fromLocalMs(EXCHANGE_TIME_ZONES.NSE, Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/**
 * The book's `orderTag` as we sent it. Orders placed without a tag read "2:Untagged", and some
 * books prefix the tag with its source ("1:R1L1C1") [unverified]: the prefix is not ours.
 */
export function tagOf(orderTag: string | undefined): string | undefined {
  if (!orderTag) return undefined;
  const tag = orderTag.replace(/^\d+:/, '');
  return tag && tag !== 'Untagged' ? tag : undefined;
}

/** Fyers status code → ours; a live order with fills is `partially_filled`. */
export function mapFyersStatus(code: number, filled: number, quantity: number): OrderStatus {
  const known = FYERS_STATUS[code];
  if (!known) throw new BrokerError('protocol', `unknown Fyers order status ${code}`, 'fyers', { code: String(code) });
  if (known.ours !== 'accepted') return known.ours;
  if (filled >= quantity && quantity > 0) return 'filled';
  return filled > 0 ? 'partially_filled' : 'accepted';
}

const TYPE_FROM_FYERS: Record<number, OrderType> = { 1: 'limit', 2: 'market', 3: 'stop', 4: 'stop_limit' };

export function mapFyersOrder(o: FyersOrder, names: SymbolNames, fallbackTs: number): BrokerOrder | undefined {
  const instrument = names.ours(o.symbol);
  const type = TYPE_FROM_FYERS[o.type];
  if (!instrument || !type) return undefined;
  const filled = o.filledQty ?? 0;
  const order: BrokerOrder = {
    brokerOrderId: String(o.id),
    symbol: instrument.symbol,
    exchange: instrument.exchange,
    side: o.side === FYERS_SIDE.sell ? 'sell' : 'buy',
    type,
    quantity: o.qty,
    filledQuantity: filled,
    averagePrice: filled > 0 ? rupeesToMinor(o.tradedPrice) : 0,
    status: mapFyersStatus(o.status, filled, o.qty),
    brokerStatus: FYERS_STATUS[o.status]!.word,
    updatedAt: parseFyersTime(o.orderDateTime) ?? fallbackTs,
  };
  const tag = tagOf(o.orderTag);
  if (tag) order.clientOrderId = tag;
  if (o.limitPrice) order.limitPrice = rupeesToMinor(o.limitPrice);
  if (o.message) order.statusMessage = o.message;
  return order;
}

export function mapFyersTrade(t: FyersTrade, names: SymbolNames, fallbackTs: number): BrokerTrade | undefined {
  const instrument = names.ours(t.symbol);
  if (!instrument) return undefined;
  const trade: BrokerTrade = {
    tradeId: String(t.tradeNumber),
    brokerOrderId: String(t.orderNumber),
    symbol: instrument.symbol,
    exchange: instrument.exchange,
    side: t.side === FYERS_SIDE.sell ? 'sell' : 'buy',
    quantity: t.tradedQty,
    price: Math.round(rupeesToMinor(t.tradePrice)),
    ts: parseFyersTime(t.orderDateTime) ?? fallbackTs,
  };
  const tag = tagOf(t.orderTag);
  if (tag) trade.clientOrderId = tag;
  return trade;
}

/** Paise → the rupee number Fyers' JSON carries (exact to the paisa). */
export function rupees(minor: number): number {
  return Number(formatMinor(minor));
}

export interface FyersProducts {
  delivery: string;
  intraday: string;
}

/**
 * Our order request → the body of `POST /orders/sync`, every documented field present (the
 * documentation's example sends zeros and false rather than leaving them out).
 */
export function fyersPlacement(req: OrderRequest, ticker: string, products: FyersProducts): Record<string, unknown> {
  checkFyersOrder(req);
  const needsPrice = req.type === 'limit' || req.type === 'stop_limit';
  const needsTrigger = req.type === 'stop' || req.type === 'stop_limit';
  return {
    symbol: ticker,
    qty: req.quantity,
    type: FYERS_ORDER_TYPE[plainOrderType(req.type, 'fyers')],
    side: FYERS_SIDE[req.side],
    productType: req.product === 'delivery' ? products.delivery : products.intraday,
    limitPrice: needsPrice ? rupees(req.limitPrice!) : 0,
    stopPrice: needsTrigger ? rupees(req.triggerPrice!) : 0,
    validity: req.timeInForce === 'ioc' ? 'IOC' : 'DAY',
    disclosedQty: req.displayQuantity !== undefined && req.displayQuantity < req.quantity ? req.displayQuantity : 0,
    offlineOrder: req.afterMarket === true,
    stopLoss: 0,
    takeProfit: 0,
    orderTag: req.clientOrderId,
  };
}

/** Refuses (BrokerError 'input', nothing sent) what Fyers would refuse or ptexec cannot express there. */
export function checkFyersOrder(req: OrderRequest): void {
  const refuse = (why: string) => new BrokerError('input', `order ${req.clientOrderId}: ${why}`, 'fyers', { code: 'validation' });
  if (req.orderClass && req.orderClass !== 'simple') throw refuse(`Fyers has no ${req.orderClass} orders in ptexec; place the legs as simple orders`);
  if (!FYERS_TAG.test(req.clientOrderId)) throw refuse('client order id must be 1–20 letters or digits to be a Fyers orderTag');
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw refuse(`quantity must be a positive integer, got ${req.quantity}`);
  if ((req.type === 'limit' || req.type === 'stop_limit') && !(req.limitPrice && req.limitPrice > 0)) throw refuse(`${req.type} order needs a limit price`);
  if ((req.type === 'stop' || req.type === 'stop_limit') && !(req.triggerPrice && req.triggerPrice > 0)) throw refuse(`${req.type} order needs a trigger price`);
}

/** The body of `PATCH /orders/sync`: the order id and only what changes. */
export function fyersModification(brokerOrderId: string, change: OrderChange): Record<string, unknown> {
  const body: Record<string, unknown> = { id: brokerOrderId };
  if (change.quantity !== undefined) body.qty = change.quantity;
  if (change.type !== undefined) body.type = FYERS_ORDER_TYPE[plainOrderType(change.type, 'fyers')];
  if (change.limitPrice !== undefined) body.limitPrice = rupees(change.limitPrice);
  if (change.triggerPrice !== undefined) body.stopPrice = rupees(change.triggerPrice);
  return body;
}
