import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { TimerHandle } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';
import type { Broker, BrokerEvent, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import { pickInstruments } from '../http/indian-instruments.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { OrderUpdateRelay } from '../http/order-update-relay.js';
import { HttpClient } from '../http/http-client.js';
import { SupervisedSocket } from '../http/supervised-socket.js';
import { fyersAppLimiter } from './app-limiter.js';
import { FYERS_CAPABILITIES } from './capabilities.js';
import type { FyersSettings } from './config.js';
import { FyersClient } from './fyers-client.js';
import { checkFyersOrder, type FyersOrder, type FyersTrade, fyersModification, fyersPlacement, mapFyersOrder, mapFyersTrade } from './fyers-mapping.js';
import { socketOrder, socketTrade } from './order-socket.js';
import { FyersSnapshotReader } from './fyers-snapshot.js';
import { FyersSymbolCatalog } from './symbols.js';
import { FYERS_PATHS, FYERS_SOCKET_SUBSCRIBE } from './wire-facts.js';

export interface FyersBrokerOptions extends BrokerGuardOptions {
  settings: FyersSettings;
  /** The Fyers app id (`XXXXXXXXXX-100`). */
  appId: string;
  accessToken: string;
  /** Fyers client id, when known from the login; `connect()` reads it from the profile anyway. */
  userId?: string;
  /** Values that must never appear in a message (the app secret, the PIN). */
  secrets?: string[];
  dispatcher?: Dispatcher;
  reconnect?: { baseMs?: number; maxMs?: number };
}

/**
 * Fyers through API v3. It translates and reports; it never decides: placements are not retried
 * (a lost answer is BrokerError 'unknown_outcome', resolved by the engine by `orderTag`), reads are
 * retried with backoff, a failing API opens the circuit, and the order socket is supervised and
 * re-synchronised from the order and trade books after every reconnect.
 */
export class FyersBroker implements Broker {
  readonly id = 'fyers' as const;
  readonly capabilities = FYERS_CAPABILITIES;
  account: string;

  private readonly client: FyersClient;
  private readonly api: HttpClient;
  private readonly data: HttpClient;
  private readonly symbolsHttp: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly symbols: FyersSymbolCatalog;
  private readonly snapshot: FyersSnapshotReader;
  private readonly relay: OrderUpdateRelay;
  private socket?: SupervisedSocket;
  private pinger?: TimerHandle;

  constructor(private readonly options: FyersBrokerOptions) {
    const { settings, clock } = options;
    this.account = options.userId ?? '';
    const http = (baseUrl: string) => new HttpClient({ baseUrl, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    this.api = http(settings.api_url);
    this.data = http(settings.data_url);
    this.symbolsHttp = http(settings.symbols_url);
    // Every process of one Fyers app shares the app's limit.
    const limiter = (disabled: boolean) => fyersAppLimiter(options.appId, clock, { disabled });
    const guards = brokerGuards('fyers', limiter, options, (error) => this.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    this.client = new FyersClient({ ...guards, api: this.api, data: this.data, appId: options.appId, accessToken: options.accessToken, secrets: options.secrets });
    this.symbols = new FyersSymbolCatalog((file) => this.client.text(this.symbolsHttp, `/${file}`), clock);
    this.snapshot = new FyersSnapshotReader(this.client, this.symbols, settings, clock);
    this.relay = new OrderUpdateRelay({ clock, orders: () => this.orders(), trades: (id) => this.trades(id) });
  }

  async connect(): Promise<void> {
    const body = await this.client.call({ method: 'GET', path: FYERS_PATHS.profile });
    const id = (body.data as { fy_id?: string } | undefined)?.fy_id;
    if (!id) throw new BrokerError('protocol', `GET ${FYERS_PATHS.profile}: no fy_id in the response`, 'fyers');
    this.account = id;
  }

  async close(): Promise<void> {
    this.stopStream();
    this.relay.listeners.clear();
    await this.relay.drained();
    await Promise.all([this.api.close(), this.data.close(), this.symbolsHttp.close()]);
  }

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    return pickInstruments((await this.symbols.get()).byKey, query);
  }

  async listInstruments(): Promise<Instrument[]> {
    return [...(await this.symbols.get()).byKey.values()];
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
    checkFyersOrder(request);
    const ticker = await this.symbols.ticker(request.exchange, request.symbol);
    const json = fyersPlacement(request, ticker, { delivery: this.options.settings.delivery_product, intraday: this.options.settings.intraday_product });
    this.breaker.guard();
    const body = await this.client.call({ method: 'POST', path: FYERS_PATHS.ordersSync, write: true, json });
    if (body.id === undefined || body.id === '') throw new BrokerError('unknown_outcome', `POST ${FYERS_PATHS.ordersSync}: no id in a success response`, 'fyers', { code: 'no_order_id' });
    return { brokerOrderId: String(body.id) };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    await this.client.call({ method: 'PATCH', path: FYERS_PATHS.ordersSync, write: true, json: fyersModification(brokerOrderId, change) });
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.client.call({ method: 'DELETE', path: FYERS_PATHS.ordersSync, write: true, json: { id: brokerOrderId } });
  }

  async orders(): Promise<BrokerOrder[]> {
    const [catalog, body] = await Promise.all([this.symbols.get(), this.client.call({ method: 'GET', path: FYERS_PATHS.orders })]);
    const now = this.options.clock.now();
    return ((body.orderBook as FyersOrder[] | undefined) ?? []).map((o) => mapFyersOrder(o, catalog, now)).filter((o): o is BrokerOrder => o !== undefined);
  }

  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    return (await this.orders()).filter((o) => o.clientOrderId === clientOrderId).at(-1);
  }

  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    const [catalog, body] = await Promise.all([this.symbols.get(), this.client.call({ method: 'GET', path: FYERS_PATHS.tradebook })]);
    const now = this.options.clock.now();
    const all = ((body.tradeBook as FyersTrade[] | undefined) ?? []).map((t) => mapFyersTrade(t, catalog, now)).filter((t): t is BrokerTrade => t !== undefined);
    return brokerOrderId === undefined ? all : all.filter((t) => t.brokerOrderId === brokerOrderId);
  }

  subscribe(listener: BrokerEventListener): () => void {
    return this.relay.subscribe(listener, { start: () => this.startStream(), stop: () => this.stopStream() });
  }

  /** Re-reads the order and trade books and reports what the stream did not. Runs after every reconnect. */
  resync(reason: string): Promise<void> {
    return this.relay.resync(reason);
  }

  private startStream(): void {
    if (this.socket) return;
    const { settings, clock } = this.options;
    const socket = new SupervisedSocket({
      url: () => settings.ws_url,
      headers: { authorization: this.client.authorization },
      clock,
      silenceTimeoutMs: settings.ws_silence_ms,
      reconnectBaseMs: this.options.reconnect?.baseMs,
      reconnectMaxMs: this.options.reconnect?.maxMs,
      random: this.options.random,
      onMessage: (data) => this.onFrame(data.toString('utf8')),
      onOpen: (reconnected) => {
        socket.send(JSON.stringify(FYERS_SOCKET_SUBSCRIBE));
        if (reconnected) void this.resync('order socket reconnected');
      },
      onDown: (reason, retryInMs) => this.emit({ type: 'disconnected', reason: `order socket ${reason}; reconnecting in ${retryInMs} ms` }),
    });
    this.socket = socket;
    socket.start();
    // Fyers answers a text "ping" with "pong": the answers keep the silence timer from firing on a quiet day.
    const ping = () => {
      socket.send('ping');
      this.pinger = clock.setTimeout(ping, Math.max(250, Math.floor(settings.ws_silence_ms / 5)));
    };
    ping();
  }

  private stopStream(): void {
    if (this.pinger) this.options.clock.clearTimeout(this.pinger);
    this.pinger = undefined;
    this.socket?.stop();
    this.socket = undefined;
  }

  private onFrame(text: string): void {
    if (text === 'pong') return;
    let message: { orders?: Record<string, unknown>; trades?: Record<string, unknown> };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.emit({ type: 'error', error: new BrokerError('protocol', 'the order socket sent a frame that is not JSON', 'fyers') });
      return;
    }
    if (message.orders && typeof message.orders === 'object') {
      const order = socketOrder(message.orders);
      // The fills themselves are read from the trade book: a trade message may be lost or late.
      void this.relay.order(async () => order && mapFyersOrder(order, await this.symbols.get(), this.options.clock.now()));
    } else if (message.trades && typeof message.trades === 'object') {
      const trade = socketTrade(message.trades);
      void this.relay.trade(async () => mapFyersTrade(trade, await this.symbols.get(), this.options.clock.now()));
    }
  }

  private emit(event: BrokerEvent): void {
    this.relay.emit(event);
  }
}
