import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { TimerHandle } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import { isTerminal, type OrderRequest } from '../../domain/order.js';
import type { Broker, BrokerEvent, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { pickInstruments } from '../http/indian-instruments.js';
import { emitTo, subscribeTo } from '../http/listeners.js';
import { UpdateTracker } from '../http/update-tracker.js';
import { ANGELONE_CAPABILITIES } from './capabilities.js';
import type { AngelOneSettings } from './config.js';
import { AngelInstrumentCatalog } from './instruments.js';
import { AngelOneSnapshot } from './snapshot.js';
import { type AngelOrder, type AngelTrade, angelModification, angelPlacement, mapAngelOrder, mapAngelTrade } from './mapping.js';
import { SmartApiClient } from './smartapi-client.js';
import { ANGEL_LIMITS, ANGEL_PATHS } from './wire.js';

/** Live orders polled one by one at most; more are read through the order book. */
const DETAILS_PER_POLL = 5;

export interface AngelOneBrokerOptions extends BrokerGuardOptions {
  settings: AngelOneSettings;
  apiKey: string;
  jwt: string;
  clientCode?: string;
  dispatcher?: Dispatcher;
  instrumentCacheDir?: string;
}

/**
 * Angel One through SmartAPI. It translates and reports; it never decides: placements are not
 * retried (a lost answer is BrokerError 'unknown_outcome', resolved by the engine through the
 * `ordertag`), reads are retried with backoff, a failing API opens the circuit.
 *
 * Order updates are polled while we know of a live order: a few live orders one by one through
 * order details (10 calls a second), more through the order book (SmartAPI allows it once a second). SmartAPI has an order-update WebSocket
 * (wss://tns.angelone.in/smart-order-update, headers from the SDK), but the format of its messages
 * could not be confirmed from the SDK or the documentation available, so it is not used.
 */
export class AngelOneBroker implements Broker {
  readonly id = 'angelone' as const;
  readonly capabilities = ANGELONE_CAPABILITIES;
  account: string;

  private readonly client: SmartApiClient;
  private readonly http: HttpClient;
  private readonly masterHttp: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly catalog: AngelInstrumentCatalog;
  private readonly snapshot: AngelOneSnapshot;
  private readonly listeners = new Set<BrokerEventListener>();
  private readonly tracker = new UpdateTracker();
  /** Each order as last read (modify needs all of it), and our tag of it (trades do not carry it). */
  private readonly rows = new Map<string, AngelOrder>();
  private readonly tags = new Map<string, string>();
  private readonly live = new Set<string>();
  /** `uniqueorderid` by order id: the key of the order-details call. */
  private readonly uniqueIds = new Map<string, string>();
  private readonly filledById = new Map<string, number>();
  private poll?: TimerHandle;
  private polling = false;

  constructor(private readonly options: AngelOneBrokerOptions) {
    const { settings, clock } = options;
    this.account = options.clientCode ?? '';
    this.http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    const master = new URL(settings.instruments_url);
    this.masterHttp = new HttpClient({ baseUrl: master.origin, timeoutMs: Math.max(settings.timeout_ms, 60_000), dispatcher: options.dispatcher });
    const guards = brokerGuards('angelone', ANGEL_LIMITS, options, (error) => this.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    this.client = new SmartApiClient({
      ...guards,
      http: this.http,
      apiKey: options.apiKey,
      jwt: options.jwt,
      addresses: { localIp: settings.client_local_ip, publicIp: settings.client_public_ip, macAddress: settings.mac_address },
    });
    this.catalog = new AngelInstrumentCatalog(() => this.fetchMaster(master.pathname + master.search), clock, options.instrumentCacheDir);
    this.snapshot = new AngelOneSnapshot(this.client, this.catalog, settings, clock);
  }

  async connect(): Promise<void> {
    const profile = await this.client.data<{ clientcode?: string }>({ method: 'GET', path: ANGEL_PATHS.profile, cls: 'profile' });
    if (!profile?.clientcode) throw new BrokerError('protocol', `GET ${ANGEL_PATHS.profile}: no clientcode in the response`, 'angelone');
    this.account = profile.clientcode;
  }

  async close(): Promise<void> {
    this.stopPolling();
    this.listeners.clear();
    await Promise.all([this.http.close(), this.masterHttp.close()]);
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

  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    if (request.orderClass && request.orderClass !== 'simple') {
      throw new BrokerError('input', `order ${request.clientOrderId}: Angel One's ${request.orderClass} orders are not supported by ptexec; use a simple order`, 'angelone', { code: 'order_class' });
    }
    const instrument = await this.catalog.require(request.exchange, request.symbol);
    const body = angelPlacement(request, instrument.brokerToken!, {
      deliveryProduct: this.options.settings.delivery_product,
      intradayProduct: this.options.settings.intraday_product,
    });
    this.breaker.guard();
    const data = await this.client.data<{ orderid?: string; uniqueorderid?: string } | null>({ method: 'POST', path: ANGEL_PATHS.placeOrder, cls: 'orders', write: true, body });
    if (!data?.orderid) throw new BrokerError('unknown_outcome', `POST ${ANGEL_PATHS.placeOrder}: no orderid in a success response`, 'angelone', { code: 'no_order_id' });
    const id = String(data.orderid);
    this.tags.set(id, request.clientOrderId);
    if (data.uniqueorderid) this.uniqueIds.set(id, data.uniqueorderid);
    this.live.add(id);
    this.schedulePoll();
    return { brokerOrderId: id };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    const current = await this.row(brokerOrderId);
    await this.client.data({ method: 'POST', path: ANGEL_PATHS.modifyOrder, cls: 'orders', write: true, body: angelModification(current, change) });
    this.live.add(brokerOrderId);
    this.schedulePoll();
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    const current = await this.row(brokerOrderId);
    await this.client.data({ method: 'POST', path: ANGEL_PATHS.cancelOrder, cls: 'orders', write: true, body: { variety: current.variety ?? 'NORMAL', orderid: brokerOrderId } });
    this.schedulePoll();
  }

  async orders(): Promise<BrokerOrder[]> {
    const rows = (await this.client.data<AngelOrder[] | null>({ method: 'GET', path: ANGEL_PATHS.orderBook, cls: 'orderBook' })) ?? [];
    const now = this.options.clock.now();
    const out: BrokerOrder[] = [];
    for (const row of rows) {
      const id = String(row.orderid);
      const order = this.learn(row, now);
      if (order) out.push(order);
    }
    return out;
  }

  /** One order by its `uniqueorderid` (`GET …/details/{uniqueorderid}`), 10 calls a second. */
  async orderDetails(uniqueOrderId: string): Promise<BrokerOrder | undefined> {
    const row = await this.client.data<AngelOrder | null>({ method: 'GET', path: `${ANGEL_PATHS.orderDetails}/${encodeURIComponent(uniqueOrderId)}`, cls: 'details' });
    return row ? this.learn(row, this.options.clock.now()) : undefined;
  }

  /** Remembers what an order row tells (its whole self for modify, its tag, its unique id, whether it is live) and maps it. */
  private learn(row: AngelOrder, now: number): BrokerOrder | undefined {
    const id = String(row.orderid);
    this.rows.set(id, row);
    if (row.ordertag) this.tags.set(id, row.ordertag);
    if (row.uniqueorderid) this.uniqueIds.set(id, row.uniqueorderid);
    const order = mapAngelOrder(row, now);
    if (order && isTerminal(order.status)) this.live.delete(id);
    return order;
  }

  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    return (await this.orders()).filter((o) => o.clientOrderId === clientOrderId).at(-1);
  }

  /** Today's trades from the trade book (SmartAPI has no trades-of-one-order call: it is filtered). */
  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    const rows = (await this.client.data<AngelTrade[] | null>({ method: 'GET', path: ANGEL_PATHS.tradeBook, cls: 'tradeBook' })) ?? [];
    const mine = brokerOrderId === undefined ? rows : rows.filter((t) => String(t.orderid) === brokerOrderId);
    if (mine.some((t) => !this.tags.has(String(t.orderid)))) await this.orders();
    const now = this.options.clock.now();
    return mine.map((t) => mapAngelTrade(t, this.tags.get(String(t.orderid)), now)).filter((t): t is BrokerTrade => t !== undefined);
  }

  subscribe(listener: BrokerEventListener): () => void {
    return subscribeTo(this.listeners, listener, { start: () => this.schedulePoll(), stop: () => this.stopPolling() });
  }

  /**
   * Re-reads the order book, and the trade book when an order filled more, and reports what
   * changed since the last look (UpdateTracker drops what was already said).
   */
  async resync(reason: string): Promise<void> {
    this.emit({ type: 'resync', reason });
    await this.report(await this.orders());
  }

  /**
   * One look at the orders: the live ones one by one through order details (10 calls a second)
   * when there are few and their unique ids are known, else the whole order book (1 a second).
   */
  private async pollOnce(): Promise<void> {
    const live = [...this.live];
    const byDetails = live.length > 0 && live.length <= DETAILS_PER_POLL && live.every((id) => this.uniqueIds.has(id));
    const orders = byDetails ? (await Promise.all(live.map((id) => this.orderDetails(this.uniqueIds.get(id)!)))).filter((o): o is BrokerOrder => o !== undefined) : await this.orders();
    await this.report(orders);
  }

  /** Reports what changed in `orders` since the last look, with the trades of orders that filled more. */
  private async report(orders: BrokerOrder[]): Promise<void> {
    const filledMore = orders.some((o) => o.filledQuantity > (this.filledById.get(o.brokerOrderId) ?? 0));
    if (filledMore) {
      for (const t of await this.trades()) if (this.tracker.tradeIsNew(t)) this.emit({ type: 'trade', trade: t });
      for (const o of orders) this.filledById.set(o.brokerOrderId, o.filledQuantity);
    }
    for (const o of orders) if (this.tracker.orderChanged(o)) this.emit({ type: 'order', order: o });
  }

  /** Polls while someone listens and an order we know of is live. */
  private schedulePoll(): void {
    if (this.poll !== undefined || this.polling || this.listeners.size === 0 || this.live.size === 0) return;
    this.poll = this.options.clock.setTimeout(() => {
      this.poll = undefined;
      this.polling = true;
      this.pollOnce()
        .catch((err: unknown) => this.emit({ type: 'error', error: err instanceof Error ? err : new Error(String(err)) }))
        .finally(() => {
          this.polling = false;
          this.schedulePoll();
        });
    }, this.options.settings.poll_ms);
  }

  private stopPolling(): void {
    if (this.poll !== undefined) this.options.clock.clearTimeout(this.poll);
    this.poll = undefined;
  }

  /** The order as SmartAPI last reported it, read from the book when not yet seen. */
  private async row(brokerOrderId: string): Promise<AngelOrder> {
    if (!this.rows.has(brokerOrderId)) await this.orders();
    const row = this.rows.get(brokerOrderId);
    if (!row) throw new BrokerError('not_found', `order ${brokerOrderId} is not in the Angel One order book`, 'angelone');
    return row;
  }

  private async fetchMaster(path: string): Promise<string> {
    const res = await this.masterHttp.send({ method: 'GET', path });
    if (res.status !== 200) throw new BrokerError('unavailable', `GET ${this.options.settings.instruments_url}: HTTP ${res.status}`, 'angelone', { status: res.status });
    return res.text;
  }

  private emit(event: BrokerEvent): void {
    emitTo(this.listeners, event);
  }

}
