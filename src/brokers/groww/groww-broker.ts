import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import { isTerminal, type OrderRequest } from '../../domain/order.js';
import type { Broker, BrokerEvent, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import { pickInstruments } from '../http/indian-instruments.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { emitTo, subscribeTo } from '../http/listeners.js';
import { HttpClient } from '../http/http-client.js';
import { GROWW_CAPABILITIES } from './capabilities.js';
import type { GrowwSettings } from './config.js';
import { GrowwClient } from './groww-client.js';
import { GrowwInstrumentCatalog } from './groww-instruments.js';
import { growwModifyBody, growwPlacement } from './groww-mapping.js';
import { GrowwOrderBook } from './groww-order-book.js';
import { OrderPoller } from '../http/order-poller.js';
import { GrowwSnapshotReader } from './groww-snapshot.js';
import { GROWW_LIMITS } from './wire-facts.js';

export interface GrowwBrokerOptions extends BrokerGuardOptions {
  settings: GrowwSettings;
  accessToken: string;
  /** The UCC, when known from the login; `connect()` reads it from the profile anyway. */
  userId?: string;
  dispatcher?: Dispatcher;
  instrumentCacheDir?: string;
}

/**
 * Groww through its Trading API. It translates and reports; it never decides: placements are
 * not retried (a lost answer is BrokerError 'unknown_outcome', resolved by the engine by our
 * reference id), reads are retried with backoff, a failing API opens the circuit, and order
 * updates come from polling the order list (OrderPoller).
 */
export class GrowwBroker implements Broker {
  readonly id = 'groww' as const;
  readonly capabilities = GROWW_CAPABILITIES;
  account: string;

  private readonly client: GrowwClient;
  private readonly http: HttpClient;
  private readonly assets: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly catalog: GrowwInstrumentCatalog;
  private readonly book: GrowwOrderBook;
  private readonly snapshot: GrowwSnapshotReader;
  private readonly poller: OrderPoller;
  private readonly listeners = new Set<BrokerEventListener>();

  constructor(private readonly options: GrowwBrokerOptions) {
    const { settings, clock } = options;
    this.account = options.userId ?? '';
    this.http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    const csvUrl = new URL(settings.instruments_url);
    this.assets = new HttpClient({ baseUrl: csvUrl.origin, timeoutMs: Math.max(settings.timeout_ms, 60_000), dispatcher: options.dispatcher });
    const guards = brokerGuards('groww', GROWW_LIMITS, options, (error) => this.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    this.client = new GrowwClient({ ...guards, http: this.http, accessToken: options.accessToken });
    this.catalog = new GrowwInstrumentCatalog(() => this.downloadInstruments(csvUrl), clock, options.instrumentCacheDir);
    this.book = new GrowwOrderBook(this.client, clock);
    this.snapshot = new GrowwSnapshotReader(this.client, settings, clock);
    this.poller = new OrderPoller({ orders: () => this.book.orders(), tradesOf: (id) => this.book.tradesOf(id) }, clock, settings.poll_ms, (e) => this.emit(e));
  }

  async connect(): Promise<void> {
    const user = await this.client.payload<{ ucc?: string; vendor_user_id?: string }>({ method: 'GET', path: '/v1/user/detail', cls: 'non_trading' });
    const id = user?.ucc ?? user?.vendor_user_id;
    if (!id) throw new BrokerError('protocol', 'GET /v1/user/detail: no ucc in the response', 'groww');
    this.account = String(id);
  }

  async close(): Promise<void> {
    this.poller.stop();
    this.listeners.clear();
    await this.poller.idle();
    await Promise.all([this.http.close(), this.assets.close()]);
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

  holdings(): Promise<Holding[]> {
    return this.snapshot.holdings();
  }

  positions(): Promise<Position[]> {
    return this.snapshot.positions();
  }

  funds(): Promise<Funds> {
    return this.snapshot.funds();
  }

  /**
   * `POST /v1/order/create` with our id as `order_reference_id`. Groww refuses a reference it has
   * seen (GA007): the order then exists, so the answer is that order, not an error — a placement
   * re-sent after an unknown outcome resolves to the order the first one booked.
   */
  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    const body = growwPlacement(request, { deliveryProduct: this.options.settings.delivery_product, intradayProduct: this.options.settings.intraday_product });
    this.breaker.guard();
    let data: { groww_order_id?: string } | null;
    try {
      data = await this.client.payload<{ groww_order_id?: string } | null>({ method: 'POST', path: '/v1/order/create', cls: 'orders', write: true, json: body });
    } catch (err) {
      if (!(isBrokerError(err) && err.details.code === 'GA007')) throw err;
      const existing = await this.book.findByClientId(request.clientOrderId);
      if (!existing) throw new BrokerError('unknown_outcome', `POST /v1/order/create: Groww says reference ${String(body.order_reference_id)} is a duplicate but has no order under it`, 'groww', { code: 'GA007' });
      this.book.placed(existing.brokerOrderId, request.type, request.clientOrderId);
      return { brokerOrderId: existing.brokerOrderId };
    }
    if (!data?.groww_order_id) throw new BrokerError('unknown_outcome', 'POST /v1/order/create: no groww_order_id in a success response', 'groww', { code: 'no_order_id' });
    const id = String(data.groww_order_id);
    this.book.placed(id, request.type, request.clientOrderId);
    if (request.timeInForce === 'ioc') this.cancelRemainderLater(id);
    return { brokerOrderId: id };
  }

  /**
   * Groww has no IOC validity: an immediate-or-cancel order went for the day, and what has not
   * traded `ioc_cancel_ms` later is cancelled, so it never rests in the book. An order that
   * ended meanwhile is left alone; a cancel Groww refuses (it just ended) is reported, not thrown.
   */
  private cancelRemainderLater(brokerOrderId: string): void {
    this.options.clock.setTimeout(() => {
      void (async () => {
        const order = await this.book.detail(brokerOrderId);
        if (isTerminal(order.status)) return;
        await this.cancelOrder(brokerOrderId);
      })().catch((err: unknown) => this.emit({ type: 'error', error: err instanceof Error ? err : new Error(String(err)) }));
    }, this.options.settings.ioc_cancel_ms);
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    const type = await this.book.typeOf(brokerOrderId);
    await this.client.payload({ method: 'POST', path: '/v1/order/modify', cls: 'orders', write: true, json: growwModifyBody(brokerOrderId, type, change) });
    if (change.type) this.book.retype(brokerOrderId, change.type);
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.client.payload({ method: 'POST', path: '/v1/order/cancel', cls: 'orders', write: true, json: { segment: 'CASH', groww_order_id: brokerOrderId } });
  }

  orders(): Promise<BrokerOrder[]> {
    return this.book.orders();
  }

  findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    return this.book.findByClientId(clientOrderId);
  }

  trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    return this.book.trades(brokerOrderId);
  }

  subscribe(listener: BrokerEventListener): () => void {
    return subscribeTo(this.listeners, listener, { start: () => this.poller.start(), stop: () => this.poller.stop() });
  }

  /** Re-reads the order book now and reports what has not been reported (the engine may call it to reconcile). */
  resync(reason: string): Promise<void> {
    return this.poller.pass(reason);
  }

  private async downloadInstruments(url: URL): Promise<string> {
    const res = await this.assets.send({ method: 'GET', path: url.pathname + url.search }).catch((err: unknown) => {
      throw new BrokerError('unavailable', `GET ${url.origin}${url.pathname}: ${err instanceof Error ? err.message : String(err)}`, 'groww');
    });
    if (res.status !== 200 || !(res.text.split('\n', 1)[0] ?? '').includes('trading_symbol')) {
      throw new BrokerError('unavailable', `GET ${url.origin}${url.pathname}: HTTP ${res.status}, not Groww's instrument CSV`, 'groww', {
        status: res.status,
        hint: 'is the instruments URL right? (PTEXEC_GROWW_INSTRUMENTS_URL, else brokers.groww.instruments_url in config.json)',
      });
    }
    return res.text;
  }

  private emit(event: BrokerEvent): void {
    emitTo(this.listeners, event);
  }
}
