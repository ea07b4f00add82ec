import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import type { OrderRequest, OrderStatus, OrderType } from '../../domain/order.js';
import { exchangeLocalTime, formatExchangeTime, tradingDate } from '../../market/exchange-time.js';
import { EXCHANGE_TIME_ZONES, fromLocalMs } from '../../market/time-zone.js';
import type { BrokerOrder, BrokerTrade, OrderChange } from '../broker.js';
import { ANGEL_ORDER_TAG } from './wire.js';
import { type PlainOrderType, plainOrderType } from '../plain-order-type.js';

/** SmartAPI sends numbers as strings or as numbers, depending on the endpoint and the field. */
export type WireNumber = string | number | null | undefined;

/** An order as SmartAPI reports it (order book, order details). */
export interface AngelOrder {
  orderid: string;
  uniqueorderid?: string;
  variety?: string;
  ordertype: string;
  producttype?: string;
  duration?: string;
  price?: WireNumber;
  triggerprice?: WireNumber;
  quantity: WireNumber;
  disclosedquantity?: WireNumber;
  tradingsymbol: string;
  symboltoken?: string;
  transactiontype: string;
  exchange: string;
  ordertag?: string | null;
  averageprice?: WireNumber;
  filledshares?: WireNumber;
  unfilledshares?: WireNumber;
  cancelsize?: WireNumber;
  status?: string;
  orderstatus: string;
  text?: string | null;
  updatetime?: string | null;
  exchtime?: string | null;
  exchorderupdatetime?: string | null;
}

export interface AngelTrade {
  orderid: string;
  fillid: string;
  exchange: string;
  tradingsymbol: string;
  producttype?: string;
  transactiontype: string;
  fillprice: WireNumber;
  fillsize: WireNumber;
  filltime?: string | null;
}

/**
 * A decimal as SmartAPI writes it ("1500.1000", 1500.1, "-12.5") → paise, exactly: the string is
 * scaled by moving the decimal point, never multiplied as a float. Fractions of a paisa are kept
 * (an average price may have them).
 */
export function decimalToPaise(value: WireNumber): number {
  if (value === null || value === undefined || value === '') return 0;
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) {
    const n = Number(text);
    if (!Number.isFinite(n)) throw new BrokerError('protocol', `not a number: "${text}"`, 'angelone');
    return Number((n * 100).toFixed(4));
  }
  const [, sign, whole = '', frac = ''] = m;
  const digits = `${whole || '0'}${frac.padEnd(2, '0').slice(0, 2)}`;
  const rest = frac.slice(2).replace(/0+$/, '');
  const paise = Number(digits) + (rest ? Number(`0.${rest}`) : 0);
  return sign === '-' ? -paise : paise;
}

/** A quantity field ("10", 10) → an integer. */
export function wireInteger(value: WireNumber): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new BrokerError('protocol', `not a whole quantity: "${String(value)}"`, 'angelone');
  return n;
}

const ANGEL_ZONE = EXCHANGE_TIME_ZONES.NSE;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** SmartAPI's "03-Dec-2026 10:15:02" (IST) → epoch ms; a bare "10:15:02" is on today's IST date; undefined when absent or malformed. */
export function parseAngelTime(text: string | null | undefined, now: number): number | undefined {
  if (!text) return undefined;
  const full = /^(\d{2})-([A-Za-z]{3})-(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (full) {
    const month = MONTHS.indexOf(full[2]!.toUpperCase());
    if (month < 0) return undefined;
    return fromLocalMs(ANGEL_ZONE, Date.UTC(Number(full[3]), month, Number(full[1]), Number(full[4]), Number(full[5]), Number(full[6])));
  }
  const clock = /^(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (clock) return exchangeLocalTime('NSE', now, Number(clock[1]) * 60 + Number(clock[2]) + Number(clock[3]) / 60);
  return undefined;
}

/** Epoch ms → SmartAPI's "03-Dec-2026 10:15:02" (IST). */
export function formatAngelTime(ms: number): string {
  const [date, time] = formatExchangeTime('NSE', ms).split(' ') as [string, string];
  const [y, mo, d] = date.split('-') as [string, string, string];
  const month = MONTHS[Number(mo) - 1]!;
  return `${d}-${month[0]}${month.slice(1).toLowerCase()}-${y} ${time}`;
}

/** The IST calendar date: SmartAPI's trading day and the instrument master's. */
export function istDate(ms: number): string {
  return tradingDate('NSE', ms);
}

/**
 * Every `orderstatus` word of SmartAPI with ours. Confirmed in use: open, complete, cancelled,
 * rejected, trigger pending, open pending, validation pending, put order req received, modify
 * pending, cancel pending, after market order req received (SmartAPI forum and documentation
 * samples). UNVERIFIED: the others, taken from the order-update stream's status table as
 * remembered (modified, modify validation pending, modify order req received, cancelled after
 * market order, modify after market order req received, not modified, not cancelled).
 */
export const ANGEL_STATUSES: readonly { broker: string; ours: OrderStatus }[] = [
  { broker: 'put order req received', ours: 'accepted' },
  { broker: 'validation pending', ours: 'accepted' },
  { broker: 'open pending', ours: 'accepted' },
  { broker: 'after market order req received', ours: 'accepted' },
  { broker: 'open', ours: 'accepted' },
  { broker: 'trigger pending', ours: 'accepted' },
  { broker: 'modified', ours: 'accepted' },
  { broker: 'not modified', ours: 'accepted' },
  { broker: 'not cancelled', ours: 'accepted' },
  { broker: 'modify validation pending', ours: 'pending_replace' },
  { broker: 'modify pending', ours: 'pending_replace' },
  { broker: 'modify order req received', ours: 'pending_replace' },
  { broker: 'modify after market order req received', ours: 'pending_replace' },
  { broker: 'cancel pending', ours: 'pending_cancel' },
  { broker: 'complete', ours: 'filled' },
  { broker: 'cancelled', ours: 'cancelled' },
  { broker: 'cancelled after market order', ours: 'cancelled' },
  { broker: 'rejected', ours: 'rejected' },
];

const STATUS_BY_WORD = new Map(ANGEL_STATUSES.map((s) => [s.broker, s.ours]));

/**
 * SmartAPI status → our state machine. A live order with fills is `partially_filled` (the book
 * still says "open"); a cancelled order keeps its fills in `filledQuantity`.
 */
export function mapAngelStatus(word: string, filled: number, quantity: number): OrderStatus {
  const ours = STATUS_BY_WORD.get(word.trim().toLowerCase());
  if (!ours) throw new BrokerError('protocol', `unknown Angel One order status "${word}"`, 'angelone', { code: word });
  if (ours === 'accepted') {
    if (filled >= quantity && quantity > 0) return 'filled';
    return filled > 0 ? 'partially_filled' : 'accepted';
  }
  return ours;
}

const ORDER_TYPE_FROM_ANGEL: Record<string, OrderType> = { MARKET: 'market', LIMIT: 'limit', STOPLOSS_LIMIT: 'stop_limit', STOPLOSS_MARKET: 'stop' };
const ORDER_TYPE_TO_ANGEL: Record<PlainOrderType, string> = { market: 'MARKET', limit: 'LIMIT', stop_limit: 'STOPLOSS_LIMIT', stop: 'STOPLOSS_MARKET' };

export function angelOrderType(type: OrderType): string {
  return ORDER_TYPE_TO_ANGEL[plainOrderType(type, 'angelone')];
}

export function toExchange(exchange: string): Exchange | undefined {
  return exchange === 'NSE' || exchange === 'BSE' ? exchange : undefined;
}

/** SmartAPI names NSE cash equities by symbol and series ("SBIN-EQ"); BSE ones by symbol alone. */
export function angelTradingSymbol(exchange: Exchange, symbol: string): string {
  return exchange === 'NSE' ? `${symbol}-EQ` : symbol;
}

/** "SBIN-EQ" on NSE → "SBIN"; another NSE series is not an equity ptexec trades (undefined). */
export function ourSymbol(exchange: Exchange, tradingsymbol: string): string | undefined {
  if (exchange === 'BSE') return tradingsymbol;
  return tradingsymbol.endsWith('-EQ') ? tradingsymbol.slice(0, -3) : undefined;
}

export function mapAngelOrder(o: AngelOrder, now: number): BrokerOrder | undefined {
  const exchange = toExchange(o.exchange);
  const type = ORDER_TYPE_FROM_ANGEL[o.ordertype];
  const symbol = exchange ? ourSymbol(exchange, o.tradingsymbol) : undefined;
  if (!exchange || !type || !symbol) return undefined;
  const quantity = wireInteger(o.quantity);
  const filled = wireInteger(o.filledshares);
  const order: BrokerOrder = {
    brokerOrderId: String(o.orderid),
    symbol,
    exchange,
    side: o.transactiontype === 'SELL' ? 'sell' : 'buy',
    type,
    quantity,
    filledQuantity: filled,
    averagePrice: decimalToPaise(o.averageprice),
    status: mapAngelStatus(o.orderstatus, filled, quantity),
    brokerStatus: o.orderstatus,
    updatedAt: parseAngelTime(o.exchorderupdatetime, now) ?? parseAngelTime(o.updatetime, now) ?? now,
  };
  if (o.ordertag) order.clientOrderId = o.ordertag;
  const price = decimalToPaise(o.price);
  if (price > 0 && (type === 'limit' || type === 'stop_limit')) order.limitPrice = price;
  if (o.text) order.statusMessage = o.text;
  return order;
}

export function mapAngelTrade(t: AngelTrade, clientOrderId: string | undefined, now: number): BrokerTrade | undefined {
  const exchange = toExchange(t.exchange);
  const symbol = exchange ? ourSymbol(exchange, t.tradingsymbol) : undefined;
  if (!exchange || !symbol) return undefined;
  const trade: BrokerTrade = {
    tradeId: String(t.fillid),
    brokerOrderId: String(t.orderid),
    symbol,
    exchange,
    side: t.transactiontype === 'SELL' ? 'sell' : 'buy',
    quantity: wireInteger(t.fillsize),
    price: Math.round(decimalToPaise(t.fillprice)),
    ts: parseAngelTime(t.filltime, now) ?? now,
  };
  if (clientOrderId) trade.clientOrderId = clientOrderId;
  return trade;
}

export interface AngelPlacementSettings {
  deliveryProduct: string;
  intradayProduct: string;
}

/** The body of `placeOrder`: every number a string, prices in rupees. */
export type AngelOrderBody = Record<string, string>;

/**
 * Our order request → SmartAPI's placeOrder body. Refuses (BrokerError 'input', nothing sent)
 * what SmartAPI would refuse: a tag it cannot carry, missing prices, an unknown instrument token.
 * Stop orders go in the STOPLOSS variety, after-market orders in AMO.
 */
export function angelPlacement(req: OrderRequest, symboltoken: string, settings: AngelPlacementSettings): AngelOrderBody {
  const refuse = (why: string) => new BrokerError('input', `order ${req.clientOrderId}: ${why}`, 'angelone', { code: 'validation' });
  if (!ANGEL_ORDER_TAG.test(req.clientOrderId)) throw refuse('client order id must be 1–20 letters or digits to be an Angel One ordertag');
  if (!Number.isInteger(req.quantity) || req.quantity <= 0) throw refuse(`quantity must be a positive integer, got ${req.quantity}`);
  const needsPrice = req.type === 'limit' || req.type === 'stop_limit';
  const needsTrigger = req.type === 'stop' || req.type === 'stop_limit';
  if (needsPrice && !(req.limitPrice && req.limitPrice > 0)) throw refuse(`${req.type} order needs a limit price`);
  if (needsTrigger && !(req.triggerPrice && req.triggerPrice > 0)) throw refuse(`${req.type} order needs a trigger price`);
  const body: AngelOrderBody = {
    variety: req.afterMarket ? 'AMO' : needsTrigger ? 'STOPLOSS' : 'NORMAL',
    tradingsymbol: angelTradingSymbol(req.exchange, req.symbol),
    symboltoken,
    transactiontype: req.side === 'buy' ? 'BUY' : 'SELL',
    exchange: req.exchange,
    ordertype: angelOrderType(req.type),
    producttype: req.product === 'delivery' ? settings.deliveryProduct : settings.intradayProduct,
    duration: req.timeInForce === 'ioc' ? 'IOC' : 'DAY',
    price: needsPrice ? formatMinor(req.limitPrice!) : '0',
    squareoff: '0',
    stoploss: '0',
    quantity: String(req.quantity),
    ordertag: req.clientOrderId,
  };
  if (needsTrigger) body.triggerprice = formatMinor(req.triggerPrice!);
  if (req.displayQuantity !== undefined && req.displayQuantity < req.quantity) {
    if (!(req.displayQuantity > 0)) throw refuse(`display quantity must be positive, got ${req.displayQuantity}`);
    body.disclosedquantity = String(req.displayQuantity);
  }
  return body;
}

/**
 * The body of `modifyOrder`: SmartAPI wants the whole order again (variety, type, product,
 * duration, symbol and token), with the change applied.
 */
export function angelModification(current: AngelOrder, change: OrderChange): AngelOrderBody {
  const ordertype = change.type ? angelOrderType(change.type) : current.ordertype;
  const price = change.limitPrice !== undefined ? formatMinor(change.limitPrice) : ordertype === 'MARKET' || ordertype === 'STOPLOSS_MARKET' ? '0' : formatMinor(decimalToPaise(current.price));
  const body: AngelOrderBody = {
    variety: current.variety ?? 'NORMAL',
    orderid: String(current.orderid),
    ordertype,
    producttype: current.producttype ?? 'DELIVERY',
    duration: current.duration ?? 'DAY',
    price,
    quantity: String(change.quantity ?? wireInteger(current.quantity)),
    tradingsymbol: current.tradingsymbol,
    symboltoken: current.symboltoken ?? '',
    exchange: current.exchange,
  };
  const trigger = change.triggerPrice ?? (decimalToPaise(current.triggerprice) || undefined);
  if (trigger !== undefined && (ordertype === 'STOPLOSS_LIMIT' || ordertype === 'STOPLOSS_MARKET')) body.triggerprice = formatMinor(trigger);
  return body;
}
