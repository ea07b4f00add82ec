import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';
import type {
  Broker,
  BrokerCapabilities,
  BrokerEventListener,
  BrokerOrder,
  BrokerTrade,
  InstrumentQuery,
  OrderChange,
  PlaceOrderResult,
} from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { pickInstruments } from '../http/indian-instruments.js';
import { SupervisedSocket } from '../http/supervised-socket.js';
import { OrderUpdateRelay } from '../http/order-update-relay.js';
import { ZERODHA_CAPABILITIES } from './capabilities.js';
import type { ZerodhaSettings } from './config.js';
import { KiteInstrumentCatalog } from './instruments.js';
import { KITE_LIMITS, KiteClient } from './kite-client.js';
import { KITE_TAG, type KiteOrder, kitePlacement, mapKiteOrder } from './kite-mapping.js';
import { KiteOrderBook } from './kite-order-book.js';
import { kiteModifyForm, refuseUnsupportedOrderClass } from './kite-order-requests.js';
import { KiteSnapshotReader } from './kite-snapshot.js';

export interface ZerodhaBrokerOptions extends BrokerGuardOptions {
  settings: ZerodhaSettings;
  apiKey: string;
  accessToken: string;
  /** Only needed to verify postbacks; kept out of every message. */
  apiSecret?: string;
  /** Kite user id, when known from the login; `connect()` reads it from the profile anyway. */
  userId?: string;
  /** An undici Agent/Pool to share; by default the adapter makes its own keep-alive Agent. */
  dispatcher?: Dispatcher;
  /** Where the day's instrument dump is cached; memory only when absent. */
  instrumentCacheDir?: string;
  reconnect?: { baseMs?: number; maxMs?: number };
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
  private readonly relay: OrderUpdateRelay;
  private readonly book: KiteOrderBook;
  private readonly snapshot: KiteSnapshotReader;
  private socket?: SupervisedSocket;

  constructor(private readonly options: ZerodhaBrokerOptions) {
    const { settings, clock } = options;
    this.account = options.userId ?? '';
    this.http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    const guards = brokerGuards('zerodha', KITE_LIMITS, options, (error) => this.relay.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    this.client = new KiteClient({ ...guards, http: this.http, apiKey: options.apiKey, accessToken: options.accessToken, secrets: options.apiSecret ? [options.apiSecret] : [] });
    this.catalog = new KiteInstrumentCatalog(
      () => this.client.text({ method: 'GET', path: '/instruments', cls: 'other', timeoutMs: Math.max(settings.timeout_ms, 60_000) }),
      clock,
      options.instrumentCacheDir,
    );
    this.book = new KiteOrderBook(this.client, clock);
    this.snapshot = new KiteSnapshotReader(this.client, settings, clock);
    this.relay = new OrderUpdateRelay({ clock, orders: () => this.orders(), trades: (id) => this.trades(id) });
  }

  async connect(): Promise<void> {
    const profile = await this.client.data<{ user_id?: string }>({ method: 'GET', path: '/user/profile', cls: 'other' });
    if (!profile?.user_id) throw new BrokerError('protocol', 'GET /user/profile: no user_id in the response', 'zerodha');
    this.account = profile.user_id;
  }

  async close(): Promise<void> {
    this.socket?.stop();
    this.socket = undefined;
    this.relay.listeners.clear();
    await this.relay.drained();
    await this.http.close();
  }

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    return pickInstruments(await this.catalog.all(), query);
  }

  async listInstruments(): Promise<Instrument[]> {
    return [...(await this.catalog.all()).values()];
  }

  quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    return this.snapshot.quotes(instruments);
  }

  /** Owned shares are holdings plus today's delivery positions: see `KiteSnapshotReader.holdings`. */
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
    this.book.placed(id, variety, request.clientOrderId);
    return { brokerOrderId: id };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    const variety = await this.book.varietyOf(brokerOrderId);
    const form = kiteModifyForm(change, this.options.settings.market_protection);
    await this.client.data({ method: 'PUT', path: `/orders/${variety}/${encodeURIComponent(brokerOrderId)}`, cls: 'orders', write: true, form });
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    const variety = await this.book.varietyOf(brokerOrderId);
    await this.client.data({ method: 'DELETE', path: `/orders/${variety}/${encodeURIComponent(brokerOrderId)}`, cls: 'orders', write: true });
  }

  orders(): Promise<BrokerOrder[]> {
    return this.book.orders();
  }

  /** Every state an order went through (`GET /orders/{id}`), oldest first. */
  orderHistory(brokerOrderId: string): Promise<BrokerOrder[]> {
    return this.book.history(brokerOrderId);
  }

  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const matches = (await this.orders()).filter((o) => o.clientOrderId === clientOrderId);
    return matches.at(-1);
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

  /**
   * Re-reads the order and trade books and reports whatever the stream did not (fills and
   * status changes missed while disconnected or dropped). Runs after every reconnect; the
   * engine may also call it to reconcile.
   */
  resync(reason: string): Promise<void> {
    return this.relay.resync(reason);
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
      onDown: (reason, retryInMs) => this.relay.emit({ type: 'disconnected', reason: `order-update stream ${reason}; reconnecting in ${retryInMs} ms` }),
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
      this.relay.emit({ type: 'error', error: new BrokerError('protocol', 'order-update stream sent a text frame that is not JSON', 'zerodha') });
      return;
    }
    if (message.type === 'order' && message.data && typeof message.data === 'object') {
      const kiteOrder = message.data as KiteOrder;
      void this.relay.order(() => {
        const order = mapKiteOrder(kiteOrder, this.options.clock.now());
        if (order) this.book.remember(kiteOrder);
        return order;
      });
    } else if (message.type === 'error') {
      this.relay.emit({ type: 'error', error: new BrokerError('unavailable', `order-update stream: ${String(message.data)}`, 'zerodha') });
    }
  }

}

export { ZERODHA_CAPABILITIES } from './capabilities.js';
