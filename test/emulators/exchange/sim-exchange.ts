import type { Exchange } from '../../../src/domain/instrument.js';

/**
 * The account and market behind a broker emulator, in no broker's words: instruments with quotes,
 * an order book, a matcher against the quotes (a partial then a complete fill), trades, holdings
 * with their T+1 quantity, today's positions, and cash. Money in minor units (paise, cents). Each emulator speaks its
 * broker's wire protocol over it (field names, enums, status words, envelopes) and refuses what
 * that broker refuses; what is true of every exchange (ticks, lots, funds, holdings, fills) is
 * enforced here once.
 *
 * Holdings follow the Indian broker day: a delivery trade changes no holding on the day it is
 * made (it is a position; sold held shares stay in the holdings until the day ends); `nextDay()`
 * settles T+1, makes today's buys T1 holdings, and starts an empty order book.
 */

export interface SimInstrument {
  symbol: string;
  exchange: Exchange;
  isin: string;
  /** The exchange's numeric token (Kite instrument_token, Angel One symboltoken, Fyers fytoken suffix). */
  token: number;
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

export const SIM_INSTRUMENTS: readonly SimInstrument[] = [
  { symbol: 'INFY', exchange: 'NSE', isin: 'INE009A01021', token: 1594, name: 'INFOSYS LIMITED', tick: 10, lot: 1, bid: 150_000, ask: 150_010, last: 150_000, close: 149_500, volume: 4_000_000 },
  { symbol: 'TCS', exchange: 'NSE', isin: 'INE467B01029', token: 11536, name: 'TATA CONSULTANCY SERV LT', tick: 10, lot: 1, bid: 350_000, ask: 350_020, last: 350_010, close: 348_000, volume: 1_800_000 },
  { symbol: 'RELIANCE', exchange: 'NSE', isin: 'INE002A01018', token: 2885, name: 'RELIANCE INDUSTRIES LTD', tick: 10, lot: 1, bid: 130_000, ask: 130_010, last: 130_000, close: 129_000, volume: 9_000_000 },
  { symbol: 'ITC', exchange: 'NSE', isin: 'INE154A01025', token: 1660, name: 'ITC LTD', tick: 5, lot: 1, bid: 42_000, ask: 42_005, last: 42_000, close: 41_800, volume: 12_000_000 },
  { symbol: 'SBIN', exchange: 'NSE', isin: 'INE062A01020', token: 3045, name: 'STATE BANK OF INDIA', tick: 5, lot: 1, bid: 80_000, ask: 80_005, last: 80_000, close: 79_500, volume: 10_000_000 },
  { symbol: 'INFY', exchange: 'BSE', isin: 'INE009A01021', token: 500209, name: 'INFOSYS LTD', tick: 5, lot: 1, bid: 149_995, ask: 150_010, last: 150_000, close: 149_500, volume: 300_000 },
];

/**
 * US equities for the emulators of US brokers (`new SimExchange({ instruments: SIM_US_INSTRUMENTS, holdings })`):
 * cents, a one-cent tick, lots of one; `token` stands in for a broker's numeric id (an IBKR conid).
 */
export const SIM_US_INSTRUMENTS: readonly SimInstrument[] = [
  { symbol: 'AAPL', exchange: 'NASDAQ', isin: 'US0378331005', token: 265598, name: 'APPLE INC', tick: 1, lot: 1, bid: 27_000, ask: 27_002, last: 27_001, close: 26_850, volume: 50_000_000 },
  { symbol: 'MSFT', exchange: 'NASDAQ', isin: 'US5949181045', token: 272093, name: 'MICROSOFT CORP', tick: 1, lot: 1, bid: 50_000, ask: 50_003, last: 50_001, close: 49_700, volume: 20_000_000 },
  { symbol: 'AMZN', exchange: 'NASDAQ', isin: 'US0231351067', token: 3691937, name: 'AMAZON.COM INC', tick: 1, lot: 1, bid: 23_000, ask: 23_002, last: 23_001, close: 22_900, volume: 40_000_000 },
  { symbol: 'GOOGL', exchange: 'NASDAQ', isin: 'US02079K3059', token: 208813719, name: 'ALPHABET INC-CL A', tick: 1, lot: 1, bid: 29_000, ask: 29_002, last: 29_001, close: 28_800, volume: 30_000_000 },
  { symbol: 'META', exchange: 'NASDAQ', isin: 'US30303M1027', token: 107113386, name: 'META PLATFORMS INC-CLASS A', tick: 1, lot: 1, bid: 60_000, ask: 60_005, last: 60_002, close: 59_500, volume: 12_000_000 },
  { symbol: 'JPM', exchange: 'NYSE', isin: 'US46625H1005', token: 1520593, name: 'JPMORGAN CHASE & CO', tick: 1, lot: 1, bid: 30_500, ask: 30_502, last: 30_501, close: 30_300, volume: 9_000_000 },
];

export type SimSide = 'BUY' | 'SELL';
export type SimOrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
export type SimProduct = 'delivery' | 'intraday';
/** Where an order is in its life, in no broker's words (each emulator names the phases its broker's way). */
export type SimPhase = 'received' | 'open' | 'trigger_pending' | 'complete' | 'cancelled' | 'rejected' | 'amo';

export interface SimOrderSpec {
  symbol: string;
  exchange: Exchange;
  side: SimSide;
  type: SimOrderType;
  product: SimProduct;
  validity: 'DAY' | 'IOC';
  quantity: number;
  /** Paise; 0 when none. */
  price: number;
  trigger: number;
  /** Our client id as the broker carries it (tag, reference id). */
  clientRef?: string;
  /** An after-market order, queued for the next session. */
  amo?: boolean;
  disclosed?: number;
}

export interface SimOrder extends SimOrderSpec {
  id: string;
  exchangeOrderId: string | null;
  phase: SimPhase;
  /** A status word a test put the order in (`Venue.market.setStatus`); shown instead of the phase's. */
  statusOverride?: string;
  message: string | null;
  filled: number;
  /** Paise × shares, for exact averages. */
  filledValue: number;
  cancelled: number;
  createdAt: number;
  updatedAt: number;
  triggered: boolean;
}

export interface SimTrade {
  id: string;
  orderId: string;
  clientRef?: string;
  symbol: string;
  exchange: Exchange;
  side: SimSide;
  product: SimProduct;
  quantity: number;
  /** Paise. */
  price: number;
  at: number;
}

export interface SimHolding {
  symbol: string;
  exchange: Exchange;
  quantity: number;
  t1Quantity: number;
  /** Paise. */
  averagePrice: number;
}

export interface SimPosition {
  symbol: string;
  exchange: Exchange;
  product: SimProduct;
  quantity: number;
  buyQuantity: number;
  buyValue: number;
  sellQuantity: number;
  sellValue: number;
}

/** Why the exchange refused a call; each emulator answers it in its broker's envelope. */
export class SimRefusal extends Error {
  constructor(
    readonly kind: 'input' | 'not_found' | 'not_live' | 'tick' | 'lot',
    message: string,
  ) {
    super(message);
  }
}

export interface SimExchangeOptions {
  instruments?: readonly SimInstrument[];
  /** Paise. */
  cash?: number;
  holdings?: SimHolding[];
  /** A fill of a multi-share order takes half of it first, the rest on the next pass. */
  partialFills?: boolean;
  now?: () => number;
  /** How broker order ids look (`${n}` by default). */
  orderId?: (n: number) => string;
  tradeId?: (n: number) => string;
}

export type SimListener = (order: SimOrder, change: 'status' | 'fill' | 'modify') => void;

const LIVE: ReadonlySet<SimPhase> = new Set(['received', 'open', 'trigger_pending', 'amo']);

export class SimExchange {
  readonly instruments: SimInstrument[];
  readonly holdings: SimHolding[];
  readonly trades: SimTrade[] = [];
  cash: number;
  partialFills: boolean;
  private readonly book = new Map<string, SimOrder>();
  private readonly historyById = new Map<string, SimOrder[]>();
  private readonly listeners = new Set<SimListener>();
  private orderSeq = 0;
  private tradeSeq = 0;
  private readonly now: () => number;

  constructor(private readonly options: SimExchangeOptions = {}) {
    this.instruments = (options.instruments ?? SIM_INSTRUMENTS).map((i) => ({ ...i }));
    this.cash = options.cash ?? 100_000_000;
    this.holdings = (options.holdings ?? [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000 }]).map((h) => ({ ...h }));
    this.partialFills = options.partialFills ?? true;
    this.now = options.now ?? Date.now;
  }

  onChange(listener: SimListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  instrument(exchange: string, symbol: string): SimInstrument | undefined {
    return this.instruments.find((i) => i.exchange === exchange && i.symbol === symbol);
  }

  instrumentByIsin(exchange: string, isin: string): SimInstrument | undefined {
    return this.instruments.find((i) => i.exchange === exchange && i.isin === isin);
  }

  instrumentByToken(exchange: string, token: number): SimInstrument | undefined {
    return this.instruments.find((i) => i.exchange === exchange && i.token === token);
  }

  orders(): SimOrder[] {
    return [...this.book.values()].map((o) => ({ ...o }));
  }

  order(id: string): SimOrder | undefined {
    const o = this.book.get(id);
    return o ? { ...o } : undefined;
  }

  /** Every state the order went through, oldest first. */
  history(id: string): SimOrder[] {
    const h = this.historyById.get(id);
    if (!h) throw new SimRefusal('not_found', `order ${id} not found`);
    return h.map((o) => ({ ...o }));
  }

  findByClientRef(clientRef: string): SimOrder | undefined {
    return this.orders().findLast((o) => o.clientRef === clientRef);
  }

  /**
   * Books an order after the checks every exchange makes (instrument, lot, tick, prices the type
   * needs); it is `received` until `accept` runs the broker's risk check. Returns its id.
   */
  place(spec: SimOrderSpec): string {
    const inst = this.instrument(spec.exchange, spec.symbol);
    if (!inst) throw new SimRefusal('input', `unknown instrument ${spec.exchange}:${spec.symbol}`);
    if (!Number.isInteger(spec.quantity) || spec.quantity <= 0) throw new SimRefusal('input', `invalid quantity ${spec.quantity}`);
    if (spec.quantity % inst.lot !== 0) throw new SimRefusal('lot', `quantity ${spec.quantity} is not a multiple of the lot ${inst.lot}`);
    for (const [field, paise] of [['price', spec.price], ['trigger price', spec.trigger]] as const) {
      if (!Number.isInteger(paise) || paise < 0) throw new SimRefusal('input', `invalid ${field}`);
      if (paise % inst.tick !== 0) throw new SimRefusal('tick', `${field} must be a multiple of the tick size ${(inst.tick / 100).toFixed(2)}`);
    }
    if ((spec.type === 'LIMIT' || spec.type === 'SL') && spec.price === 0) throw new SimRefusal('input', `a ${spec.type} order needs a price`);
    if ((spec.type === 'SL' || spec.type === 'SL-M') && spec.trigger === 0) throw new SimRefusal('input', `a ${spec.type} order needs a trigger price`);
    if ((spec.disclosed ?? 0) > spec.quantity) throw new SimRefusal('input', 'disclosed quantity cannot exceed quantity');
    const n = ++this.orderSeq;
    const id = this.options.orderId?.(n) ?? `${251203000000 + n}`;
    const now = this.now();
    const order: SimOrder = {
      ...spec,
      id,
      exchangeOrderId: null,
      phase: 'received',
      message: null,
      filled: 0,
      filledValue: 0,
      cancelled: 0,
      createdAt: now,
      updatedAt: now,
      triggered: false,
    };
    this.book.set(id, order);
    this.historyById.set(id, []);
    this.changed(order, 'status');
    return id;
  }

  /** The broker's risk check and the exchange's acceptance: `open` (or waiting for its trigger, or queued as AMO), else `rejected`. */
  accept(id: string): void {
    const o = this.live(id);
    if (o.phase !== 'received') return;
    const refusal = this.riskCheck(o);
    if (refusal) return this.reject(id, refusal);
    if (o.amo) return this.setPhase(o, 'amo');
    o.exchangeOrderId = `1100000${String(this.orderSeq).padStart(9, '0')}`;
    this.setPhase(o, o.type === 'SL' || o.type === 'SL-M' ? 'trigger_pending' : 'open');
  }

  modify(id: string, change: { quantity?: number; price?: number; trigger?: number; type?: SimOrderType }): void {
    const o = this.live(id);
    const inst = this.instrument(o.exchange, o.symbol)!;
    const quantity = change.quantity ?? o.quantity;
    if (!Number.isInteger(quantity) || quantity <= o.filled) throw new SimRefusal('input', 'quantity must exceed the filled quantity');
    if (quantity % inst.lot !== 0) throw new SimRefusal('lot', `quantity ${quantity} is not a multiple of the lot ${inst.lot}`);
    for (const paise of [change.price, change.trigger]) {
      if (paise !== undefined && (!Number.isInteger(paise) || paise < 0 || paise % inst.tick !== 0)) throw new SimRefusal('tick', `price must be a multiple of the tick size ${(inst.tick / 100).toFixed(2)}`);
    }
    o.quantity = quantity;
    if (change.price !== undefined) o.price = change.price;
    if (change.trigger !== undefined) o.trigger = change.trigger;
    if (change.type !== undefined) o.type = change.type;
    if ((o.type === 'LIMIT' || o.type === 'SL') && o.price === 0) throw new SimRefusal('input', `a ${o.type} order needs a price`);
    this.changed(o, 'modify');
  }

  cancel(id: string): void {
    const o = this.live(id);
    o.cancelled = o.quantity - o.filled;
    this.setPhase(o, 'cancelled');
  }

  reject(id: string, reason: string): void {
    const o = this.live(id);
    o.message = reason;
    o.cancelled = o.quantity - o.filled;
    this.setPhase(o, 'rejected');
  }

  /** Shows the order in one of the broker's own status words (a test exercising the status mapping). */
  override(id: string, statusWord: string): void {
    const o = this.book.get(id);
    if (!o) throw new SimRefusal('not_found', `order ${id} not found`);
    o.statusOverride = statusWord;
    this.changed(o, 'status');
  }

  /** One matching pass over live orders against the quotes; returns the number of fills. */
  match(): number {
    let fills = 0;
    for (const o of this.book.values()) {
      if (o.phase !== 'open' && o.phase !== 'trigger_pending') continue;
      const inst = this.instrument(o.exchange, o.symbol)!;
      const buy = o.side === 'BUY';
      if (o.phase === 'trigger_pending') {
        if (buy ? inst.last < o.trigger : inst.last > o.trigger) continue;
        o.triggered = true;
        this.setPhase(o, 'open');
      }
      const marketable = o.type === 'MARKET' || o.type === 'SL-M' || (buy ? o.price >= inst.ask : o.price <= inst.bid);
      if (!marketable) {
        if (o.validity === 'IOC') this.cancel(o.id);
        continue;
      }
      const qty = this.partialFills && o.filled === 0 && o.quantity > inst.lot ? Math.ceil(o.quantity / 2 / inst.lot) * inst.lot : o.quantity - o.filled;
      this.fill(o.id, qty, buy ? inst.ask : inst.bid);
      fills++;
    }
    return fills;
  }

  /** Fills `quantity` of order `id` at `price` paise (the matcher does this; tests may too). */
  fill(id: string, quantity: number, price?: number): SimTrade {
    const o = this.book.get(id);
    if (!o) throw new SimRefusal('not_found', `order ${id} not found`);
    if (quantity <= 0 || quantity > o.quantity - o.filled) throw new Error(`cannot fill ${quantity} of order ${id} (${o.quantity - o.filled} pending)`);
    const inst = this.instrument(o.exchange, o.symbol)!;
    const px = price ?? (o.type === 'LIMIT' || o.type === 'SL' ? o.price : o.side === 'BUY' ? inst.ask : inst.bid);
    if (o.phase === 'received' || o.phase === 'trigger_pending') {
      o.exchangeOrderId ??= `1100000${String(this.orderSeq).padStart(9, '0')}`;
      o.phase = 'open';
    }
    const n = ++this.tradeSeq;
    const trade: SimTrade = {
      id: this.options.tradeId?.(n) ?? `${50_000_000 + n}`,
      orderId: id,
      clientRef: o.clientRef,
      symbol: o.symbol,
      exchange: o.exchange,
      side: o.side,
      product: o.product,
      quantity,
      price: px,
      at: this.now(),
    };
    this.trades.push(trade);
    o.filled += quantity;
    o.filledValue += quantity * px;
    this.cash += o.side === 'BUY' ? -quantity * px : quantity * px;
    if (o.filled === o.quantity) this.setPhase(o, 'complete');
    else this.changed(o, 'fill');
    return trade;
  }

  /** Average fill price in paise (fractional), 0 before the first fill. */
  averagePrice(o: Pick<SimOrder, 'filled' | 'filledValue'>): number {
    return o.filled === 0 ? 0 : o.filledValue / o.filled;
  }

  /** Today's net position per instrument and product, from today's trades. */
  dayPositions(): SimPosition[] {
    const out = new Map<string, SimPosition>();
    for (const t of this.trades) {
      const key = `${t.exchange}:${t.symbol}:${t.product}`;
      const p = out.get(key) ?? { exchange: t.exchange, symbol: t.symbol, product: t.product, quantity: 0, buyQuantity: 0, buyValue: 0, sellQuantity: 0, sellValue: 0 };
      if (t.side === 'BUY') {
        p.buyQuantity += t.quantity;
        p.buyValue += t.quantity * t.price;
      } else {
        p.sellQuantity += t.quantity;
        p.sellValue += t.quantity * t.price;
      }
      p.quantity = p.buyQuantity - p.sellQuantity;
      out.set(key, p);
    }
    return [...out.values()];
  }

  /** Held shares sold today: they leave the holdings when the day ends. */
  usedQuantity(h: SimHolding): number {
    return Math.min(h.quantity + h.t1Quantity, Math.max(0, -this.deliveredToday(h.exchange, h.symbol)));
  }

  /** What the account owns of one instrument: holdings (settled + T1) and today's delivery trades. */
  ownedQuantity(exchange: string, symbol: string): number {
    const h = this.holdings.find((x) => x.symbol === symbol && x.exchange === exchange);
    return (h ? h.quantity + h.t1Quantity : 0) + this.deliveredToday(exchange, symbol);
  }

  /** Cash committed to open buy orders (paise). */
  blockedCash(): number {
    let blocked = 0;
    for (const o of this.book.values()) {
      if (!LIVE.has(o.phase) || o.side !== 'BUY') continue;
      const inst = this.instrument(o.exchange, o.symbol)!;
      blocked += (o.quantity - o.filled) * (o.price || inst.ask);
    }
    return blocked;
  }

  /** Ends the day: T1 settles, today's delivery buys become T1 holdings, sold shares leave, the books start empty. */
  nextDay(): void {
    for (const h of this.holdings) {
      h.quantity += h.t1Quantity;
      h.t1Quantity = 0;
    }
    for (const p of this.dayPositions()) {
      if (p.product !== 'delivery' || p.quantity === 0) continue;
      let h = this.holdings.find((x) => x.symbol === p.symbol && x.exchange === p.exchange);
      if (!h) this.holdings.push((h = { symbol: p.symbol, exchange: p.exchange, quantity: 0, t1Quantity: 0, averagePrice: 0 }));
      if (p.quantity > 0) {
        h.averagePrice = (h.averagePrice * h.quantity + (p.buyValue / p.buyQuantity) * p.quantity) / (h.quantity + p.quantity);
        h.t1Quantity += p.quantity;
      } else {
        h.quantity = Math.max(0, h.quantity + p.quantity);
      }
    }
    for (let i = this.holdings.length - 1; i >= 0; i--) if (this.holdings[i]!.quantity + this.holdings[i]!.t1Quantity === 0) this.holdings.splice(i, 1);
    this.trades.length = 0;
    this.book.clear();
    this.historyById.clear();
  }

  private deliveredToday(exchange: string, symbol: string): number {
    return this.dayPositions().find((p) => p.exchange === exchange && p.symbol === symbol && p.product === 'delivery')?.quantity ?? 0;
  }

  private riskCheck(o: SimOrder): string | undefined {
    const inst = this.instrument(o.exchange, o.symbol)!;
    if (o.side === 'BUY') {
      const value = (o.price || inst.ask) * o.quantity;
      const available = this.cash - this.blockedCash() + (o.price || inst.ask) * o.quantity;
      if (value > available) return `Insufficient funds: required ${(value / 100).toFixed(2)}, available ${(available / 100).toFixed(2)}`;
    } else if (o.product === 'delivery') {
      const owned = this.ownedQuantity(o.exchange, o.symbol);
      if (o.quantity > owned) return `Insufficient holdings: ${owned} available to sell`;
    }
    return undefined;
  }

  private live(id: string): SimOrder {
    const o = this.book.get(id);
    if (!o) throw new SimRefusal('not_found', `order ${id} not found`);
    if (!LIVE.has(o.phase)) throw new SimRefusal('not_live', `order ${id} is ${o.phase}`);
    return o;
  }

  private setPhase(o: SimOrder, phase: SimPhase): void {
    o.phase = phase;
    o.statusOverride = undefined;
    this.changed(o, 'status');
  }

  private changed(o: SimOrder, change: 'status' | 'fill' | 'modify'): void {
    o.updatedAt = this.now();
    this.historyById.get(o.id)!.push({ ...o });
    const copy = { ...o };
    for (const l of this.listeners) l(copy, change);
  }
}
