import type { Dispatcher } from 'undici';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { BrokerTables } from '../../domain/broker-tables.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import type { Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';
import { exchangeLocalTime } from '../../market/exchange-time.js';
import type { Broker, BrokerEvent, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { type BrokerGuardOptions, brokerGuards } from '../http/broker-guards.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { emitTo, subscribeTo } from '../http/listeners.js';
import { OrderPoller } from '../http/order-poller.js';
import { SecretList } from '../http/secret-list.js';
import { SCHWAB_CAPABILITIES } from './capabilities.js';
import type { SchwabSettings } from './config.js';
import { matchPlacement } from './order-matcher.js';
import { MemoryPlacementJournal, type PlacementJournal, TablePlacementJournal } from './placement-journal.js';
import { SchwabAccount } from './schwab-account.js';
import { SchwabClient } from './schwab-client.js';
import { schwabOrderBody, orderIdFromLocation, orderIdOf, type OrderContext, type SchwabOrder, toBrokerOrder, toBrokerTrades } from './schwab-mapping.js';
import { SchwabMarketData } from './schwab-market-data.js';
import { SchwabTokens } from './schwab-tokens.js';
import { refreshSchwabToken } from './session.js';
import { schwabLimits } from './wire-facts.js';

export interface SchwabBrokerOptions extends BrokerGuardOptions {
  settings: SchwabSettings;
  accessToken: string;
  /** When the access token expires; with the app key, secret and refresh token the adapter renews it itself. */
  expiresAt?: number;
  app?: { apiKey: string; apiSecret: string };
  refreshToken?: string;
  /** The ptexec database's Schwab tables, where the placement journal lives; in memory without them. */
  tables?: BrokerTables;
  dispatcher?: Dispatcher;
}

/**
 * Charles Schwab through its Trader API. It translates and reports; it never decides: placements
 * are not retried (a lost answer is BrokerError 'unknown_outcome'), reads are retried with
 * backoff, a failing API opens the circuit, order updates come from polling the order list.
 *
 * Schwab's order JSON has no client order id: the placement journal records what each of our ids
 * was sent as, and binds it to Schwab's order id from the `Location` of the 201 answer. A lost
 * answer is resolved by looking the orders up and matching what was sent (order-matcher.ts).
 */
export class SchwabBroker implements Broker {
  readonly id = 'schwab' as const;
  readonly capabilities = SCHWAB_CAPABILITIES;
  account = '';

  private readonly client: SchwabClient;
  private readonly trader: HttpClient;
  private readonly marketHttp: HttpClient;
  private readonly breaker: CircuitBreaker;
  private readonly market: SchwabMarketData;
  private readonly snapshot: SchwabAccount;
  private readonly poller: OrderPoller;
  private readonly listeners = new Set<BrokerEventListener>();
  private readonly context: OrderContext;
  /** The last order list read, by id (its executions serve the poller's trade reads). */
  private readonly lastRead = new Map<string, SchwabOrder>();
  private accountHash?: string;
  private closed = false;
  private journalStore?: PlacementJournal;

  constructor(private readonly options: SchwabBrokerOptions) {
    const { settings, clock } = options;
    this.trader = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    this.marketHttp = new HttpClient({ baseUrl: settings.marketdata_url, timeoutMs: settings.timeout_ms, dispatcher: options.dispatcher });
    const guards = brokerGuards('schwab', schwabLimits(settings.order_limit_per_minute), options, (error) => this.emit({ type: 'error', error }));
    this.breaker = guards.breaker;
    const secrets = new SecretList([options.app?.apiSecret, options.refreshToken].filter((s): s is string => !!s), options.accessToken);
    const { app, refreshToken } = options;
    const renew = app && refreshToken ? () => refreshSchwabToken(settings, app, refreshToken, clock) : undefined;
    const tokens = new SchwabTokens({ accessToken: options.accessToken, expiresAt: options.expiresAt }, clock, renew, (token) => secrets.setToken(token));
    this.client = new SchwabClient({ ...guards, trader: this.trader, marketData: this.marketHttp, tokens, secrets });
    this.market = new SchwabMarketData(this.client, clock);
    this.context = { exchangeOf: (symbol) => this.market.exchangeOf(symbol), clientOrderIdOf: (id) => this.journalStore?.clientIdOf(id) };
    this.snapshot = new SchwabAccount(this.client, () => this.hash(), (symbol) => this.market.exchangeOf(symbol), (symbols) => this.market.learn(symbols));
    this.poller = new OrderPoller({ orders: () => this.orders(), tradesOf: (id) => this.tradesOf(id) }, clock, settings.poll_ms, (e) => this.emit(e));
  }

  /** Finds the account's hash (`GET /accounts/accountNumbers`): every account path takes it. */
  async connect(): Promise<void> {
    const list = await this.client.json<{ accountNumber?: string; hashValue?: string }[]>({ method: 'GET', path: '/accounts/accountNumbers', cls: 'reads' });
    if (!Array.isArray(list) || !list.length) throw new BrokerError('auth', 'GET /accounts/accountNumbers: this login reaches no Schwab account', 'schwab', { hint: 'link a brokerage account to the app when logging in (`ptexec brokers login schwab`)' });
    const wanted = this.options.settings.account_number;
    const chosen = wanted ? list.find((a) => a.accountNumber === wanted) : list[0];
    if (!chosen?.hashValue || !chosen.accountNumber) {
      throw new BrokerError('input', `the Schwab login does not reach account ${wanted ?? ''}`.trim(), 'schwab', {
        code: 'account_number',
        hint: `brokers.schwab.account_number in config.json must be one of the linked accounts (…${list.map((a) => String(a.accountNumber ?? '').slice(-4)).join(', …')})`,
      });
    }
    this.accountHash = chosen.hashValue;
    this.account = chosen.accountNumber;
    const now = this.options.clock.now();
    this.journalStore = this.options.tables ? new TablePlacementJournal(this.options.tables, this.account, now) : new MemoryPlacementJournal();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poller.stop();
    this.listeners.clear();
    await this.poller.idle();
    await Promise.all([this.trader.close(), this.marketHttp.close()]);
  }

  instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    return this.market.instruments(query);
  }

  quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    return this.market.quotes(instruments);
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
   * `POST /accounts/{hash}/orders`. The journal records the placement before it goes out (so a
   * crash or a lost answer can be resolved), and binds it to the order id of the `Location` header.
   */
  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    const rule = this.capabilities.clientOrderId;
    if (request.clientOrderId.length > rule.maxLength || !rule.pattern.test(request.clientOrderId)) {
      throw new BrokerError('input', `client order id ${JSON.stringify(request.clientOrderId)} does not fit ptexec's Schwab journal (at most ${rule.maxLength} letters, digits, - or _)`, 'schwab', { code: 'client_order_id' });
    }
    if (request.orderClass && request.orderClass !== 'simple') throw new BrokerError('input', `ptexec does not send ${request.orderClass} orders to Schwab`, 'schwab', { code: 'order_class' });
    const body = schwabOrderBody(request);
    const hash = await this.hash();
    const journal = await this.journal();
    this.breaker.guard();
    this.market.remember(request.symbol, request.exchange);
    const record = pickRecord(request);
    journal.sending({ ...record, sentAt: this.options.clock.now() });
    let location: string | undefined;
    try {
      // The moment it leaves (after any rate-limit wait) is what a look-up matches Schwab's enteredTime against.
      const onSend = () => journal.sending({ ...record, sentAt: this.options.clock.now() });
      ({ location } = await this.client.write({ method: 'POST', path: `/accounts/${hash}/orders`, cls: 'orders', json: body, onSend }));
    } catch (err) {
      // Refused, or never sent: no order carries the id. Only a lost answer keeps the record for the look-up.
      if (!isBrokerError(err, 'unknown_outcome')) journal.forget(request.clientOrderId);
      throw err;
    }
    const id = orderIdFromLocation(location);
    if (!id) throw new BrokerError('unknown_outcome', `POST /accounts/{hash}/orders: Schwab accepted the order but gave no order id (Location: ${location ?? 'absent'})`, 'schwab', { code: 'no_location' });
    journal.bind(request.clientOrderId, id);
    return { brokerOrderId: id };
  }

  /**
   * Schwab's replace (`PUT /accounts/{hash}/orders/{id}`): Schwab cancels the order and creates a
   * new one, whose id the `Location` header gives; our client order id moves to it. The engine
   * does not call this (capabilities.modify is false: it cancels and places a new order itself).
   */
  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    const hash = await this.hash();
    const journal = await this.journal();
    const current = toBrokerOrder(await this.readOrder(brokerOrderId), this.context);
    const body = schwabOrderBody({
      symbol: current.symbol,
      side: current.side,
      type: change.type ?? current.type,
      quantity: change.quantity ?? current.quantity,
      limitPrice: change.limitPrice ?? current.limitPrice,
      triggerPrice: change.triggerPrice,
      timeInForce: 'day',
    });
    const { location } = await this.client.write({ method: 'PUT', path: `/accounts/${hash}/orders/${brokerOrderId}`, cls: 'orders', json: body });
    const id = orderIdFromLocation(location);
    const clientOrderId = journal.clientIdOf(brokerOrderId);
    if (id && clientOrderId) journal.bind(clientOrderId, id);
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    const hash = await this.hash();
    await this.client.write({ method: 'DELETE', path: `/accounts/${hash}/orders/${brokerOrderId}`, cls: 'orders' });
  }

  /** Today's orders (entered since midnight New York time). */
  async orders(): Promise<BrokerOrder[]> {
    const now = this.options.clock.now();
    const raw = await this.listOrders(exchangeLocalTime('NYSE', now, 0), now + 60_000);
    this.lastRead.clear();
    for (const o of raw) this.lastRead.set(orderIdOf(o), o);
    return raw.map((o) => toBrokerOrder(o, this.context));
  }

  /**
   * The order that carries our client order id: the one the journal bound it to; else, for a
   * placement whose answer was lost, the one order matching what was sent (order-matcher.ts), or
   * the one the user named in `brokers.schwab.claims`. Two matching orders: ptexec cannot tell
   * which it sent, and says so (nothing may be sent again until the user answers).
   */
  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const journal = await this.journal();
    const record = journal.byClientId(clientOrderId);
    if (!record) return undefined;
    const claimed = this.options.settings.claims[clientOrderId];
    if (claimed && record.brokerOrderId !== claimed) journal.bind(clientOrderId, claimed);
    const bound = claimed ?? record.brokerOrderId;
    if (bound) return toBrokerOrder(await this.readOrder(bound), this.context);
    const window = this.options.settings.match_window_ms;
    const candidates = await this.listOrders(record.sentAt - window, Math.max(this.options.clock.now(), record.sentAt) + window);
    const outcome = matchPlacement(record, candidates, journal.boundOrderIds(), window);
    if (outcome.kind === 'absent') return undefined;
    if (outcome.kind === 'ambiguous') {
      const ids = outcome.candidates.map(orderIdOf);
      throw new BrokerError(
        'input',
        `order ${clientOrderId} (${record.side} ${record.quantity} ${record.symbol} ${record.type}) went out without an answer, and ${ids.length} Schwab orders match it (${ids.join(', ')}): ptexec cannot tell which it sent, and sends nothing again; say which is ptexec's in config.json (brokers.schwab.claims: {"${clientOrderId}": "<order id>"}) and resume the run`,
        'schwab',
        {
          code: 'ambiguous_order',
          hint: `say which is ptexec's in config.json, "brokers": {"schwab": {"claims": {"${clientOrderId}": "<one of ${ids.join(', ')}>"}}}, then resume the run`,
        },
      );
    }
    const id = orderIdOf(outcome.order);
    journal.bind(clientOrderId, id);
    return toBrokerOrder(outcome.order, this.context);
  }

  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    if (brokerOrderId) return toBrokerTrades(await this.readOrder(brokerOrderId), this.context);
    await this.orders();
    return [...this.lastRead.values()].flatMap((o) => toBrokerTrades(o, this.context));
  }

  subscribe(listener: BrokerEventListener): () => void {
    return subscribeTo(this.listeners, listener, { start: () => this.poller.start(), stop: () => this.poller.stop() });
  }

  /** Re-reads the order list now and reports what has not been reported (the engine may call it to reconcile). */
  resync(reason: string): Promise<void> {
    return this.poller.pass(reason);
  }

  /** The trades of an order the poller saw grow: from the list it just read, else read alone. */
  private async tradesOf(brokerOrderId: string): Promise<BrokerTrade[]> {
    const known = this.lastRead.get(brokerOrderId);
    return known ? toBrokerTrades(known, this.context) : this.trades(brokerOrderId);
  }

  private async readOrder(brokerOrderId: string): Promise<SchwabOrder> {
    if (!/^\d{1,20}$/.test(brokerOrderId)) throw new BrokerError('not_found', `no Schwab order ${brokerOrderId}: Schwab order ids are numbers`, 'schwab');
    const hash = await this.hash();
    return this.client.json<SchwabOrder>({ method: 'GET', path: `/accounts/${hash}/orders/${brokerOrderId}`, cls: 'reads' });
  }

  private async listOrders(from: number, to: number): Promise<SchwabOrder[]> {
    const hash = await this.hash();
    const list = await this.client.json<SchwabOrder[]>({
      method: 'GET',
      path: `/accounts/${hash}/orders`,
      cls: 'reads',
      query: [
        ['fromEnteredTime', new Date(from).toISOString()],
        ['toEnteredTime', new Date(to).toISOString()],
      ],
    });
    if (!Array.isArray(list)) throw new BrokerError('protocol', 'GET /accounts/{hash}/orders: the answer is not a list of orders', 'schwab');
    return list;
  }

  private async hash(): Promise<string> {
    if (!this.accountHash) await this.connect();
    return this.accountHash!;
  }

  private async journal(): Promise<PlacementJournal> {
    if (!this.journalStore) await this.connect();
    return this.journalStore!;
  }

  private emit(event: BrokerEvent): void {
    emitTo(this.listeners, event);
  }
}

function pickRecord(r: OrderRequest) {
  return {
    clientOrderId: r.clientOrderId,
    symbol: r.symbol,
    exchange: r.exchange,
    side: r.side,
    type: r.type,
    quantity: r.quantity,
    timeInForce: r.timeInForce,
    ...(r.limitPrice === undefined ? {} : { limitPrice: r.limitPrice }),
    ...(r.triggerPrice === undefined ? {} : { triggerPrice: r.triggerPrice }),
  };
}
