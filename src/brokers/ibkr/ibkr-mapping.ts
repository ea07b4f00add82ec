import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { toMajor } from '../../domain/money.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import type { BrokerOrder, BrokerTrade, OrderChange } from '../broker.js';
import { IBKR_COID, IBKR_STATUSES } from './wire-facts.js';
import { type PlainOrderType, plainOrderType } from '../plain-order-type.js';

/** An order as the gateway reports it (order book, `sor` WebSocket updates — those may carry only what changed). */
export interface IbkrOrderRow {
  orderId: number | string;
  acct?: string;
  conid?: number;
  ticker?: string;
  listingExchange?: string;
  side?: string;
  orderType?: string;
  origOrderType?: string;
  totalSize?: number;
  filledQuantity?: number;
  remainingQuantity?: number;
  avgPrice?: string | number;
  price?: string | number;
  auxPrice?: string | number;
  status?: string;
  order_ccp_status?: string;
  order_ref?: string;
  timeInForce?: string;
  lastExecutionTime_r?: number;
  /** unverified: the reason of a rejection. */
  text?: string;
}

/** One execution as `/iserver/account/trades` and the `str` WebSocket topic report it. */
export interface IbkrTradeRow {
  execution_id: string;
  order_ref?: string;
  /** Present in some gateway versions; otherwise the order is found by `order_ref`. */
  order_id?: number | string;
  conid?: number;
  symbol?: string;
  side: string;
  size: number | string;
  price: string | number;
  trade_time_r?: number;
  listing_exchange?: string;
}

/** The body of one order in `POST /iserver/account/{acct}/orders` (and of a modify). */
export interface IbkrPlacement {
  acctId: string;
  conid: number;
  cOID: string;
  orderType: 'MKT' | 'LMT' | 'STP' | 'STOP_LIMIT';
  side: 'BUY' | 'SELL';
  quantity: number;
  tif: 'DAY' | 'IOC';
  listingExchange: 'SMART';
  outsideRTH: boolean;
  price?: number;
  auxPrice?: number;
}

/** Dollars (a number or a decimal string, possibly prefixed `C` for a closing price) → cents, keeping a fractional part for averages. */
export function dollarsToMinor(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = typeof value === 'number' ? value : Number(String(value).replace(/^[A-Z]+/, '').replace(/,/g, ''));
  return Number.isFinite(n) ? Number((n * 100).toFixed(4)) : 0;
}

/**
 * The exchange ptexec names a US listing by: NASDAQ's markets are NASDAQ; every other US listing
 * (NYSE, NYSE Arca, NYSE American, Cboe) is named NYSE, whose calendar they share.
 */
export function usExchange(listing: string | undefined): Exchange | undefined {
  if (!listing) return undefined;
  return /^NASDAQ/i.test(listing) ? 'NASDAQ' : 'NYSE';
}

/** IBKR's status word (or `order_ccp_status`) → ours; a live order with fills is `partially_filled`. */
export function mapIbkrStatus(word: string, filled: number, quantity: number): OrderStatus {
  const ours = IBKR_STATUSES[word];
  if (!ours) throw new BrokerError('protocol', `unknown IBKR order status "${word}"`, 'ibkr', { code: word });
  if (ours !== 'accepted') return ours;
  if (filled >= quantity && quantity > 0) return 'filled';
  return filled > 0 ? 'partially_filled' : 'accepted';
}

const TYPE_FROM_IBKR: Record<string, OrderType> = {
  MARKET: 'market',
  MKT: 'market',
  LIMIT: 'limit',
  LMT: 'limit',
  STOP: 'stop',
  STP: 'stop',
  STOP_LIMIT: 'stop_limit',
  STOPLIMIT: 'stop_limit',
};
const TYPE_TO_IBKR: Record<PlainOrderType, IbkrPlacement['orderType']> = { market: 'MKT', limit: 'LMT', stop: 'STP', stop_limit: 'STOP_LIMIT' };

function orderTypeOf(row: IbkrOrderRow): OrderType | undefined {
  const word = (row.origOrderType ?? row.orderType ?? '').toUpperCase().replace(/[\s-]+/g, '_');
  return TYPE_FROM_IBKR[word] ?? TYPE_FROM_IBKR[word.replace(/_/g, '')];
}

export function mapIbkrOrder(row: IbkrOrderRow, fallbackTs: number): BrokerOrder | undefined {
  const exchange = usExchange(row.listingExchange);
  const type = orderTypeOf(row);
  const word = row.status ?? row.order_ccp_status;
  if (!exchange || !type || !row.ticker || !word) return undefined;
  const filled = Number(row.filledQuantity ?? 0);
  const quantity = Number(row.totalSize ?? filled + Number(row.remainingQuantity ?? 0));
  const order: BrokerOrder = {
    brokerOrderId: String(row.orderId),
    symbol: row.ticker,
    exchange,
    side: row.side?.toUpperCase().startsWith('S') ? 'sell' : 'buy',
    type,
    quantity,
    filledQuantity: filled,
    averagePrice: dollarsToMinor(row.avgPrice),
    status: mapIbkrStatus(word, filled, quantity),
    brokerStatus: word,
    updatedAt: row.lastExecutionTime_r ?? fallbackTs,
  };
  if (row.order_ref) order.clientOrderId = row.order_ref;
  const limit = type === 'limit' || type === 'stop_limit' ? Math.round(dollarsToMinor(row.price)) : 0;
  if (limit > 0) order.limitPrice = limit;
  if (row.text) order.statusMessage = row.text;
  return order;
}

export function mapIbkrTrade(t: IbkrTradeRow, brokerOrderId: string, fallbackTs: number): BrokerTrade | undefined {
  const exchange = usExchange(t.listing_exchange);
  if (!exchange || !t.symbol) return undefined;
  const trade: BrokerTrade = {
    tradeId: t.execution_id,
    brokerOrderId,
    symbol: t.symbol,
    exchange,
    side: t.side.toUpperCase().startsWith('S') ? 'sell' : 'buy',
    quantity: Number(t.size),
    price: Math.round(dollarsToMinor(t.price)),
    ts: t.trade_time_r ?? fallbackTs,
  };
  if (t.order_ref) trade.clientOrderId = t.order_ref;
  return trade;
}

/**
 * Our order request → one IBKR order ticket, routed SMART in USD. Refuses (BrokerError 'input',
 * nothing sent) what IBKR would refuse or what ptexec does not ask of it: a bad cOID, missing
 * prices, a linked order class. For a stop order `price` is the stop; for a stop-limit `price`
 * is the limit and `auxPrice` the stop (unverified: IBKR's reference names them so).
 */
export function ibkrPlacement(req: OrderRequest, account: string, conid: number): IbkrPlacement {
  const refuse = (why: string) => new BrokerError('input', `order ${req.clientOrderId}: ${why}`, 'ibkr', { code: 'validation' });
  const orderClass = req.orderClass ?? 'simple';
  if (orderClass !== 'simple' || req.takeProfit !== undefined || req.stopLoss !== undefined) {
    throw new BrokerError('input', `ptexec does not send IBKR ${orderClass === 'simple' ? 'take-profit/stop-loss legs' : `${orderClass} orders`}; place the exits as separate orders`, 'ibkr', { code: 'unsupported_order_class' });
  }
  if (!IBKR_COID.test(req.clientOrderId)) throw refuse('client order id must be 1–40 letters, digits, "-", "_" or "." to be an IBKR cOID');
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw refuse(`quantity must be a positive integer, got ${req.quantity}`);
  const needsPrice = req.type === 'limit' || req.type === 'stop_limit';
  const needsTrigger = req.type === 'stop' || req.type === 'stop_limit';
  if (needsPrice && !(req.limitPrice && req.limitPrice > 0)) throw refuse(`${req.type} order needs a limit price`);
  if (needsTrigger && !(req.triggerPrice && req.triggerPrice > 0)) throw refuse(`${req.type} order needs a trigger price`);
  const body: IbkrPlacement = {
    acctId: account,
    conid,
    cOID: req.clientOrderId,
    orderType: TYPE_TO_IBKR[plainOrderType(req.type, 'ibkr')],
    side: req.side === 'buy' ? 'BUY' : 'SELL',
    quantity: req.quantity,
    tif: req.timeInForce === 'ioc' ? 'IOC' : 'DAY',
    listingExchange: 'SMART',
    outsideRTH: false,
  };
  if (req.type === 'limit') body.price = toMajor(req.limitPrice!);
  if (req.type === 'stop') body.price = toMajor(req.triggerPrice!);
  if (req.type === 'stop_limit') {
    body.price = toMajor(req.limitPrice!);
    body.auxPrice = toMajor(req.triggerPrice!);
  }
  return body;
}

/** A modify restates the whole ticket as placed, with the changed fields. */
export function ibkrModifyBody(placed: IbkrPlacement, change: OrderChange): IbkrPlacement {
  const type = change.type ? TYPE_TO_IBKR[plainOrderType(change.type, 'ibkr')] : placed.orderType;
  const body: IbkrPlacement = { ...placed, orderType: type, quantity: change.quantity ?? placed.quantity };
  delete body.price;
  delete body.auxPrice;
  const limit = change.limitPrice !== undefined ? toMajor(change.limitPrice) : placed.orderType === 'STP' ? undefined : placed.price;
  const stop = change.triggerPrice !== undefined ? toMajor(change.triggerPrice) : placed.orderType === 'STP' ? placed.price : placed.auxPrice;
  if (type === 'LMT' && limit !== undefined) body.price = limit;
  if (type === 'STP' && stop !== undefined) body.price = stop;
  if (type === 'STOP_LIMIT') {
    if (limit !== undefined) body.price = limit;
    if (stop !== undefined) body.auxPrice = stop;
  }
  return body;
}

/** The ticket an order was placed with, rebuilt from its row when the adapter did not place it itself. */
export function placementFromRow(row: IbkrOrderRow, account: string): IbkrPlacement | undefined {
  const type = orderTypeOf(row);
  if (!type || row.conid === undefined) return undefined;
  const body: IbkrPlacement = {
    acctId: account,
    conid: Number(row.conid),
    cOID: row.order_ref ?? '',
    orderType: TYPE_TO_IBKR[plainOrderType(type, 'ibkr')],
    side: row.side?.toUpperCase().startsWith('S') ? 'SELL' : 'BUY',
    quantity: Number(row.totalSize ?? 0),
    tif: row.timeInForce?.toUpperCase() === 'IOC' ? 'IOC' : 'DAY',
    listingExchange: 'SMART',
    outsideRTH: false,
  };
  // The book shows a limit as `price` and a stop as `auxPrice`; a stop order's ticket carries its stop as `price`.
  if ((type === 'limit' || type === 'stop_limit') && row.price !== undefined) body.price = dollarsToMinor(row.price) / 100;
  if (type === 'stop' && row.auxPrice !== undefined) body.price = dollarsToMinor(row.auxPrice) / 100;
  if (type === 'stop_limit' && row.auxPrice !== undefined) body.auxPrice = dollarsToMinor(row.auxPrice) / 100;
  return body;
}
