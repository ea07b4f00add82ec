import { input, KiteEmulatorError } from './kite-error.js';

/**
 * The emulator's account and market: instruments with quotes, the order book with Kite's status
 * progression, a simple matcher against the quotes (partial then complete fills), trades,
 * holdings with T1 quantity, and cash. Money is kept in paise; the wire speaks rupees.
 *
 * Holdings and positions follow Kite's day: a delivery (CNC) trade changes no holding on the day
 * it is made. It is a position (`net` and `day`): a buy positive, a sale of held shares negative,
 * and those held shares stay in the holdings with `used_quantity` until the day ends. `nextDay()`
 * ends the day: T1 settles, today's buys become T1 holdings, sold shares leave, and the positions,
 * trades and order book start empty.
 */
export interface EmulatedInstrument {
  token: number;
  symbol: string;
  exchange: 'NSE' | 'BSE';
  name: string;
  /** Paise. */
  tick: number;
  lot: number;
  bid: number;
  ask: number;
  last: number;
  close: number;
  volume: number;
}

export interface EmulatedOrder {
  order_id: string;
  exchange_order_id: string | null;
  parent_order_id: null;
  status: string;
  status_message: string | null;
  order_timestamp: string;
  exchange_timestamp: string | null;
  variety: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  order_type: string;
  transaction_type: 'BUY' | 'SELL';
  validity: string;
  product: string;
  quantity: number;
  disclosed_quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  filled_quantity: number;
  pending_quantity: number;
  cancelled_quantity: number;
  market_protection: number;
  tag: string | null;
  tags: string[];
  guid: string;
}

interface OrderBookEntry {
  current: EmulatedOrder;
  history: EmulatedOrder[];
  /** Paise, for exact averages. */
  filledValue: number;
  triggered: boolean;
}

export interface EmulatedTrade {
  trade_id: string;
  order_id: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  average_price: number;
  quantity: number;
  exchange_order_id: string | null;
  transaction_type: 'BUY' | 'SELL';
  fill_timestamp: string;
  order_timestamp: string;
  exchange_timestamp: string;
}

export interface EmulatedHolding {
  symbol: string;
  exchange: 'NSE' | 'BSE';
  quantity: number;
  t1Quantity: number;
  /** Paise. */
  averagePrice: number;
}

/** One row of today's positions; values in paise. */
export interface EmulatedPosition {
  exchange: string;
  symbol: string;
  product: string;
  quantity: number;
  buyQuantity: number;
  buyValue: number;
  sellQuantity: number;
  sellValue: number;
}

export const DEFAULT_INSTRUMENTS: EmulatedInstrument[] = [
  { token: 408065, symbol: 'INFY', exchange: 'NSE', name: 'INFOSYS', tick: 10, lot: 1, bid: 150_000, ask: 150_010, last: 150_000, close: 149_500, volume: 4_000_000 },
  { token: 2953217, symbol: 'TCS', exchange: 'NSE', name: 'TATA CONSULTANCY SERV LT', tick: 10, lot: 1, bid: 350_000, ask: 350_020, last: 350_010, close: 348_000, volume: 1_800_000 },
  { token: 738561, symbol: 'RELIANCE', exchange: 'NSE', name: 'RELIANCE INDUSTRIES', tick: 10, lot: 1, bid: 130_000, ask: 130_010, last: 130_000, close: 129_000, volume: 9_000_000 },
  { token: 424961, symbol: 'ITC', exchange: 'NSE', name: 'ITC', tick: 5, lot: 1, bid: 42_000, ask: 42_005, last: 42_000, close: 41_800, volume: 12_000_000 },
  { token: 779521, symbol: 'SBIN', exchange: 'NSE', name: 'STATE BANK OF INDIA', tick: 5, lot: 1, bid: 80_000, ask: 80_005, last: 80_000, close: 79_500, volume: 10_000_000 },
  { token: 128053508, symbol: 'INFY', exchange: 'BSE', name: 'INFOSYS', tick: 5, lot: 1, bid: 149_995, ask: 150_010, last: 150_000, close: 149_500, volume: 300_000 },
];

const VARIETIES = new Set(['regular', 'amo', 'co', 'iceberg', 'auction']);
const ORDER_TYPES = new Set(['MARKET', 'LIMIT', 'SL', 'SL-M']);
const PRODUCTS = new Set(['CNC', 'NRML', 'MIS', 'MTF']);
const EXCHANGES = new Set(['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']);
const VALIDITIES = new Set(['DAY', 'IOC', 'TTL']);
const LIVE = new Set(['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED']);

export type OrderListener = (order: EmulatedOrder) => void;

export interface ExchangeOptions {
  instruments?: EmulatedInstrument[];
  /** Paise. */
  cash?: number;
  holdings?: EmulatedHolding[];
  /** First fill of a multi-share order takes half of it, the next the rest. */
  partialFills?: boolean;
  now?: () => number;
}

const IST_OFFSET_MS = 5.5 * 3_600_000;
export const kiteTime = (ms: number) => new Date(ms + IST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
export const rupees = (paise: number) => paise / 100;

export class KiteExchange {
  readonly instruments: EmulatedInstrument[];
  readonly holdings: EmulatedHolding[];
  readonly trades: EmulatedTrade[] = [];
  cash: number;
  used = 0;
  partialFills: boolean;
  /**
   * Kite is not documented to carry a CNC position into the next day's `net` (its holdings show
   * the shares as T1 instead); switched on, `nextDay()` keeps yesterday's CNC rows in `net` with
   * their `overnight_quantity`, so a test can show ptexec does not count them twice.
   */
  carryDeliveryInNet = false;
  /** Yesterday's CNC positions still listed in `net` (only with `carryDeliveryInNet`). */
  overnight: EmulatedPosition[] = [];
  private readonly book = new Map<string, OrderBookEntry>();
  private readonly listeners = new Set<OrderListener>();
  private orderSeq = 0;
  private tradeSeq = 0;
  private readonly now: () => number;

  constructor(options: ExchangeOptions = {}) {
    this.instruments = (options.instruments ?? DEFAULT_INSTRUMENTS).map((i) => ({ ...i }));
    this.cash = options.cash ?? 100_000_000;
    this.holdings = (options.holdings ?? [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }]).map((h) => ({ ...h }));
    this.partialFills = options.partialFills ?? true;
    this.now = options.now ?? Date.now;
  }

  /** Called with a snapshot of every order change (status, fill), including stream-only `UPDATE`s. */
  onOrderChange(listener: OrderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  instrument(exchange: string, symbol: string): EmulatedInstrument | undefined {
    return this.instruments.find((i) => i.exchange === exchange && i.symbol === symbol);
  }

  setQuote(exchange: string, symbol: string, quote: Partial<Pick<EmulatedInstrument, 'bid' | 'ask' | 'last'>>): void {
    const i = this.instrument(exchange, symbol);
    if (!i) throw new Error(`no instrument ${exchange}:${symbol}`);
    Object.assign(i, quote);
  }

  orders(): EmulatedOrder[] {
    return [...this.book.values()].map((e) => ({ ...e.current }));
  }

  order(id: string): EmulatedOrder | undefined {
    const e = this.book.get(id);
    return e ? { ...e.current } : undefined;
  }

  history(id: string): EmulatedOrder[] {
    const e = this.book.get(id);
    if (!e) throw new KiteEmulatorError('GeneralException', 404, `Couldn't find that order (${id}).`);
    return e.history.map((h) => ({ ...h }));
  }

  /** Validates and books an order exactly as Kite's API layer would; returns its id. */
  place(variety: string, form: URLSearchParams): string {
    if (!VARIETIES.has(variety)) throw input(`Invalid variety: ${variety}`);
    if (variety === 'co' || variety === 'auction') throw input(`Variety ${variety} is not enabled for this account.`);
    for (const field of ['tradingsymbol', 'exchange', 'transaction_type', 'order_type', 'quantity', 'product']) {
      if (!form.get(field)) throw input(`Missing ${field}`);
    }
    const exchange = form.get('exchange')!;
    const orderType = form.get('order_type')!;
    const product = form.get('product')!;
    const side = form.get('transaction_type')!;
    const validity = form.get('validity') ?? 'DAY';
    if (!EXCHANGES.has(exchange)) throw input(`Invalid exchange: ${exchange}`);
    if (!ORDER_TYPES.has(orderType)) throw input(`Invalid order_type: ${orderType}`);
    if (!PRODUCTS.has(product)) throw input(`Invalid product: ${product}`);
    if (side !== 'BUY' && side !== 'SELL') throw input(`Invalid transaction_type: ${side}`);
    if (!VALIDITIES.has(validity)) throw input(`Invalid validity: ${validity}`);
    const inst = this.instrument(exchange, form.get('tradingsymbol')!);
    if (!inst) throw input(`Invalid tradingsymbol: ${exchange}:${form.get('tradingsymbol')}`);
    const quantity = strictInt(form.get('quantity')!, 'quantity');
    if (quantity <= 0 || quantity % inst.lot !== 0) throw input(`Invalid quantity: ${quantity}`);
    const tag = form.get('tag');
    if (tag !== null && !/^[A-Za-z0-9]{1,20}$/.test(tag)) throw input('Tag length should be less than 20 and alphanumeric.');
    const price = this.price(form.get('price'), inst, 'price');
    const trigger = this.price(form.get('trigger_price'), inst, 'trigger_price');
    if ((orderType === 'LIMIT' || orderType === 'SL') && !price) throw input(`Price is required for ${orderType} orders.`);
    if ((orderType === 'SL' || orderType === 'SL-M') && !trigger) throw input(`Trigger price is required for ${orderType} orders.`);
    const protectionText = form.get('market_protection');
    const protection = protectionText === null ? 0 : strictInt(protectionText, 'market_protection');
    if (protection !== 0 && protection !== -1 && (protection < 1 || protection > 100)) throw input('market_protection must be -1 or between 1 and 100.');
    if ((orderType === 'MARKET' || orderType === 'SL-M') && protection === 0) {
      throw input('Market orders without market protection are not allowed via API. Please set market protection or use a Limit order.');
    }
    let disclosed = form.get('disclosed_quantity') ? strictInt(form.get('disclosed_quantity')!, 'disclosed_quantity') : 0;
    if (disclosed > quantity) throw input('Disclosed quantity cannot exceed quantity.');
    if (variety === 'iceberg') {
      const legs = form.get('iceberg_legs') ? strictInt(form.get('iceberg_legs')!, 'iceberg_legs') : 0;
      const legQty = form.get('iceberg_quantity') ? strictInt(form.get('iceberg_quantity')!, 'iceberg_quantity') : 0;
      if (legs < 2 || legs > 10) throw input('Iceberg legs should be between 2 and 10.');
      if (legQty <= 0 || legQty * legs < quantity) throw input('Invalid iceberg_quantity.');
      disclosed = legQty;
    }
    const id = `${2611220000000 + ++this.orderSeq}`;
    const now = this.now();
    const order: EmulatedOrder = {
      order_id: id,
      exchange_order_id: null,
      parent_order_id: null,
      status: 'PUT ORDER REQ RECEIVED',
      status_message: null,
      order_timestamp: kiteTime(now),
      exchange_timestamp: null,
      variety,
      exchange,
      tradingsymbol: inst.symbol,
      instrument_token: inst.token,
      order_type: orderType,
      transaction_type: side,
      validity,
      product,
      quantity,
      disclosed_quantity: disclosed,
      price: rupees(price),
      trigger_price: rupees(trigger),
      average_price: 0,
      filled_quantity: 0,
      pending_quantity: quantity,
      cancelled_quantity: 0,
      market_protection: protection,
      tag,
      tags: tag ? [tag] : [],
      guid: `emu-${id}`,
    };
    this.book.set(id, { current: order, history: [], filledValue: 0, triggered: false });
    this.record(id);
    return id;
  }

  /** Moves a freshly placed order one step along Kite's acceptance path; returns false when it has no further step. */
  advance(id: string): boolean {
    const e = this.book.get(id);
    if (!e) return false;
    const o = e.current;
    switch (o.status) {
      case 'PUT ORDER REQ RECEIVED':
        return this.setStatus(id, 'VALIDATION PENDING');
      case 'VALIDATION PENDING': {
        const refusal = this.riskCheck(o);
        if (refusal) {
          o.status_message = refusal;
          return this.setStatus(id, 'REJECTED', { pending: 0 });
        }
        if (o.variety === 'amo') return this.setStatus(id, 'AMO REQ RECEIVED');
        return this.setStatus(id, 'OPEN PENDING');
      }
      case 'OPEN PENDING':
        o.exchange_order_id = `1100000${o.order_id.slice(-8)}`;
        o.exchange_timestamp = kiteTime(this.now());
        return this.setStatus(id, o.order_type === 'SL' || o.order_type === 'SL-M' ? 'TRIGGER PENDING' : 'OPEN');
      default:
        return false;
    }
  }

  /** Finishes a fresh order's acceptance path at once (a test drives it from here, no timer races it). */
  completeAcceptance(id: string): void {
    while (this.advance(id));
  }

  /**
   * Puts an order into any of Kite's statuses, as the exchange or Kite's RMS would: the word
   * changes, and the ending ones leave nothing pending (fills are `fill`'s business).
   */
  putInStatus(id: string, status: string, message: string | null = null): void {
    const e = this.book.get(id);
    if (!e) throw new Error(`no order ${id}`);
    const o = e.current;
    if (message !== null) o.status_message = message;
    const ends = status === 'COMPLETE' || status === 'CANCELLED' || status === 'REJECTED' || status === 'LAPSED' || status === 'CANCELLED AMO' || status === 'EXPIRED';
    if (ends && status !== 'COMPLETE') o.cancelled_quantity = o.pending_quantity;
    this.setStatus(id, status, ends ? { pending: 0 } : {});
  }

  modify(variety: string, id: string, form: URLSearchParams): void {
    const e = this.book.get(id);
    if (!e) throw new KiteEmulatorError('GeneralException', 404, `Couldn't find that order (${id}).`);
    const o = e.current;
    if (o.variety !== variety) throw input(`Order ${id} is not a ${variety} order.`);
    if (!LIVE.has(o.status)) throw new KiteEmulatorError('OrderException', 500, `Order cannot be modified as it is ${o.status.toLowerCase()}.`);
    const inst = this.instrument(o.exchange, o.tradingsymbol)!;
    const quantity = form.get('quantity') ? strictInt(form.get('quantity')!, 'quantity') : o.quantity;
    if (quantity <= o.filled_quantity) throw input('Quantity must exceed the filled quantity.');
    const price = form.get('price') !== null ? this.price(form.get('price'), inst, 'price') : Math.round(o.price * 100);
    const trigger = form.get('trigger_price') !== null ? this.price(form.get('trigger_price'), inst, 'trigger_price') : Math.round(o.trigger_price * 100);
    const orderType = form.get('order_type') ?? o.order_type;
    if (!ORDER_TYPES.has(orderType)) throw input(`Invalid order_type: ${orderType}`);
    if ((orderType === 'LIMIT' || orderType === 'SL') && !price) throw input(`Price is required for ${orderType} orders.`);
    const before = o.status;
    this.setStatus(id, 'MODIFY VALIDATION PENDING');
    this.setStatus(id, 'MODIFY PENDING');
    o.quantity = quantity;
    o.pending_quantity = quantity - o.filled_quantity;
    o.price = rupees(price);
    o.trigger_price = rupees(trigger);
    o.order_type = orderType;
    this.setStatus(id, 'MODIFIED');
    this.setStatus(id, before === 'AMO REQ RECEIVED' ? before : o.order_type === 'SL' || o.order_type === 'SL-M' ? (e.triggered ? 'OPEN' : 'TRIGGER PENDING') : 'OPEN');
  }

  cancel(variety: string, id: string): void {
    const e = this.book.get(id);
    if (!e) throw new KiteEmulatorError('GeneralException', 404, `Couldn't find that order (${id}).`);
    const o = e.current;
    if (o.variety !== variety) throw input(`Order ${id} is not a ${variety} order.`);
    if (!LIVE.has(o.status)) throw new KiteEmulatorError('OrderException', 500, `Order cannot be cancelled as it is ${o.status.toLowerCase()}.`);
    this.setStatus(id, 'CANCEL PENDING');
    o.cancelled_quantity = o.pending_quantity;
    this.setStatus(id, 'CANCELLED', { pending: 0 });
  }

  /** One matching pass over live orders; returns the number of fills. */
  match(): number {
    let fills = 0;
    for (const [id, e] of this.book) {
      const o = e.current;
      if (o.status !== 'OPEN' && o.status !== 'TRIGGER PENDING') continue;
      const inst = this.instrument(o.exchange, o.tradingsymbol)!;
      const buy = o.transaction_type === 'BUY';
      if (o.status === 'TRIGGER PENDING') {
        const trigger = Math.round(o.trigger_price * 100);
        if (buy ? inst.last < trigger : inst.last > trigger) continue;
        e.triggered = true;
        this.setStatus(id, 'OPEN');
      }
      const limit = Math.round(o.price * 100);
      const marketable = o.order_type === 'MARKET' || o.order_type === 'SL-M' || (buy ? limit >= inst.ask : limit <= inst.bid);
      if (!marketable) {
        if (o.validity === 'IOC') {
          o.cancelled_quantity = o.pending_quantity;
          this.setStatus(id, 'CANCELLED', { pending: 0 });
        }
        continue;
      }
      const px = buy ? inst.ask : inst.bid;
      const qty = this.partialFills && o.filled_quantity === 0 && o.quantity > 1 ? Math.ceil(o.quantity / 2) : o.pending_quantity;
      this.fill(id, qty, px);
      fills++;
    }
    return fills;
  }

  /** Fills `quantity` of order `id` at `price` paise (what the matcher does; tests may call it directly). */
  fill(id: string, quantity: number, price: number): EmulatedTrade {
    const e = this.book.get(id);
    if (!e) throw new Error(`no order ${id}`);
    const o = e.current;
    const now = this.now();
    const trade: EmulatedTrade = {
      trade_id: `${50_000_000 + ++this.tradeSeq}`,
      order_id: id,
      exchange: o.exchange,
      tradingsymbol: o.tradingsymbol,
      instrument_token: o.instrument_token,
      product: o.product,
      average_price: rupees(price),
      quantity,
      exchange_order_id: o.exchange_order_id,
      transaction_type: o.transaction_type,
      fill_timestamp: kiteTime(now),
      order_timestamp: o.order_timestamp,
      exchange_timestamp: kiteTime(now),
    };
    this.trades.push(trade);
    e.filledValue += quantity * price;
    o.filled_quantity += quantity;
    o.pending_quantity = o.quantity - o.filled_quantity;
    o.average_price = Number((e.filledValue / o.filled_quantity / 100).toFixed(4));
    o.exchange_timestamp = kiteTime(now);
    this.settle(o, quantity, price);
    if (o.pending_quantity === 0) this.setStatus(id, 'COMPLETE');
    else this.publish({ ...o, status: 'UPDATE' });
    return trade;
  }

  /** Cash moves with the fill; shares move into or out of the holdings only when the day ends. */
  private settle(o: EmulatedOrder, quantity: number, price: number): void {
    const value = quantity * price;
    if (o.transaction_type === 'BUY') this.cash -= value;
    else this.cash += value;
  }

  /** Today's net position per exchange, symbol and product, from today's trades (Kite's `day`). */
  dayPositions(): EmulatedPosition[] {
    const out = new Map<string, EmulatedPosition>();
    for (const t of this.trades) {
      const key = `${t.exchange}:${t.tradingsymbol}:${t.product}`;
      const p = out.get(key) ?? { exchange: t.exchange, symbol: t.tradingsymbol, product: t.product, quantity: 0, buyQuantity: 0, buyValue: 0, sellQuantity: 0, sellValue: 0 };
      const value = Math.round(t.average_price * 100) * t.quantity;
      if (t.transaction_type === 'BUY') {
        p.buyQuantity += t.quantity;
        p.buyValue += value;
      } else {
        p.sellQuantity += t.quantity;
        p.sellValue += value;
      }
      p.quantity = p.buyQuantity - p.sellQuantity;
      out.set(key, p);
    }
    return [...out.values()];
  }

  /** Today's delivery (CNC) net quantity of one instrument. */
  private deliveredToday(exchange: string, symbol: string): number {
    return this.dayPositions().find((p) => p.exchange === exchange && p.symbol === symbol && p.product === 'CNC')?.quantity ?? 0;
  }

  /** Held shares sold today (Kite's `used_quantity`): they leave the holdings when the day ends. */
  usedQuantity(h: EmulatedHolding): number {
    return Math.min(h.quantity + h.t1Quantity, Math.max(0, -this.deliveredToday(h.exchange, h.symbol)));
  }

  /** What the account owns of one instrument: holdings (settled + T1) and today's delivery trades. */
  ownedQuantity(exchange: string, symbol: string): number {
    const h = this.holdings.find((x) => x.symbol === symbol && x.exchange === exchange);
    return (h ? h.quantity + h.t1Quantity : 0) + this.deliveredToday(exchange, symbol);
  }

  /**
   * Ends the trading day as Kite's books show it the next morning: yesterday's T1 quantity has
   * settled (T+1), today's delivery buys are T1 holdings, shares sold have left the holdings,
   * intraday positions were squared off, and positions, trades and the order book start empty.
   */
  nextDay(): void {
    for (const h of this.holdings) {
      h.quantity += h.t1Quantity;
      h.t1Quantity = 0;
    }
    for (const p of this.dayPositions()) {
      if (p.product !== 'CNC' || p.quantity === 0) continue;
      let h = this.holdings.find((x) => x.symbol === p.symbol && x.exchange === p.exchange);
      if (!h) {
        h = { symbol: p.symbol, exchange: p.exchange as 'NSE' | 'BSE', quantity: 0, t1Quantity: 0, averagePrice: 0 };
        this.holdings.push(h);
      }
      if (p.quantity > 0) {
        h.averagePrice = (h.averagePrice * h.quantity + (p.buyValue / p.buyQuantity) * p.quantity) / (h.quantity + p.quantity);
        h.t1Quantity += p.quantity;
      } else {
        h.quantity = Math.max(0, h.quantity + p.quantity);
      }
    }
    for (let i = this.holdings.length - 1; i >= 0; i--) if (this.holdings[i]!.quantity + this.holdings[i]!.t1Quantity === 0) this.holdings.splice(i, 1);
    this.overnight = this.carryDeliveryInNet ? this.dayPositions().filter((p) => p.product === 'CNC' && p.quantity !== 0) : [];
    this.trades.length = 0;
    this.book.clear();
  }

  private riskCheck(o: EmulatedOrder): string | undefined {
    const inst = this.instrument(o.exchange, o.tradingsymbol)!;
    if (o.transaction_type === 'BUY') {
      const px = o.price ? Math.round(o.price * 100) : inst.ask;
      if (px * o.quantity > this.cash) return `Insufficient funds. Required margin is ${rupees(px * o.quantity).toFixed(2)} but available margin is ${rupees(this.cash).toFixed(2)}.`;
    } else if (o.product === 'CNC') {
      const owned = this.ownedQuantity(o.exchange, o.tradingsymbol);
      if (o.quantity > owned) return `Insufficient holdings: ${owned} available to sell.`;
    }
    return undefined;
  }

  private price(text: string | null, inst: EmulatedInstrument, field: string): number {
    if (text === null || text === '') return 0;
    if (!/^\d+(\.\d{1,2})?$/.test(text)) throw input(`Invalid ${field}: ${text}`);
    const paise = Math.round(Number(text) * 100);
    if (paise % inst.tick !== 0) throw input(`Tick size for this script is ${rupees(inst.tick).toFixed(2)}. Kindly enter ${field} in the multiple of tick size.`);
    return paise;
  }

  private setStatus(id: string, status: string, change: { pending?: number } = {}): boolean {
    const e = this.book.get(id)!;
    e.current.status = status;
    if (change.pending !== undefined) e.current.pending_quantity = change.pending;
    this.record(id);
    return true;
  }

  private record(id: string): void {
    const e = this.book.get(id)!;
    e.history.push({ ...e.current });
    this.publish({ ...e.current });
  }

  private publish(order: EmulatedOrder): void {
    for (const l of this.listeners) l(order);
  }
}

function strictInt(text: string, field: string): number {
  if (!/^-?\d+$/.test(text)) throw input(`Invalid ${field}: ${text}`);
  return Number(text);
}
