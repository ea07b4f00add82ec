import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { Broker, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { DailyFileCache } from '../http/daily-file-cache.js';
import { HttpClient } from '../http/http-client.js';
import { pickInstruments } from '../http/indian-instruments.js';
import { OrderUpdateRelay } from '../http/order-update-relay.js';
import { SupervisedSocket } from '../http/supervised-socket.js';
import { UPSTOX_CAPABILITIES } from './capabilities.js';
import type { UpstoxSettings } from './config.js';
import { parseUpstoxInstruments, type UpstoxInstruments } from './instruments.js';
import { UpstoxClient } from './upstox-client.js';
import { mapUpstoxOrder, type UpstoxOrder, upstoxModifyBody, upstoxPlacement } from './upstox-mapping.js';
import { UpstoxOrderBook } from './upstox-order-book.js';
import { UpstoxSnapshotReader } from './upstox-snapshot.js';
import { UPSTOX_LIMITS } from './wire-facts.js';

export interface UpstoxBrokerOptions extends Omit<BrokerGuardOptions, 'retryBaseMs'> {
  settings: UpstoxSettings;
  accessToken: string;
  /** Upstox user id, when known from the login; `connect()` reads it from the profile anyway. */
  userId?: string;
  dispatcher?: Dispatcher;
  /** Where the day's instrument master is cached; memory only when absent. */
  instrumentCacheDir?: string;
  reconnect?: { baseMs?: number; maxMs?: number };
}

/**
 * Upstox through its API v2 (reads) and v3 order endpoints on the order host. It translates and
 * reports; it never decides: placements are not retried (a lost answer is BrokerError
 * 'unknown_outcome', resolved by the engine by tag), reads are retried with backoff, a failing
 * API opens the circuit, and the portfolio stream is supervised and re-synchronised from the
 * order and trade books after every reconnect.
 */
export class UpstoxBroker implements Broker {
  readonly id = 'upstox' as const;
  readonly capabilities = UPSTOX_CAPABILITIES;
  account: string;

  private readonly client: UpstoxClient;
  private readonly api: HttpClient;
  private readonly ordersHost: HttpClient;
  private readonly master: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly catalog: DailyFileCache<UpstoxInstruments>;
  private readonly book: UpstoxOrderBook;
  private readonly snapshot: UpstoxSnapshotReader;
  private readonly relay: OrderUpdateRelay;
  private socket?: SupervisedSocket;

  constructor(private readonly options: UpstoxBrokerOptions) {
    const { settings, clock } = options;
    this.account = options.userId ?? '';
    this.api = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    this.ordersHost = settings.order_url === settings.api_url ? this.api : new HttpClient({ baseUrl: settings.order_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    this.master = new HttpClient({ baseUrl: settings.instruments_url, timeoutMs: Math.max(settings.timeout_ms, 60_000), dispatcher: options.dispatcher });
    const guards = brokerGuards('upstox', UPSTOX_LIMITS, options, (error) => this.relay.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    this.client = new UpstoxClient({ ...guards, api: this.api, orders: this.ordersHost, accessToken: options.accessToken });
    this.catalog = new DailyFileCache({
      name: 'upstox-instruments',
      ext: 'json',
      fetch: () => this.client.download(this.master, 'the Upstox instrument master'),
      parse: parseUpstoxInstruments,
      clock,
      day: (now) => tradingDate('NSE', now),
      cacheDir: options.instrumentCacheDir,
    });
    this.book = new UpstoxOrderBook(this.client, clock);
    this.snapshot = new UpstoxSnapshotReader(this.client, settings, () => this.catalog.get(), clock);
    this.relay = new OrderUpdateRelay({ clock, orders: () => this.orders(), trades: (id) => this.trades(id) });
  }

  async connect(): Promise<void> {
    const profile = await this.client.data<{ user_id?: string }>({ method: 'GET', path: '/v2/user/profile', cls: 'other', apiVersion: true });
    if (!profile?.user_id) throw new BrokerError('protocol', 'GET /v2/user/profile: no user_id in the response', 'upstox');
    this.account = profile.user_id;
  }

  async close(): Promise<void> {
    this.socket?.stop();
    this.socket = undefined;
    this.relay.listeners.clear();
    await this.relay.drained();
    await Promise.all([this.api.close(), this.ordersHost === this.api ? undefined : this.ordersHost.close(), this.master.close()]);
  }

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    return pickInstruments((await this.catalog.get()).bySymbol, query);
  }

  async listInstruments(): Promise<Instrument[]> {
    return [...(await this.catalog.get()).bySymbol.values()];
  }

  quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    return this.snapshot.quotes(instruments);
  }

  /** Owned shares are holdings plus today's delivery positions: see `UpstoxSnapshotReader.holdings`. */
  holdings(): Promise<Holding[]> {
    return this.snapshot.holdings();
  }

  positions(): Promise<Position[]> {
    return this.snapshot.positions();
  }

  funds(): Promise<Funds> {
    return this.snapshot.funds();
  }

  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    const [instrument] = await this.instruments([{ symbol: request.symbol, exchange: request.exchange }]);
    if (!instrument?.brokerToken) throw new BrokerError('input', `${request.exchange}:${request.symbol} is not in the Upstox instrument master`, 'upstox', { code: 'unknown_instrument' });
    const body = upstoxPlacement(request, instrument.brokerToken, this.options.settings.delivery_product);
    this.breaker.guard();
    const data = await this.client.data<{ order_ids?: string[] }>({ method: 'POST', path: '/v3/order/place', host: 'orders', cls: 'orders', write: true, json: body });
    const id = data?.order_ids?.[0];
    if (id === undefined) throw new BrokerError('unknown_outcome', 'POST /v3/order/place: no order_ids in a success response', 'upstox', { code: 'no_order_id' });
    this.book.placed(String(id), body);
    return { brokerOrderId: String(id) };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    const current = await this.book.current(brokerOrderId);
    const body = upstoxModifyBody(brokerOrderId, current, change);
    await this.client.data({ method: 'PUT', path: '/v3/order/modify', host: 'orders', cls: 'orders', write: true, json: body });
    this.book.remember({ ...current, ...body } as UpstoxOrder);
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.client.data({ method: 'DELETE', path: '/v3/order/cancel', host: 'orders', cls: 'orders', write: true, query: [['order_id', brokerOrderId]] });
  }

  orders(): Promise<BrokerOrder[]> {
    return this.book.orders();
  }

  /** Every state an order went through, oldest first. */
  orderHistory(brokerOrderId: string): Promise<BrokerOrder[]> {
    return this.book.history(brokerOrderId);
  }

  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    return (await this.orders()).filter((o) => o.clientOrderId === clientOrderId).at(-1);
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

  /** Re-reads the order and trade books and reports what the stream did not. */
  resync(reason: string): Promise<void> {
    return this.relay.resync(reason);
  }

  private startStream(): void {
    if (this.socket) return;
    const { settings, clock } = this.options;
    this.socket = new SupervisedSocket({
      url: () => {
        const url = new URL(settings.ws_url);
        url.searchParams.set('update_types', 'order');
        return url.toString();
      },
      headers: { authorization: `Bearer ${this.options.accessToken}`, accept: 'application/json' },
      followRedirects: true,
      clock,
      silenceTimeoutMs: settings.ws_silence_ms,
      reconnectBaseMs: this.options.reconnect?.baseMs,
      reconnectMaxMs: this.options.reconnect?.maxMs,
      random: this.options.random,
      onMessage: (data) => this.onFrame(data),
      onOpen: (reconnected) => {
        if (reconnected) void this.resync('order-update stream reconnected');
      },
      onDown: (reason, retryInMs) => this.relay.emit({ type: 'disconnected', reason: `order-update stream ${reason}; reconnecting in ${retryInMs} ms` }),
    });
    this.socket.start();
  }

  private onFrame(data: Buffer): void {
    let message: { update_type?: string } & Partial<UpstoxOrder>;
    try {
      message = JSON.parse(data.toString('utf8')) as typeof message;
    } catch {
      this.relay.emit({ type: 'error', error: new BrokerError('protocol', 'order-update stream sent a frame that is not JSON', 'upstox') });
      return;
    }
    if (message.update_type !== 'order' || !message.order_id) return;
    const row = message as UpstoxOrder;
    this.book.remember(row);
    void this.relay.order(() => mapUpstoxOrder(row, this.options.clock.now()));
  }
}
