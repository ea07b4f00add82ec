import type { Funds, Holding, Position } from '../../domain/account.js';
import { CancellableSleeps, type Clock } from '../../domain/clock.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import type { OrderRequest } from '../../domain/order.js';
import { isLinkedOrder, orderClassProblem } from '../../domain/order-class.js';
import { nextWeekday } from '../../market/day-number.js';
import type { TradingSession } from '../../market/trading-session.js';
import { cumulativeBins, intradayVolumeProfile } from '../../market/volume-profile.js';
import type { Broker, BrokerCapabilities, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { toBrokerOrder, toBrokerTrade } from './broker-views.js';
import { PAPER_CAPABILITIES } from './capabilities.js';
import { parsePaperConfig, type PaperConfig } from './config.js';
import { UpdateDelivery } from './delivery.js';
import { FaultInjector, httpFault, placementTimeout, SIMULATED_REJECTION, type CallFaults } from './faults.js';
import { LinkedOrders } from './linked-orders.js';
import { PaperMarket } from './market.js';
import { Matching } from './matching.js';
import { OpenOrders } from './open-orders.js';
import { changedOrder, CLIENT_ID_PATTERN, OrderEntry, validateOrder } from './order-entry.js';
import { OrderGroups } from './order-groups.js';
import { PaperAccount } from './paper-account.js';
import type { PaperDb } from './paper-db.js';
import { paperError } from './paper-error.js';
import type { PaperOrder } from './paper-records.js';
import { ensurePaperState } from './paper-state.js';
import type { MarketModel, PaperMarketModelView } from './market-model.js';
import { marketModelView } from './market-model-view.js';
import { isWithinExchangeHours, openSession } from './session.js';
import { StorageGuard } from './storage-guard.js';
import { InstrumentIndex, PAPER_UNIVERSE, type PaperInstrument } from './universe.js';

export interface PaperBrokerSetup {
  /** The paper tables of the ptexec database (migrated), where account and market state live. */
  records: PaperDb;
  clock: Clock;
  /** Seed of the market and of fault draws; overrides `config.seed` and the stored seed. */
  seed?: number;
  /** Account id; overrides `config.account` (default `PAPER`). */
  account?: string;
  /** The `paper` section of config.json, validated here. */
  config?: unknown;
  /** Replaces the built-in universe (benchmarks, tests of other areas). */
  instruments?: readonly PaperInstrument[];
  /** The rest of the listed market, read when a symbol is not built in (see InstrumentIndex). */
  listed?: () => readonly PaperInstrument[];
  /** Whether an exchange trades at an instant; overrides `followExchangeHours` (exchange calendars plug in here). */
  isOpen?: (exchange: Exchange, ts: number) => boolean;
  /** The market model (data/market/model.json with the user's file over it); the shipped defaults when not given. */
  model?: MarketModel;
  /** Settlement date of a trade made on `tradeDate` (default: next weekday). */
  settlementDate?: (exchange: Exchange, tradeDate: string) => string;
}

/**
 * The built-in paper broker: a simulated market (market.ts) with an exchange-like matching
 * engine (matching.ts, linked-orders.ts) and an account (paper-account.ts) persisted in the
 * database (paper-db.ts). This class is the Broker contract's face: each order call meets the
 * injected faults (faults.ts) and the latency on its way, then changes the book in one guarded
 * write (storage-guard.ts); updates reach subscribers through delivery.ts. Everything runs on
 * the injected clock: a virtual clock drives it deterministically, and it schedules timers only
 * while it has open orders or undelivered updates.
 *
 * Beyond the Broker contract it offers the market statistics TCA and POV need:
 * `marketVolume`, `marketVwap` and `volumeProfile`.
 */
export class PaperBroker implements Broker {
  readonly id = 'paper' as const;
  readonly account: string;
  readonly capabilities: BrokerCapabilities;
  readonly config: PaperConfig;

  private readonly clock: Clock;
  private readonly records: PaperDb;
  private readonly market: PaperMarket;
  private readonly index: InstrumentIndex;
  private readonly publicInstruments = new Map<PaperInstrument, Instrument>();
  private readonly faults: FaultInjector;
  /** Simulated latencies; closing the broker ends them all. */
  private readonly latencies: CancellableSleeps;
  private readonly guard: StorageGuard;
  private readonly delivery: UpdateDelivery;
  private readonly book: OpenOrders;
  private readonly groups: OrderGroups;
  private readonly paperAccount: PaperAccount;
  private readonly entry: OrderEntry;
  private readonly matching: Matching;
  private readonly linked: LinkedOrders;
  private closed = false;
  private readonly isOpen: (exchange: Exchange, ts: number) => boolean;

  constructor(setup: PaperBrokerSetup) {
    this.config = parsePaperConfig(setup.config);
    this.capabilities = this.config.faults.dropUpdate > 0 ? { ...PAPER_CAPABILITIES, updatesComplete: false } : PAPER_CAPABILITIES;
    this.clock = setup.clock;
    this.account = setup.account ?? this.config.account;
    this.records = setup.records;
    this.latencies = new CancellableSleeps(this.clock);
    this.index = new InstrumentIndex(setup.instruments ?? PAPER_UNIVERSE, setup.listed);
    const { clock, records, config, index, account: accountId } = this;
    const isOpen = (this.isOpen = setup.isOpen ?? (config.followExchangeHours ? isWithinExchangeHours : () => true));
    const settlementDate = setup.settlementDate ?? ((_exchange, date) => nextWeekday(date));
    const identity = ensurePaperState(records, { account: accountId, now: clock.now(), seed: setup.seed ?? config.seed });
    this.faults = new FaultInjector(config.faults, identity.seed, accountId);
    const { stepMs, spreadMultiplier, impact } = config;
    const market = (this.market = new PaperMarket(records, { seed: identity.seed, stepMs, originTs: identity.originTs, spreadMultiplier, impact, isOpen, model: setup.model }));

    // The parts reach each other only through what they are handed here. The book tells the
    // account and the matching when it changes; matching and linked orders call each other
    // through small interfaces, so neither file imports the other.
    const live = () => !this.closed && !this.guard.isDown;
    const guard = (this.guard = new StorageGuard(records, clock, { reload: () => this.reload(), stopped: () => this.stopTimers() }));
    const delivery = (this.delivery = new UpdateDelivery(clock, config.latencyMs, this.faults, live));
    const book = (this.book = new OpenOrders((order) => this.paperAccount.rebook(order), () => this.matching.bookEmptied()));
    const groups = (this.groups = new OrderGroups(records));
    const shared = { accountId, clock, records, index, book, groups, guard, delivery } as const;
    const account = (this.paperAccount = new PaperAccount({ ...shared, market, marketBuyBuffer: config.marketBuyBuffer, settlementDate }));
    const orders = (this.entry = new OrderEntry(accountId, records, (order) => delivery.order(order)));
    const matchingPart = { finish: (...a: Parameters<Matching['finish']>) => this.matching.finish(...a), matchSymbol: (...a: Parameters<Matching['matchSymbol']>) => this.matching.matchSymbol(...a) };
    const linked = (this.linked = new LinkedOrders({ ...shared, latencyMs: config.latencyMs, orders, account, market: matchingPart }));
    const reactions = { afterFill: linked.afterFill.bind(linked), afterFinish: linked.afterFinish.bind(linked), placeDueExits: linked.placeDueExits.bind(linked), nextExitsDue: () => groups.nextExitsDue() };
    this.matching = new Matching({ ...shared, market, isOpen, participationCap: config.participationCap, account, groups: reactions, live });
    guard.sync();
  }

  // ---------------------------------------------------------------- lifecycle

  async connect(): Promise<void> {
    this.ensureOpen();
    this.guard.sync();
    this.matching.schedule();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.latencies.cancelAll();
    this.matching.stop();
    this.delivery.close();
  }

  subscribe(listener: BrokerEventListener): () => void {
    return this.delivery.subscribe(listener);
  }

  // ---------------------------------------------------------------- market data

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    const out: Instrument[] = [];
    for (const q of query) {
      const instrument = this.index.find(q.symbol, q.exchange);
      if (instrument) out.push(this.publicInstrument(instrument));
    }
    return out;
  }

  async quotes(list: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    this.guard.sync();
    const now = this.clock.now();
    const found: PaperInstrument[] = [];
    for (const item of list) {
      const instrument = this.index.find(item.symbol, item.exchange);
      if (instrument) found.push(instrument);
    }
    this.market.primeOwnVolume(found, now);
    return found.map((instrument) => this.market.quote(instrument, now));
  }

  /** Market volume (shares) in a symbol over [from, to): the simulated market's plus paper trades. */
  marketVolume(symbol: string, from: number, to: number, exchange?: Exchange): number {
    this.guard.sync();
    return this.market.marketVolume(this.instrumentOrThrow(symbol, exchange), from, to);
  }

  /** Volume-weighted average price (minor units, fractional) over [from, to); undefined if nothing traded. */
  marketVwap(symbol: string, from: number, to: number, exchange?: Exchange): number | undefined {
    this.guard.sync();
    return this.market.marketVwap(this.instrumentOrThrow(symbol, exchange), from, to);
  }

  /** The factor by which the market alone moved a symbol's price from `from` to `to` (`ptexec simulate`'s cost net of the market's move). */
  marketMove(symbol: string, from: number, to: number, exchange?: Exchange): number {
    return this.market.ownMove(this.instrumentOrThrow(symbol, exchange), from, to);
  }

  /** Fills this instance matched in a symbol, and how many were within the bid/offer prevailing as they matched (`ptexec simulate`). */
  fillsAgainstTouch(symbol: string, exchange?: Exchange): { fills: number; withinTouch: number } {
    return this.matching.fillsAgainstTouch(this.instrumentOrThrow(symbol, exchange));
  }

  /** The simulated market's intraday volume profile: fraction of a session's volume per bin. */
  volumeProfile(bins: number): number[] {
    return intradayVolumeProfile(bins, this.market.curve.cumulative);
  }

  /** The same curve as the algorithms take it: cumulative fractions at the end of each bin. */
  cumulativeVolumeProfile = (_exchange: Exchange, bins: number): number[] => cumulativeBins(this.market.curve.cumulative, bins);
  /** The simulated session containing `ts` (or, following exchange hours, the next open one): what the schedules use. */
  tradingSession = (exchange: Exchange, ts: number): TradingSession => openSession(exchange, ts, this.isOpen);
  /** The market model as a read-only view, for estimates (see `PaperMarketModelView`). */
  marketModel = (): PaperMarketModelView => marketModelView(this.market, this.index, this.tradingSession);

  // ---------------------------------------------------------------- account

  async funds(): Promise<Funds> {
    this.guard.sync();
    return this.paperAccount.funds();
  }

  async holdings(): Promise<Holding[]> {
    return this.paperAccount.holdings();
  }

  async positions(): Promise<Position[]> {
    this.guard.sync();
    return this.paperAccount.positions();
  }

  async orders(): Promise<BrokerOrder[]> {
    this.guard.sync();
    return this.records.orderBook(this.account, this.paperAccount.today()).map(toBrokerOrder);
  }

  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    this.guard.sync();
    const order = this.records.orderByClientId(this.account, clientOrderId);
    return order && toBrokerOrder(order);
  }

  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    this.guard.sync();
    const rows = brokerOrderId === undefined ? this.records.tradesOfDay(this.account, this.paperAccount.today()) : this.records.tradesForOrder(this.account, brokerOrderId);
    return rows.map(toBrokerTrade);
  }

  // ---------------------------------------------------------------- orders

  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    this.ensureOpen();
    const roll = this.faults.placement();
    await this.throwHttpFault(roll);
    if (roll.lostBefore) {
      await this.delay(this.faults.timeoutMs);
      throw placementTimeout(false);
    }
    await this.delay(this.config.latencyMs);
    this.ensureOpen();
    const order = this.accept(request, roll.reject);
    if (roll.lostAfter) {
      await this.delay(Math.max(0, this.faults.timeoutMs - this.config.latencyMs));
      throw placementTimeout(true);
    }
    await this.delay(this.config.latencyMs);
    return { brokerOrderId: order.brokerOrderId };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    await this.arriveAtMarket();
    this.guard.write(() => this.modify(brokerOrderId, change));
    this.matching.schedule();
    await this.delay(this.config.latencyMs);
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.arriveAtMarket();
    this.guard.write(() => {
      const order = this.liveOrder(brokerOrderId, 'cancel');
      this.matching.finish(order, 'cancelled', 'CANCELLED', 'cancelled by the user');
    });
    await this.delay(this.config.latencyMs);
  }

  // ---------------------------------------------------------------- internals

  private accept(request: OrderRequest, forceReject: boolean): PaperOrder {
    const instrument = this.index.find(request.symbol, request.exchange);
    if (!instrument) throw paperError('input', `unknown instrument ${request.exchange}:${request.symbol}`, { code: 'unknown_instrument' });
    if (request.clientOrderId !== undefined && !CLIENT_ID_PATTERN.test(request.clientOrderId)) {
      throw paperError('input', `client order id "${request.clientOrderId}" must be 1-40 letters, digits, '-' or '_'`);
    }
    const now = this.clock.now();
    const linked = isLinkedOrder(request);
    const problem = orderClassProblem(request, instrument.tickSize, linked ? this.market.book(instrument, now).last : undefined);
    if (problem) throw paperError('input', `${instrument.symbol}: ${problem}`, { code: 'invalid_order_class' });
    const order = linked
      ? this.linked.accept(request as OrderRequest & { orderClass: 'bracket' | 'oco' }, instrument, forceReject)
      : this.guard.write(() => {
          this.entry.ensureUnusedClientIds([request.clientOrderId]);
          const order = this.entry.build(instrument, now, request);
          validateOrder(order, instrument);
          const reason = forceReject ? SIMULATED_REJECTION : this.paperAccount.rejection(order, instrument);
          if (reason) {
            this.entry.insertRejected(order, reason);
            return order;
          }
          this.records.insertOrder(order);
          this.book.add(order);
          this.delivery.order(order);
          this.matching.matchSymbol(instrument, now, order);
          return order;
        });
    this.matching.schedule();
    return order;
  }

  private modify(brokerOrderId: string, change: OrderChange): void {
    const order = this.liveOrder(brokerOrderId, 'modify');
    const role = this.groups.groupOf(brokerOrderId)?.role;
    if ((role === 'tp' || role === 'sl') && (change.quantity !== undefined || change.type !== undefined)) {
      throw paperError('input', `order ${brokerOrderId} is an exit leg of a bracket/OCO group: its quantity and type follow the group; only its prices can change`);
    }
    const instrument = this.instrumentOrThrow(order.symbol, order.exchange);
    const next = changedOrder(order, change);
    validateOrder(next, instrument);
    if (next.quantity <= order.filledQuantity) {
      throw paperError('input', `quantity ${next.quantity} is not above the filled quantity ${order.filledQuantity}`);
    }
    const reason = this.paperAccount.affordability(next, instrument, order.brokerOrderId);
    if (reason) throw paperError('rejected', `modification refused: ${reason}`, { code: 'NOT MODIFIED' });
    next.brokerStatus = next.triggered ? 'OPEN' : 'TRIGGER PENDING';
    next.updatedAt = this.clock.now();
    this.book.replace(next);
    this.records.updateOrder(next);
    this.delivery.order(next);
    this.matching.matchSymbol(instrument, this.clock.now(), undefined);
  }

  private liveOrder(brokerOrderId: string, action: string): PaperOrder {
    const open = this.book.get(brokerOrderId);
    if (open) return open;
    const stored = this.records.order(this.account, brokerOrderId);
    if (!stored) throw paperError('not_found', `no order ${brokerOrderId}`);
    throw paperError('rejected', `cannot ${action} order ${brokerOrderId}: it is ${stored.status}`, { code: stored.brokerStatus });
  }

  /** Forgets every cached order, group and price and reads them again (another writer changed the tables). */
  private reload(): void {
    this.market.reload();
    this.book.clear();
    this.paperAccount.reset();
    this.groups.clear();
    for (const link of this.records.activeLinks(this.account)) this.groups.add(link);
    for (const order of this.records.openOrders(this.account)) this.book.add(order);
    if (!this.records.account(this.account)) ensurePaperState(this.records, { account: this.account, now: this.clock.now() });
  }

  private stopTimers(): void {
    this.matching.stop();
    this.delivery.stop();
  }

  /** An order call's trip to the market: injected 429/5xx faults, then the one-way latency. */
  private async arriveAtMarket(): Promise<void> {
    this.ensureOpen();
    await this.throwHttpFault(this.faults.call());
    await this.delay(this.config.latencyMs);
    this.ensureOpen();
  }

  private async throwHttpFault(roll: CallFaults): Promise<void> {
    const fault = httpFault(roll);
    if (!fault) return;
    await this.delay(this.config.latencyMs * 2);
    throw fault;
  }

  private instrumentOrThrow(symbol: string, exchange?: Exchange): PaperInstrument {
    const instrument = this.index.find(symbol, exchange);
    if (!instrument) throw paperError('not_found', `unknown instrument ${exchange ? `${exchange}:` : ''}${symbol}`);
    return instrument;
  }

  private publicInstrument(instrument: PaperInstrument): Instrument {
    let view = this.publicInstruments.get(instrument);
    if (!view) {
      const { referencePrice: _reference, ...rest } = instrument;
      view = rest;
      this.publicInstruments.set(instrument, view);
    }
    return view;
  }

  private ensureOpen(): void {
    if (this.closed) throw paperError('unavailable', 'the paper broker is closed');
    if (this.guard.isDown) throw this.guard.unavailable();
  }

  private async delay(ms: number): Promise<void> {
    if (ms > 0) await this.latencies.sleep(ms);
    this.ensureOpen();
  }
}
