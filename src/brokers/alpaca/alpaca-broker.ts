import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import { toMinor } from '../../domain/money.js';
import type { OrderRequest } from '../../domain/order.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { Broker, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { OrderUpdateRelay } from '../http/order-update-relay.js';
import { SupervisedSocket } from '../http/supervised-socket.js';
import { AlpacaClient } from './alpaca-client.js';
import { type AlpacaFill, type AlpacaOrder, alpacaPlacement, alpacaReplaceBody, centsOf } from './alpaca-mapping.js';
import { AlpacaOrderBook } from './alpaca-order-book.js';
import { ALPACA_CAPABILITIES } from './capabilities.js';
import type { AlpacaSettings } from './config.js';
import { ALPACA_LIMITS } from './wire-facts.js';

export interface AlpacaBrokerOptions extends BrokerGuardOptions {
  settings: AlpacaSettings;
  keyId: string;
  secretKey: string;
  dispatcher?: Dispatcher;
  reconnect?: { baseMs?: number; maxMs?: number };
}

interface AlpacaAsset {
  symbol: string;
  exchange: string;
  name?: string;
  status?: string;
  tradable?: boolean;
}

interface AlpacaPosition {
  symbol: string;
  exchange?: string;
  qty: string;
  side?: string;
  avg_entry_price?: string;
  current_price?: string | null;
}

interface AlpacaSnapshot {
  latestTrade?: { p?: number };
  latestQuote?: { ap?: number; bp?: number; t?: string };
  dailyBar?: { v?: number };
  prevDailyBar?: { c?: number };
}

/** Alpaca's listing venues as ptexec's exchanges; NYSE Arca, NYSE American and Cboe BZX listings trade as NYSE. */
function exchangeOfAsset(asset: AlpacaAsset): Exchange | undefined {
  if (asset.exchange === 'NASDAQ') return 'NASDAQ';
  if (['NYSE', 'ARCA', 'AMEX', 'BATS'].includes(asset.exchange)) return 'NYSE';
  return undefined;
}

/**
 * Alpaca through its Trading API v2 (and the market-data API for quotes). It translates and
 * reports; it never decides: placements are not retried (a lost answer is BrokerError
 * 'unknown_outcome', resolved by the engine with `client_order_id`), reads are retried with
 * backoff under the account's 200-per-minute limit, a failing API opens the circuit, and the
 * `trade_updates` stream is supervised and re-synchronised from the order and fill books after
 * every reconnect.
 */
export class AlpacaBroker implements Broker {
  readonly id = 'alpaca' as const;
  readonly capabilities = ALPACA_CAPABILITIES;
  account = '';

  private readonly client: AlpacaClient;
  private readonly trading: HttpClient;
  private readonly data: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly book: AlpacaOrderBook;
  private readonly relay: OrderUpdateRelay;
  private readonly assets = new Map<string, Promise<AlpacaAsset | undefined>>();
  private socket?: SupervisedSocket;
  /** The stream's connection is not its first: catching up is a resync the engine hears of. */
  private reconnected = false;

  constructor(private readonly options: AlpacaBrokerOptions) {
    const { settings, clock } = options;
    this.trading = new HttpClient({ baseUrl: settings.trading_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    this.data = settings.data_url === settings.trading_url ? this.trading : new HttpClient({ baseUrl: settings.data_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    const guards = brokerGuards('alpaca', ALPACA_LIMITS, options, (error) => this.relay.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    this.client = new AlpacaClient({ ...guards, trading: this.trading, data: this.data, keyId: options.keyId, secretKey: options.secretKey });
    this.book = new AlpacaOrderBook(this.client, (symbol) => this.exchangeOf(symbol), clock);
    this.relay = new OrderUpdateRelay({ clock, orders: () => this.orders(), trades: (id) => this.trades(id) });
  }

  async connect(): Promise<void> {
    const account = await this.client.json<{ account_number?: string; id?: string }>({ method: 'GET', path: '/v2/account', cls: 'api' });
    if (!account?.account_number) throw new BrokerError('protocol', 'GET /v2/account: no account_number in the response', 'alpaca');
    this.account = account.account_number;
  }

  async close(): Promise<void> {
    this.socket?.stop();
    this.socket = undefined;
    this.relay.listeners.clear();
    await this.relay.drained();
    await Promise.all([this.trading.close(), this.data === this.trading ? undefined : this.data.close()]);
  }

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    const out: Instrument[] = [];
    for (const q of query) {
      const asset = await this.asset(q.symbol);
      const exchange = asset && exchangeOfAsset(asset);
      if (!asset || !exchange || (q.exchange !== undefined && q.exchange !== exchange) || asset.tradable === false) continue;
      // US equities quote in whole cents (above $1); ptexec trades whole shares.
      out.push({ symbol: asset.symbol, exchange, name: asset.name ?? asset.symbol, currency: 'USD', tickSize: 1, lotSize: 1, brokerToken: asset.symbol });
    }
    return out;
  }

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    const wanted = instruments.filter((i) => i.exchange === 'NYSE' || i.exchange === 'NASDAQ');
    if (wanted.length === 0) return [];
    const data = await this.client.json<Record<string, AlpacaSnapshot>>({ method: 'GET', path: '/v2/stocks/snapshots', host: 'data', cls: 'data', query: [['symbols', [...new Set(wanted.map((i) => i.symbol))].join(',')], ['feed', this.options.settings.feed]] });
    const out: Quote[] = [];
    for (const i of wanted) {
      const s = data?.[i.symbol];
      if (!s) continue;
      const cents = (v: number | undefined) => (v ? toMinor(v) : 0);
      const last = cents(s.latestTrade?.p) || Math.round((cents(s.latestQuote?.bp) + cents(s.latestQuote?.ap)) / 2);
      const quote: Quote = { symbol: i.symbol, exchange: i.exchange, bid: cents(s.latestQuote?.bp) || last, ask: cents(s.latestQuote?.ap) || last, last, volume: s.dailyBar?.v ?? 0, ts: this.options.clock.now() };
      if (s.prevDailyBar?.c) quote.close = cents(s.prevDailyBar.c);
      out.push(quote);
    }
    return out;
  }

  /**
   * Alpaca's positions are what the account owns, today's fills included. US equities settle
   * T+1: the shares bought today (net of today's sales, from the day's fills) are the
   * `t1Quantity` part, the rest is settled.
   */
  async holdings(): Promise<Holding[]> {
    const rows = await this.client.json<AlpacaPosition[]>({ method: 'GET', path: '/v2/positions', cls: 'api' });
    const today = await this.todaysNetBuys();
    const out: Holding[] = [];
    for (const p of rows ?? []) {
      const qty = Number(p.qty);
      if (!(qty > 0) || !Number.isInteger(qty) || p.side === 'short') continue;
      const exchange = (await this.exchangeOf(p.symbol)) ?? 'NYSE';
      const unsettled = Math.min(qty, Math.max(0, today.get(p.symbol) ?? 0));
      const holding: Holding = { symbol: p.symbol, exchange, quantity: qty - unsettled, t1Quantity: unsettled, averagePrice: centsOf(p.avg_entry_price) };
      if (p.current_price) holding.lastPrice = Math.round(centsOf(p.current_price));
      out.push(holding);
    }
    return out;
  }

  /** Alpaca has no separate day positions: what the account owns is in `holdings()`. */
  async positions(): Promise<Position[]> {
    return [];
  }

  async funds(): Promise<Funds> {
    const a = await this.client.json<{ currency?: string; cash?: string; buying_power?: string }>({ method: 'GET', path: '/v2/account', cls: 'api' });
    if (a?.cash === undefined) throw new BrokerError('protocol', 'GET /v2/account: no cash in the response', 'alpaca');
    if (a.currency && a.currency !== 'USD') throw new BrokerError('protocol', `GET /v2/account: the account is in ${a.currency}; ptexec trades Alpaca accounts in USD`, 'alpaca');
    const cash = toMinor(Number(a.cash));
    // Open buy orders hold buying power; margin would raise it above the cash: trade cash only.
    const available = Math.max(0, Math.min(cash, toMinor(Number(a.buying_power ?? a.cash))));
    return { currency: 'USD', available, used: cash - available };
  }

  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    const body = alpacaPlacement(request);
    this.breaker.guard();
    const row = await this.client.json<AlpacaOrder>({ method: 'POST', path: '/v2/orders', cls: 'orders', write: true, json: body });
    if (!row?.id) throw new BrokerError('unknown_outcome', 'POST /v2/orders: no order id in a success response', 'alpaca', { code: 'no_order_id' });
    this.book.remember(row);
    return { brokerOrderId: row.id };
  }

  /**
   * Alpaca replaces rather than modifies: the PATCH answers a new order for the rest. The new
   * quantity is what remains after the chain's fills (ptexec's change names the order's total;
   * unverified: that Alpaca's replacement qty excludes the replaced order's fills).
   */
  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    if (change.type !== undefined) throw new BrokerError('input', 'Alpaca cannot change the type of an order; cancel it and place another', 'alpaca', { code: 'type_change' });
    let standing = this.book.standing(brokerOrderId);
    if (!standing) {
      await this.orders();
      standing = this.book.standing(brokerOrderId);
    }
    if (!standing) throw new BrokerError('not_found', `order ${brokerOrderId} is not in the Alpaca order book`, 'alpaca');
    if (this.book.isLinked(brokerOrderId)) {
      throw new BrokerError('input', `order ${brokerOrderId} belongs to a bracket or OCO: ptexec does not replace its orders; cancel the group and place another`, 'alpaca', { code: 'linked_replace' });
    }
    // The fills so far, read now: the replacement is for what is still to fill.
    if (change.quantity !== undefined) {
      this.book.remember(await this.client.json<AlpacaOrder>({ method: 'GET', path: `/v2/orders/${encodeURIComponent(standing.id)}`, cls: 'api', lookup: true }));
    }
    const current = await this.book.chainOrder(this.book.rootOf(brokerOrderId));
    const remaining = change.quantity === undefined ? undefined : change.quantity - current!.filledQuantity;
    const row = await this.client.json<AlpacaOrder>({ method: 'PATCH', path: `/v2/orders/${encodeURIComponent(standing.id)}`, cls: 'orders', write: true, json: alpacaReplaceBody(change, remaining) });
    if (row?.id) this.book.remember({ ...row, replaces: row.replaces ?? standing.id });
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    const standing = this.book.standing(brokerOrderId)?.id ?? brokerOrderId;
    await this.client.json({ method: 'DELETE', path: `/v2/orders/${encodeURIComponent(standing)}`, cls: 'orders', write: true });
  }

  orders(): Promise<BrokerOrder[]> {
    return this.book.orders();
  }

  findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    return this.book.byClientId(clientOrderId);
  }

  trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    return this.book.trades(brokerOrderId);
  }

  subscribe(listener: BrokerEventListener): () => void {
    return this.relay.subscribe(listener, {
      start: () => this.startStream(),
      stop: () => {
        this.socket?.stop();
        this.socket = undefined;
      },
    });
  }

  /** Re-reads the order and fill books and reports what the stream did not. */
  resync(reason: string): Promise<void> {
    return this.relay.resync(reason);
  }

  private asset(symbol: string): Promise<AlpacaAsset | undefined> {
    let found = this.assets.get(symbol);
    if (!found) {
      found = this.client.json<AlpacaAsset>({ method: 'GET', path: `/v2/assets/${encodeURIComponent(symbol)}`, cls: 'api', lookup: true }).catch((err: unknown) => {
        if ((err as { kind?: string }).kind === 'not_found') return undefined;
        this.assets.delete(symbol);
        throw err;
      });
      this.assets.set(symbol, found);
    }
    return found;
  }

  private async exchangeOf(symbol: string): Promise<Exchange> {
    const asset = await this.asset(symbol);
    return (asset && exchangeOfAsset(asset)) ?? 'NYSE';
  }

  /** Shares bought minus shares sold today, per symbol, from the day's fills. */
  private async todaysNetBuys(): Promise<Map<string, number>> {
    const day = tradingDate('NYSE', this.options.clock.now());
    const fills = await this.client.json<AlpacaFill[]>({ method: 'GET', path: '/v2/account/activities/FILL', cls: 'api', query: [['date', day], ['direction', 'asc'], ['page_size', '100']] });
    const net = new Map<string, number>();
    for (const f of fills ?? []) net.set(f.symbol, (net.get(f.symbol) ?? 0) + (f.side === 'buy' ? 1 : -1) * Number(f.qty));
    return net;
  }

  private startStream(): void {
    if (this.socket) return;
    const { settings, clock } = this.options;
    const socket = new SupervisedSocket({
      url: () => settings.stream_url,
      clock,
      silenceTimeoutMs: settings.ws_silence_ms,
      reconnectBaseMs: this.options.reconnect?.baseMs,
      reconnectMaxMs: this.options.reconnect?.maxMs,
      random: this.options.random,
      onMessage: (data) => this.onFrame(data),
      onOpen: (reconnected) => {
        this.reconnected = reconnected;
        socket.send(JSON.stringify({ action: 'authenticate', data: { key_id: this.options.keyId, secret_key: this.options.secretKey } }));
      },
      onDown: (reason, retryInMs) => this.relay.emit({ type: 'disconnected', reason: `trade_updates stream ${reason}; reconnecting in ${retryInMs} ms` }),
    });
    this.socket = socket;
    socket.start();
  }

  /** Alpaca sends the stream's JSON in text or binary frames alike. */
  private onFrame(data: Buffer): void {
    let message: { stream?: string; data?: { status?: string; event?: string; order?: AlpacaOrder; error?: string } };
    try {
      message = JSON.parse(data.toString('utf8')) as typeof message;
    } catch {
      this.relay.emit({ type: 'error', error: new BrokerError('protocol', 'the trade_updates stream sent a frame that is not JSON', 'alpaca') });
      return;
    }
    if (message.stream === 'authorization') {
      if (message.data?.status === 'authorized') this.socket?.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
      else this.relay.emit({ type: 'error', error: new BrokerError('auth', 'the trade_updates stream refused the API key pair', 'alpaca', { hint: 'check PTEXEC_ALPACA_API_KEY and PTEXEC_ALPACA_API_SECRET (or run `ptexec brokers login alpaca`)' }) });
      return;
    }
    if (message.stream === 'listening') {
      // Updates flow from now on: what happened before (while connecting, or while cut off) is read from the books.
      void this.relay.resync(this.reconnected ? 'trade_updates stream reconnected' : 'trade_updates stream listening', { quiet: !this.reconnected });
      return;
    }
    if (message.stream !== 'trade_updates' || !message.data?.order?.id) return;
    const row = message.data.order;
    this.book.remember(row);
    void this.relay.order(async () => {
      // A leg of a bracket or OCO whose parent is not known yet (placed before a restart): the nested book places it.
      if (!this.book.groupKnown(row.id)) await this.book.orders();
      return this.book.chainOrder(this.book.rootOf(row.id));
    });
  }
}
