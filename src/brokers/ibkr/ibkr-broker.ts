import type { Agent } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { TimerHandle } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';
import type { Broker, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { OrderUpdateRelay } from '../http/order-update-relay.js';
import { SupervisedSocket } from '../http/supervised-socket.js';
import { IBKR_CAPABILITIES } from './capabilities.js';
import type { IbkrSettings } from './config.js';
import { requireGatewaySession } from './gateway-session.js';
import { gatewayDispatcher, IbkrClient } from './ibkr-client.js';
import { IbkrContracts } from './ibkr-contracts.js';
import { ibkrModifyBody, ibkrPlacement, type IbkrOrderRow, type IbkrTradeRow, mapIbkrOrder, mapIbkrTrade, placementFromRow } from './ibkr-mapping.js';
import { IbkrOrderBook } from './ibkr-order-book.js';
import { IbkrSnapshotReader, type SettlementCalendar } from './ibkr-snapshot.js';
import { type IbkrOrderAck, settleReplies } from './order-replies.js';
import { IBKR_LIMITS } from './wire-facts.js';

export interface IbkrBrokerOptions extends Omit<BrokerGuardOptions, 'retryBaseMs'> {
  settings: IbkrSettings;
  /** Where conids are kept for the day; memory only when absent. */
  cacheDir?: string;
  calendar?: SettlementCalendar;
  reconnect?: { baseMs?: number; maxMs?: number };
  /** How often the order and trade books may be read (the gateway's 5 s unless a test says otherwise). */
  bookReadIntervalMs?: number;
  /** An undici Agent of the caller's (tests); the adapter builds its own from the TLS settings otherwise. */
  dispatcher?: Agent;
}

/**
 * Interactive Brokers through the Client Portal Gateway. It translates and reports; it never
 * decides: a placement is sent once (a lost answer is `unknown_outcome`, resolved by the engine
 * by cOID), order reply messages are confirmed or declined by the configured lists, reads are
 * retried with backoff, a failing gateway opens the circuit, the session is kept alive with
 * `/tickle`, and the `sor`/`str` WebSocket topics keep the order and trade books current between
 * the gateway's one read per 5 s (re-read after every reconnect).
 */
export class IbkrBroker implements Broker {
  readonly id = 'ibkr' as const;
  readonly capabilities = IBKR_CAPABILITIES;
  account: string;

  private readonly client: IbkrClient;
  private readonly breaker: CircuitBreaker;
  private readonly contracts: IbkrContracts;
  private readonly book: IbkrOrderBook;
  private readonly snapshot: IbkrSnapshotReader;
  private readonly relay: OrderUpdateRelay;
  private socket?: SupervisedSocket;
  private session = '';
  private tickleTimer?: TimerHandle;
  private closed = false;
  /** Ends waits for the gateway's pace when the adapter closes. */
  private readonly closing = new AbortController();
  /** IBKR asks that an order be fully acknowledged (replies included) before the next is sent. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: IbkrBrokerOptions) {
    const { settings, clock } = options;
    this.account = settings.account ?? '';
    const guards = brokerGuards('ibkr', IBKR_LIMITS, options, (error) => this.relay.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    this.client = new IbkrClient(guards, settings, options.dispatcher ?? gatewayDispatcher(settings));
    this.contracts = new IbkrContracts(this.client, clock, options.cacheDir);
    this.book = new IbkrOrderBook(this.client, clock, options.rateLimit !== false, options.bookReadIntervalMs);
    this.snapshot = new IbkrSnapshotReader(this.client, this.contracts, this.book, () => this.account, clock, { snapshotRetryMs: settings.snapshot_retry_ms, calendar: options.calendar });
    this.relay = new OrderUpdateRelay({ clock, orders: () => this.orders(), trades: (id) => this.trades(id) });
  }

  /** Checks the gateway's session, picks the account, and makes the calls IBKR requires before the others. */
  async connect(): Promise<void> {
    await requireGatewaySession(this.client, this.options.clock, this.options.settings);
    const { accounts = [], selectedAccount } = await this.client.json<{ accounts?: string[]; selectedAccount?: string }>({ method: 'GET', path: '/iserver/accounts' });
    const wanted = this.options.settings.account;
    if (wanted && !accounts.includes(wanted)) throw new BrokerError('input', `IBKR account ${wanted} is not one this login can trade (${accounts.join(', ') || 'none'})`, 'ibkr', { hint: 'fix brokers.ibkr.account in config.json (or PTEXEC_IBKR_ACCOUNT)' });
    const account = wanted ?? selectedAccount ?? accounts[0];
    if (!account) throw new BrokerError('protocol', 'GET /iserver/accounts: no account in the answer', 'ibkr');
    this.account = account;
    await this.client.json({ method: 'GET', path: '/portfolio/accounts' });
    await this.book.prime();
    this.scheduleTickle();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    if (this.tickleTimer) this.options.clock.clearTimeout(this.tickleTimer);
    this.socket?.stop();
    this.socket = undefined;
    this.relay.listeners.clear();
    await this.relay.drained();
    await this.client.close();
  }

  instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    return this.contracts.lookup(query);
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

  placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    return this.serially(async () => {
      const [instrument] = await this.instruments([{ symbol: request.symbol, exchange: request.exchange }]);
      if (!instrument?.brokerToken) throw new BrokerError('input', `${request.exchange}:${request.symbol} is not a US stock IBKR knows`, 'ibkr', { code: 'unknown_instrument' });
      const ticket = ibkrPlacement(request, this.account, Number(instrument.brokerToken));
      this.breaker.guard();
      const what = `order ${request.clientOrderId}`;
      const first = await this.client.json<IbkrOrderAck[]>({ method: 'POST', path: `/iserver/account/${this.account}/orders`, json: { orders: [ticket] }, write: true, order: true });
      const ack = await settleReplies(this.client, first, this.options.settings.order_replies, what);
      const id = String(ack.order_id);
      this.book.placed(id, ticket, ack.order_status, instrument.symbol, instrument.exchange);
      return { brokerOrderId: id };
    });
  }

  modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    return this.serially(async () => {
      let placed = this.book.ticket(brokerOrderId);
      if (!placed) {
        await this.orders();
        const row = this.book.row(brokerOrderId);
        placed = row ? placementFromRow(row, this.account) : undefined;
      }
      if (!placed) throw new BrokerError('not_found', `order ${brokerOrderId} is not in the IBKR order book`, 'ibkr');
      const ticket = ibkrModifyBody(placed, change);
      const first = await this.client.json<IbkrOrderAck[]>({ method: 'POST', path: `/iserver/account/${this.account}/order/${brokerOrderId}`, json: ticket, write: true, order: true });
      await settleReplies(this.client, first, this.options.settings.order_replies, `modify of order ${brokerOrderId}`);
      this.book.modified(brokerOrderId, ticket);
    });
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.client.json({ method: 'DELETE', path: `/iserver/account/${this.account}/order/${brokerOrderId}`, write: true, order: true });
  }

  orders(): Promise<BrokerOrder[]> {
    return this.book.orders();
  }

  /** Our book first; an id it does not know is looked for in IBKR's (after the pace allows a read). */
  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const mine = (orders: BrokerOrder[]) => orders.filter((o) => o.clientOrderId === clientOrderId).at(-1);
    return mine(await this.orders()) ?? mine(await this.book.orders(true));
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

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** `/tickle` keeps the gateway's session open and names it for the WebSocket's cookie. */
  private async tickle(): Promise<void> {
    const answer = await this.client.json<{ session?: string }>({ method: 'POST', path: '/tickle', cls: 'tickle' });
    if (answer?.session) this.session = answer.session;
  }

  private scheduleTickle(): void {
    if (this.closed) return;
    this.tickleTimer = this.options.clock.setTimeout(() => {
      this.tickle()
        .catch((error: unknown) => this.relay.emit({ type: 'error', error: error as Error }))
        .finally(() => this.scheduleTickle());
    }, this.options.settings.tickle_ms);
    (this.tickleTimer as { unref?: () => void }).unref?.();
  }

  /**
   * What changed between the subscription and the stream's first frame: IBKR's book as it stands
   * (read when the pace allows), each change reported once.
   */
  private async catchUp(): Promise<void> {
    try {
      const orders = await this.book.orders(true, this.closing.signal);
      if (this.closed) return;
      for (const order of orders) void this.relay.order(() => order);
    } catch (error) {
      if (!this.closed) this.relay.emit({ type: 'error', error: error as Error });
    }
  }

  private startStream(): void {
    if (this.socket) return;
    const { settings, clock } = this.options;
    this.socket = new SupervisedSocket({
      url: () => settings.ws_url,
      headers: () => ({ cookie: `api=${JSON.stringify({ session: this.session })}` }),
      rejectUnauthorized: settings.verify_tls,
      clock,
      silenceTimeoutMs: settings.ws_silence_ms,
      reconnectBaseMs: this.options.reconnect?.baseMs,
      reconnectMaxMs: this.options.reconnect?.maxMs,
      random: this.options.random,
      onMessage: (data) => this.onFrame(data),
      onOpen: (reconnected) => {
        this.socket?.send('sor+{}');
        this.socket?.send('str+{}');
        if (reconnected) void this.resync('order-update stream reconnected');
        else void this.catchUp();
      },
      onDown: (reason, retryInMs) => this.relay.emit({ type: 'disconnected', reason: `order-update stream ${reason}; reconnecting in ${retryInMs} ms` }),
    });
    const socket = this.socket;
    // The WebSocket's cookie names the session `/tickle` reports.
    const start = () => {
      if (this.socket === socket) socket.start();
    };
    if (this.session) start();
    else this.tickle().then(start, (error: unknown) => {
      this.relay.emit({ type: 'error', error: error as Error });
      start();
    });
  }

  private onFrame(data: Buffer): void {
    let message: { topic?: string; args?: unknown };
    try {
      message = JSON.parse(data.toString('utf8')) as typeof message;
    } catch {
      this.relay.emit({ type: 'error', error: new BrokerError('protocol', 'the gateway WebSocket sent a frame that is not JSON', 'ibkr') });
      return;
    }
    if (message.topic === 'sts' && (message.args as { authenticated?: boolean } | undefined)?.authenticated === false) {
      this.relay.emit({ type: 'error', error: new BrokerError('auth', 'the Client Portal Gateway reports its IBKR session ended', 'ibkr', { hint: 'log in to the gateway in a browser again, then run `ptexec brokers login ibkr`' }) });
      return;
    }
    if (!Array.isArray(message.args)) return;
    const now = this.options.clock.now();
    if (message.topic === 'sor') {
      for (const update of message.args as IbkrOrderRow[]) {
        if (update?.orderId === undefined) continue;
        const row = this.book.merge(update);
        void this.relay.order(() => mapIbkrOrder(row, now));
      }
    } else if (message.topic === 'str') {
      for (const t of message.args as IbkrTradeRow[]) {
        if (!t?.execution_id) continue;
        this.book.addExecution(t);
        void this.relay.trade(async () => {
          const orderId = t.order_id !== undefined ? String(t.order_id) : (await this.orders()).find((o) => o.clientOrderId === t.order_ref)?.brokerOrderId;
          return orderId ? mapIbkrTrade(t, orderId, now) : undefined;
        });
      }
    }
  }
}
