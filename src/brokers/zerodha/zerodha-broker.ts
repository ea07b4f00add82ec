import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey, type Quote } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import type { OrderRequest } from '../../domain/order.js';
import type {
  Broker,
  BrokerCapabilities,
  BrokerEvent,
  BrokerEventListener,
  BrokerOrder,
  BrokerTrade,
  InstrumentQuery,
  OrderChange,
  PlaceOrderResult,
} from '../broker.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { SupervisedSocket } from '../http/supervised-socket.js';
import { UpdateTracker } from '../http/update-tracker.js';
import { ZERODHA_CAPABILITIES } from './capabilities.js';
import type { ZerodhaSettings } from './config.js';
import { KiteInstrumentCatalog } from './instruments.js';
import { KITE_LIMITS, KiteClient } from './kite-client.js';
import { KITE_TAG, type KiteOrder, type KiteTrade, kiteOrderType, kitePlacement, mapKiteOrder, mapKiteTrade, rupeesToMinor, toExchange } from './kite-mapping.js';

export interface ZerodhaBrokerOptions {
  settings: ZerodhaSettings;
  apiKey: string;
  accessToken: string;
  /** Only needed to verify postbacks; kept out of every message. */
  apiSecret?: string;
  /** Kite user id, when known from the login; `connect()` reads it from the profile anyway. */
  userId?: string;
  clock: Clock;
  /** Jitter source for retries and reconnects (seed it in tests). */
  random?: () => number;
  /** An undici Agent/Pool to share; by default the adapter makes its own keep-alive Agent. */
  dispatcher?: Dispatcher;
  /** Client-side rate limiting from Kite's published limits (on unless benchmarking). */
  rateLimit?: boolean;
  /** Where the day's instrument dump is cached; memory only when absent. */
  instrumentCacheDir?: string;
  circuit?: { failureThreshold?: number; coolDownMs?: number };
  reconnect?: { baseMs?: number; maxMs?: number };
  /** Attempts for reads (first included). */
  readAttempts?: number;
}

interface KiteQuote {
  instrument_token?: number;
  timestamp?: string;
  last_price?: number;
  volume?: number;
  ohlc?: { close?: number };
  depth?: { buy?: { price: number; quantity: number }[]; sell?: { price: number; quantity: number }[] };
}

interface KiteHolding {
  tradingsymbol: string;
  exchange: string;
  quantity: number;
  t1_quantity?: number;
  average_price?: number;
  last_price?: number;
}

interface KitePosition {
  tradingsymbol: string;
  exchange: string;
  product: string;
  quantity: number;
  average_price?: number;
}

interface KiteMargins {
  equity?: { net?: number; available?: { live_balance?: number; cash?: number }; utilised?: { debits?: number } };
}

/**
 * Zerodha through Kite Connect v3. It translates and reports; it never decides: placements are
 * not retried (a lost answer is BrokerError 'unknown_outcome', resolved by the engine by tag),
 * reads are retried with backoff, a failing API opens the circuit, and the order-update
 * WebSocket is supervised and re-synchronised from the order and trade books after every reconnect.
 */
export class ZerodhaBroker implements Broker {
  readonly id = 'zerodha' as const;
  readonly capabilities = ZERODHA_CAPABILITIES;
  account: string;

  private readonly client: KiteClient;
  private readonly http: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly catalog: KiteInstrumentCatalog;
  private readonly listeners = new Set<BrokerEventListener>();
  private readonly tracker = new UpdateTracker();
  private readonly varietyById = new Map<string, string>();
  private readonly tagById = new Map<string, string>();
  private readonly filledById = new Map<string, number>();
  private socket?: SupervisedSocket;
  /** Stream work runs one message at a time so events keep the stream's order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ZerodhaBrokerOptions) {
    const { settings, clock } = options;
    this.account = options.userId ?? '';
    this.http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    this.breaker = new CircuitBreaker({
      broker: 'zerodha',
      clock,
      failureThreshold: options.circuit?.failureThreshold,
      coolDownMs: options.circuit?.coolDownMs,
      onOpen: (error) => this.emit({ type: 'error', error }),
    });
    this.client = new KiteClient({
      http: this.http,
      apiKey: options.apiKey,
      accessToken: options.accessToken,
      secrets: options.apiSecret ? [options.apiSecret] : [],
      limiter: new RateLimiter(KITE_LIMITS, clock, { disabled: options.rateLimit === false }),
      breaker: this.breaker,
      clock,
      random: options.random,
      readAttempts: options.readAttempts,
    });
    this.catalog = new KiteInstrumentCatalog(
      () => this.client.text({ method: 'GET', path: '/instruments', cls: 'other', timeoutMs: Math.max(settings.timeout_ms, 60_000) }),
      clock,
      options.instrumentCacheDir,
    );
  }

  async connect(): Promise<void> {
    const profile = await this.client.data<{ user_id?: string }>({ method: 'GET', path: '/user/profile', cls: 'other' });
    if (!profile?.user_id) throw new BrokerError('protocol', 'GET /user/profile: no user_id in the response', 'zerodha');
    this.account = profile.user_id;
  }

  async close(): Promise<void> {
    this.socket?.stop();
    this.socket = undefined;
    this.listeners.clear();
    await this.queue;
    await this.http.close();
  }

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    const all = await this.catalog.all();
    const out: Instrument[] = [];
    for (const q of query) {
      const found = q.exchange ? all.get(instrumentKey(q.exchange, q.symbol)) : (all.get(instrumentKey('NSE', q.symbol)) ?? all.get(instrumentKey('BSE', q.symbol)));
      if (found) out.push(found);
    }
    return out;
  }

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const keys = [...new Set(instruments.map((i) => instrumentKey(i.exchange, i.symbol)))];
    const out: Quote[] = [];
    const batch = this.options.settings.quote_batch;
    for (let i = 0; i < keys.length; i += batch) {
      const chunk = keys.slice(i, i + batch);
      const data = await this.client.data<Record<string, KiteQuote>>({ method: 'GET', path: '/quote', cls: 'quote', query: chunk.map((k) => ['i', k] as const) });
      for (const key of chunk) {
        const q = data?.[key];
        if (!q) continue;
        const [exchange, symbol] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
        const ex = toExchange(exchange);
        if (!ex) continue;
        const last = Math.round(rupeesToMinor(q.last_price));
        const bid = Math.round(rupeesToMinor(q.depth?.buy?.[0]?.price)) || last;
        const ask = Math.round(rupeesToMinor(q.depth?.sell?.[0]?.price)) || last;
        const quote: Quote = { symbol, exchange: ex, bid, ask, last, volume: q.volume ?? 0, ts: this.options.clock.now() };
        if (q.ohlc?.close) quote.close = Math.round(rupeesToMinor(q.ohlc.close));
        out.push(quote);
      }
    }
    return out;
  }

  /**
   * Kite's holdings and positions on the day of a delivery (CNC) trade and after. Confirmed from
   * Kite Connect's portfolio documentation, Zerodha's support articles ("What is the difference
   * between holdings and positions?", "Why do stocks sold from the holdings show up as a negative
   * position?", "Difference between net and day positions API") and the official clients' types:
   * - shares bought today appear in holdings only from the next trading day, as `t1_quantity`
   *   (T1 until delivered), then in `quantity`; on the trade day they are a CNC position;
   * - shares sold from holdings today are a negative CNC position; the demat is debited at the
   *   end of the day, and the holding reports them as `used_quantity` ("quantity sold from the net
   *   holding quantity");
   * - `day` holds only today's trades; `net` adds positions carried from earlier days;
   * - `quantity` does not include `t1_quantity`: the documented examples show `quantity` 0 with
   *   `t1_quantity` 2 and `opening_quantity` 2 (some clients' comments say "T+1 + realised").
   * Not stated anywhere:
   * - whether a holding's `quantity` stays unchanged through the day of a sale. Assumed, from
   *   `used_quantity` and the end-of-day debit; were it reduced at once, owned would be
   *   under-counted by the sale (plans would buy back what was sold; the short-sell check would
   *   err on the safe side);
   * - whether `net` ever carries a CNC row into the next day. Not relied on: reading `day`
   *   counts today's trades once either way.
   * So: owned = `quantity` + `t1_quantity` + today's CNC `day` quantity (`ownedInstruments`);
   * `used_quantity` is not subtracted, the negative position already says it.
   */
  async holdings(): Promise<Holding[]> {
    const rows = await this.client.data<KiteHolding[]>({ method: 'GET', path: '/portfolio/holdings', cls: 'other' });
    const out: Holding[] = [];
    for (const h of rows ?? []) {
      const exchange = toExchange(h.exchange);
      if (!exchange) continue;
      const holding: Holding = { symbol: h.tradingsymbol, exchange, quantity: h.quantity, t1Quantity: h.t1_quantity ?? 0, averagePrice: rupeesToMinor(h.average_price) };
      if (h.last_price) holding.lastPrice = Math.round(rupeesToMinor(h.last_price));
      out.push(holding);
    }
    return out;
  }

  /** Today's positions: Kite's `day` rows (see `holdings()` for why not `net`). */
  async positions(): Promise<Position[]> {
    const data = await this.client.data<{ net?: KitePosition[]; day?: KitePosition[] }>({ method: 'GET', path: '/portfolio/positions', cls: 'other' });
    const out: Position[] = [];
    for (const p of data?.day ?? []) {
      const exchange = toExchange(p.exchange);
      if (!exchange) continue;
      const { intraday_product: intradayProduct, delivery_product: deliveryProduct } = this.options.settings;
      const intraday = p.product === 'MIS' || (p.product === intradayProduct && p.product !== deliveryProduct);
      out.push({ symbol: p.tradingsymbol, exchange, quantity: p.quantity, averagePrice: rupeesToMinor(p.average_price), product: intraday ? 'intraday' : 'delivery' });
    }
    return out;
  }

  async funds(): Promise<Funds> {
    const data = await this.client.data<KiteMargins>({ method: 'GET', path: '/user/margins', cls: 'other' });
    const equity = data?.equity;
    if (!equity) throw new BrokerError('protocol', 'GET /user/margins: no equity segment in the response', 'zerodha');
    const available = equity.available?.live_balance ?? equity.net ?? equity.available?.cash ?? 0;
    return { currency: 'INR', available: Math.round(rupeesToMinor(available)), used: Math.round(rupeesToMinor(equity.utilised?.debits ?? 0)) };
  }

  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    refuseUnsupportedOrderClass(request);
    const { variety, form } = kitePlacement(request, {
      marketProtection: this.options.settings.market_protection,
      deliveryProduct: this.options.settings.delivery_product,
      intradayProduct: this.options.settings.intraday_product,
    });
    this.breaker.guard();
    const data = await this.client.data<{ order_id?: string | number }>({ method: 'POST', path: `/orders/${variety}`, cls: 'orders', write: true, form });
    if (data?.order_id === undefined) throw new BrokerError('unknown_outcome', `POST /orders/${variety}: no order_id in a success response`, 'zerodha', { code: 'no_order_id' });
    const id = String(data.order_id);
    this.varietyById.set(id, variety);
    this.tagById.set(id, request.clientOrderId);
    return { brokerOrderId: id };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    const variety = await this.varietyOf(brokerOrderId);
    const form: Record<string, string | number | undefined> = {
      quantity: change.quantity,
      price: change.limitPrice !== undefined ? formatMinor(change.limitPrice) : undefined,
      trigger_price: change.triggerPrice !== undefined ? formatMinor(change.triggerPrice) : undefined,
      order_type: change.type ? kiteOrderType(change.type) : undefined,
    };
    if (change.type === 'market' || change.type === 'stop') form.market_protection = this.options.settings.market_protection;
    await this.client.data({ method: 'PUT', path: `/orders/${variety}/${encodeURIComponent(brokerOrderId)}`, cls: 'orders', write: true, form });
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    const variety = await this.varietyOf(brokerOrderId);
    await this.client.data({ method: 'DELETE', path: `/orders/${variety}/${encodeURIComponent(brokerOrderId)}`, cls: 'orders', write: true });
  }

  async orders(): Promise<BrokerOrder[]> {
    const rows = await this.client.data<KiteOrder[]>({ method: 'GET', path: '/orders', cls: 'other' });
    return this.mapOrders(rows ?? []);
  }

  /** Every state an order went through (`GET /orders/{id}`), oldest first. */
  async orderHistory(brokerOrderId: string): Promise<BrokerOrder[]> {
    const rows = await this.client.data<KiteOrder[]>({ method: 'GET', path: `/orders/${encodeURIComponent(brokerOrderId)}`, cls: 'other', lookup: true });
    return this.mapOrders(rows ?? []);
  }

  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const matches = (await this.orders()).filter((o) => o.clientOrderId === clientOrderId);
    return matches.at(-1);
  }

  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    const path = brokerOrderId ? `/orders/${encodeURIComponent(brokerOrderId)}/trades` : '/trades';
    const rows = (await this.client.data<KiteTrade[]>({ method: 'GET', path, cls: 'other', lookup: brokerOrderId !== undefined })) ?? [];
    if (rows.some((t) => !this.tagById.has(String(t.order_id)))) await this.orders();
    const now = this.options.clock.now();
    return rows.map((t) => mapKiteTrade(t, this.tagById.get(String(t.order_id)), now)).filter((t): t is BrokerTrade => t !== undefined);
  }

  subscribe(listener: BrokerEventListener): () => void {
    this.listeners.add(listener);
    this.startStream();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.socket?.stop();
        this.socket = undefined;
      }
    };
  }

  /**
   * Re-reads the order and trade books and reports whatever the stream did not (fills and
   * status changes missed while disconnected or dropped). Runs after every reconnect; the
   * engine may also call it to reconcile.
   */
  resync(reason: string): Promise<void> {
    return this.enqueue(async () => {
      this.emit({ type: 'resync', reason });
      const orders = await this.orders();
      const trades = await this.trades();
      for (const t of trades) if (this.tracker.tradeIsNew(t)) this.emit({ type: 'trade', trade: t });
      for (const o of orders) {
        this.filledById.set(o.brokerOrderId, Math.max(this.filledById.get(o.brokerOrderId) ?? 0, o.filledQuantity));
        if (this.tracker.orderChanged(o)) this.emit({ type: 'order', order: o });
      }
    });
  }

  private startStream(): void {
    if (this.socket) return;
    const { settings, clock } = this.options;
    this.socket = new SupervisedSocket({
      url: () => {
        const url = new URL(settings.ws_url);
        url.searchParams.set('api_key', this.options.apiKey);
        url.searchParams.set('access_token', this.options.accessToken);
        return url.toString();
      },
      clock,
      silenceTimeoutMs: settings.ws_silence_ms,
      reconnectBaseMs: this.options.reconnect?.baseMs,
      reconnectMaxMs: this.options.reconnect?.maxMs,
      random: this.options.random,
      onMessage: (data, isBinary) => this.onFrame(data, isBinary),
      onOpen: (reconnected) => {
        if (reconnected) void this.resync('order-update stream reconnected');
      },
      onDown: (reason, retryInMs) => this.emit({ type: 'disconnected', reason: `order-update stream ${reason}; reconnecting in ${retryInMs} ms` }),
    });
    this.socket.start();
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    // Binary frames of one or two bytes are heartbeats; longer ones are market ticks we do not subscribe to.
    if (isBinary) return;
    let message: { type?: string; data?: unknown };
    try {
      message = JSON.parse(data.toString('utf8')) as typeof message;
    } catch {
      this.emit({ type: 'error', error: new BrokerError('protocol', 'order-update stream sent a text frame that is not JSON', 'zerodha') });
      return;
    }
    if (message.type === 'order' && message.data && typeof message.data === 'object') {
      const kiteOrder = message.data as KiteOrder;
      void this.enqueue(() => this.onOrderUpdate(kiteOrder));
    } else if (message.type === 'error') {
      this.emit({ type: 'error', error: new BrokerError('unavailable', `order-update stream: ${String(message.data)}`, 'zerodha') });
    }
  }

  private async onOrderUpdate(kiteOrder: KiteOrder): Promise<void> {
    let order: BrokerOrder | undefined;
    try {
      order = mapKiteOrder(kiteOrder, this.options.clock.now());
    } catch (err) {
      this.emit({ type: 'error', error: err as Error });
      return;
    }
    if (!order) return;
    this.remember(kiteOrder);
    const before = this.filledById.get(order.brokerOrderId) ?? 0;
    if (order.filledQuantity > before) {
      // The stream carries the order, not its fills: the new fills are read from the trade book.
      try {
        const trades = await this.trades(order.brokerOrderId);
        for (const t of trades) if (this.tracker.tradeIsNew(t)) this.emit({ type: 'trade', trade: t });
        this.filledById.set(order.brokerOrderId, order.filledQuantity);
      } catch (err) {
        this.emit({ type: 'error', error: err as Error });
        if (!isBrokerError(err, 'auth')) this.options.clock.setTimeout(() => void this.resync('fills could not be read after an order update'), 1_000);
      }
    }
    if (this.tracker.orderChanged(order)) this.emit({ type: 'order', order });
  }

  private mapOrders(rows: KiteOrder[]): BrokerOrder[] {
    const now = this.options.clock.now();
    const out: BrokerOrder[] = [];
    for (const row of rows) {
      this.remember(row);
      const order = mapKiteOrder(row, now);
      if (order) out.push(order);
    }
    return out;
  }

  private remember(row: KiteOrder): void {
    const id = String(row.order_id);
    if (row.variety) this.varietyById.set(id, row.variety);
    const tag = row.tag ?? row.tags?.[0];
    if (tag) this.tagById.set(id, tag);
  }

  private async varietyOf(brokerOrderId: string): Promise<string> {
    const known = this.varietyById.get(brokerOrderId);
    if (known) return known;
    const history = await this.client.data<KiteOrder[]>({ method: 'GET', path: `/orders/${encodeURIComponent(brokerOrderId)}`, cls: 'other', lookup: true });
    for (const row of history ?? []) this.remember(row);
    const variety = this.varietyById.get(brokerOrderId);
    if (!variety) throw new BrokerError('not_found', `order ${brokerOrderId} is not in the Kite order book`, 'zerodha');
    return variety;
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task).catch((err: unknown) => this.emit({ type: 'error', error: err instanceof Error ? err : new Error(String(err)) }));
    this.queue = next;
    return next;
  }

  private emit(event: BrokerEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own; the stream carries on for the others.
      }
    }
  }
}

/**
 * Kite discontinued bracket orders (variety `bo`) for equity, and its regular order API has no
 * one-cancels-other. Its GTT "two-leg" trigger is not an order: it carries no tag, so it cannot
 * be found by our client order id after an unknown outcome, it does not appear in the order book
 * until it fires, and it fires on the last traded price into a fresh order. Such requests are
 * refused before anything is sent, and `capabilities.orderClasses` lists neither class.
 */
function refuseUnsupportedOrderClass(request: OrderRequest): void {
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

export { ZERODHA_CAPABILITIES } from './capabilities.js';
