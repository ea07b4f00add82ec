import type Database from 'better-sqlite3';
import type { Funds, Holding, Position } from '../../domain/account.js';
import { BrokerError, isBrokerError } from '../../domain/broker-errors.js';
import { CancellableSleeps, type Clock, type TimerHandle } from '../../domain/clock.js';
import { isDatabaseBusy } from '../../domain/database-busy.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import { formatMoney } from '../../domain/money.js';
import type { OrderRequest, OrderStatus } from '../../domain/order.js';
import { exitLegClientIds, isLinkedOrder, orderClassProblem } from '../../domain/order-class.js';
import { isOnTick } from '../../domain/price.js';
import type { Side } from '../../domain/side.js';
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
import { parsePaperConfig, type PaperConfig } from './config.js';
import { PaperMarket } from './market.js';
import { PaperLinkDb, type PaperOrderLink } from './order-links.js';
import { PaperDb, type PaperOrder, type PaperTradeRow } from './paper-db.js';
import { ensurePaperState } from './paper-state.js';
import { hashString, SeededRandom } from './random.js';
import { endOfLocalDay, isWithinExchangeHours, localDate, nextWeekday } from './session.js';
import { currencyOfExchange, InstrumentIndex, PAPER_UNIVERSE, type PaperInstrument } from './universe.js';
import { intradayVolumeProfile } from './volume-profile.js';

export interface PaperBrokerOptions {
  /** The ptexec database (migrated): account and market state live in its `paper_*` tables. */
  db: Database.Database;
  clock: Clock;
  /** Seed of the market and of fault draws; overrides `config.seed` and the stored seed. */
  seed?: number;
  /** Account id; overrides `config.account` (default `PAPER`). */
  account?: string;
  /** The `paper` section of config.json, validated here. */
  config?: unknown;
  /** Replaces the built-in universe (benchmarks, tests of other areas). */
  instruments?: readonly PaperInstrument[];
  /** Whether an exchange trades at an instant; overrides `followExchangeHours` (exchange calendars plug in here). */
  isOpen?: (exchange: Exchange, ts: number) => boolean;
  /** Settlement date of a trade made on `tradeDate` (default: next weekday). */
  settlementDate?: (exchange: Exchange, tradeDate: string) => string;
}

const BROKER = 'paper';
const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;
const CLOSED_POLL_MS = 60_000;
/** A linked order's client id leaves room for the exit legs' two-character suffix within 40. */
const LINKED_CLIENT_ID_MAX = 38;

type LinkRole = 'entry' | 'tp' | 'sl';

/** The order fields a placement sets; the rest start empty. */
interface OrderSpec {
  clientOrderId: string;
  side: Side;
  type: PaperOrder['type'];
  quantity: number;
  limitPrice?: number;
  triggerPrice?: number;
  timeInForce: PaperOrder['timeInForce'];
  product: PaperOrder['product'];
}

interface Liquidity {
  /** Fills of the last step per side, which count against the window's cap. */
  taken: Record<Side, { ts: number; quantity: number }[]>;
  carry: Record<Side, number>;
}

/**
 * The built-in paper broker: a simulated market (see market.ts) with an exchange-like matching
 * engine and an account persisted in the database. Everything runs on the injected clock: a
 * virtual clock drives it deterministically, and it schedules timers only while it has open
 * orders or undelivered updates.
 *
 * Beyond the Broker contract it offers the market statistics TCA and POV need:
 * `marketVolume`, `marketVwap` and `volumeProfile`.
 */
export class PaperBroker implements Broker {
  readonly id = 'paper' as const;
  readonly account: string;
  readonly capabilities: BrokerCapabilities = {
    orderTypes: ['market', 'limit', 'stop', 'stop_limit'],
    clientOrderId: { maxLength: 40, pattern: CLIENT_ID_PATTERN },
    orderRate: { perSecond: 100 },
    exchanges: ['NSE', 'NYSE', 'NASDAQ'],
    orderClasses: ['bracket', 'oco'],
    holdingsIncludeTodaysTrades: true,
  };
  readonly config: PaperConfig;

  private readonly clock: Clock;
  private readonly pdb: PaperDb;
  private readonly links: PaperLinkDb;
  private readonly market: PaperMarket;
  private readonly index: InstrumentIndex;
  private readonly publicInstruments = new Map<PaperInstrument, Instrument>();
  private readonly isOpen: (exchange: Exchange, ts: number) => boolean;
  private readonly settlementDate: (exchange: Exchange, tradeDate: string) => string;
  private readonly faults: SeededRandom;
  private readonly listeners = new Set<BrokerEventListener>();
  /** Simulated latencies; closing the broker ends them all. */
  private readonly latencies: CancellableSleeps;

  private open = new Map<string, PaperOrder>();
  private fixedBlocked = 0;
  private fixedBlockOf = new Map<string, number>();
  private marketBuys = new Map<string, PaperOrder>();
  private bySymbol = new Map<string, Map<string, PaperOrder>>();
  private readonly liquidity = new Map<string, Liquidity>();
  /** Active bracket/OCO groups by parent id, and the group and role of each of their orders. */
  private activeLinks = new Map<string, PaperOrderLink>();
  private linkOf = new Map<string, { link: PaperOrderLink; role: LinkRole }>();
  private queue: { at: number; event: BrokerEvent }[] = [];
  private matchTimer: TimerHandle | undefined;
  private eventTimer: TimerHandle | undefined;
  private knownVersion = -1;
  private closed = false;
  /** Why the market stopped: its tables could not be written (see write()). */
  private down?: string;

  constructor(options: PaperBrokerOptions) {
    this.config = parsePaperConfig(options.config);
    this.clock = options.clock;
    this.latencies = new CancellableSleeps(this.clock);
    this.account = options.account ?? this.config.account;
    this.pdb = new PaperDb(options.db);
    this.links = new PaperLinkDb(this.pdb);
    this.index = new InstrumentIndex(options.instruments ?? PAPER_UNIVERSE);
    const followHours = this.config.followExchangeHours;
    this.isOpen = options.isOpen ?? (followHours ? isWithinExchangeHours : () => true);
    this.settlementDate = options.settlementDate ?? ((_exchange, date) => nextWeekday(date));
    const identity = ensurePaperState(this.pdb, { account: this.account, now: this.clock.now(), seed: options.seed ?? this.config.seed });
    this.faults = new SeededRandom((identity.seed ^ hashString(this.account)) >>> 0);
    this.market = new PaperMarket(this.pdb, {
      seed: identity.seed,
      stepMs: this.config.stepMs,
      originTs: identity.originTs,
      spreadMultiplier: this.config.spreadMultiplier,
      impact: this.config.impact,
      isOpen: this.isOpen,
    });
    this.sync();
  }

  // ---------------------------------------------------------------- lifecycle

  async connect(): Promise<void> {
    this.ensureOpen();
    this.sync();
    this.scheduleMatch();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.latencies.cancelAll();
    if (this.matchTimer) this.clock.clearTimeout(this.matchTimer);
    if (this.eventTimer) this.clock.clearTimeout(this.eventTimer);
    this.matchTimer = undefined;
    this.eventTimer = undefined;
    this.queue = [];
    this.listeners.clear();
  }

  subscribe(listener: BrokerEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
    this.sync();
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
    this.sync();
    return this.market.marketVolume(this.instrumentOrThrow(symbol, exchange), from, to);
  }

  /** Volume-weighted average price (minor units, fractional) over [from, to); undefined if nothing traded. */
  marketVwap(symbol: string, from: number, to: number, exchange?: Exchange): number | undefined {
    this.sync();
    return this.market.marketVwap(this.instrumentOrThrow(symbol, exchange), from, to);
  }

  /** The simulated market's intraday volume profile: fraction of a session's volume per bin. */
  volumeProfile(bins: number): number[] {
    return intradayVolumeProfile(bins);
  }

  // ---------------------------------------------------------------- account

  async funds(): Promise<Funds> {
    this.sync();
    const account = this.accountRow();
    const blocked = this.blockedCash(undefined);
    return { currency: account.currency, available: account.cash - blocked, used: blocked };
  }

  async holdings(): Promise<Holding[]> {
    this.settle();
    const now = this.clock.now();
    return this.pdb.holdings(this.account).map((h) => {
      const owned = h.quantity + h.t1Quantity;
      const holding: Holding = { symbol: h.symbol, exchange: h.exchange, quantity: h.quantity, t1Quantity: h.t1Quantity, averagePrice: owned > 0 ? h.cost / owned : 0 };
      const instrument = this.index.find(h.symbol, h.exchange);
      if (instrument) holding.lastPrice = this.market.book(instrument, now).last;
      return holding;
    });
  }

  async positions(): Promise<Position[]> {
    this.sync();
    const net = new Map<string, { exchange: Exchange; symbol: string; bought: number; boughtValue: number; sold: number; soldValue: number }>();
    for (const t of this.pdb.tradesOfDay(this.account, this.today())) {
      const key = `${t.exchange}:${t.symbol}`;
      const p = net.get(key) ?? { exchange: t.exchange, symbol: t.symbol, bought: 0, boughtValue: 0, sold: 0, soldValue: 0 };
      if (t.side === 'buy') {
        p.bought += t.quantity;
        p.boughtValue += t.quantity * t.price;
      } else {
        p.sold += t.quantity;
        p.soldValue += t.quantity * t.price;
      }
      net.set(key, p);
    }
    const out: Position[] = [];
    for (const p of net.values()) {
      const quantity = p.bought - p.sold;
      if (quantity === 0) continue;
      const averagePrice = quantity > 0 ? p.boughtValue / p.bought : p.soldValue / p.sold;
      out.push({ symbol: p.symbol, exchange: p.exchange, quantity, averagePrice, product: 'delivery' });
    }
    return out;
  }

  async orders(): Promise<BrokerOrder[]> {
    this.sync();
    return this.pdb.orderBook(this.account, this.today()).map(toBrokerOrder);
  }

  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    this.sync();
    const order = this.pdb.orderByClientId(this.account, clientOrderId);
    return order && toBrokerOrder(order);
  }

  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    this.sync();
    const rows = brokerOrderId === undefined ? this.pdb.tradesOfDay(this.account, this.today()) : this.pdb.tradesForOrder(this.account, brokerOrderId);
    return rows.map(toBrokerTrade);
  }

  // ---------------------------------------------------------------- orders

  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    this.ensureOpen();
    const f = this.config.faults;
    // Every draw is made on every call, so one fault's probability never shifts another's draws.
    const roll = {
      rateLimited: this.faults.chance(f.rateLimited),
      unavailable: this.faults.chance(f.unavailable),
      lostBefore: this.faults.chance(f.timeoutBeforeAccept),
      reject: this.faults.chance(f.reject),
      lostAfter: this.faults.chance(f.timeoutAfterAccept),
    };
    await this.throwInjectedHttpError(roll);
    if (roll.lostBefore) {
      await this.delay(f.timeoutMs);
      throw new BrokerError('unknown_outcome', 'order placement timed out (simulated; the order never reached the market)', BROKER);
    }
    await this.delay(this.config.latencyMs);
    this.ensureOpen();
    const order = this.accept(request, roll.reject);
    if (roll.lostAfter) {
      await this.delay(Math.max(0, f.timeoutMs - this.config.latencyMs));
      throw new BrokerError('unknown_outcome', 'order placement timed out (simulated; the order may have reached the market)', BROKER);
    }
    await this.delay(this.config.latencyMs);
    return { brokerOrderId: order.brokerOrderId };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    await this.arriveAtMarket();
    this.write(() => {
      const order = this.liveOrder(brokerOrderId, 'modify');
      const role = this.linkOf.get(brokerOrderId)?.role;
      if ((role === 'tp' || role === 'sl') && (change.quantity !== undefined || change.type !== undefined)) {
        throw new BrokerError('input', `order ${brokerOrderId} is an exit leg of a bracket/OCO group: its quantity and type follow the group; only its prices can change`, BROKER);
      }
      const instrument = this.instrumentOrThrow(order.symbol, order.exchange);
      const next: PaperOrder = { ...order };
      if (change.type !== undefined) next.type = change.type;
      if (change.quantity !== undefined) next.quantity = change.quantity;
      if (change.limitPrice !== undefined) next.limitPrice = change.limitPrice;
      if (change.triggerPrice !== undefined) next.triggerPrice = change.triggerPrice;
      if (next.type === 'market') delete next.limitPrice;
      if (next.type === 'market' || next.type === 'limit') {
        delete next.triggerPrice;
        next.triggered = true;
      }
      this.validate(next, instrument);
      if (next.quantity <= order.filledQuantity) {
        throw new BrokerError('input', `quantity ${next.quantity} is not above the filled quantity ${order.filledQuantity}`, BROKER);
      }
      const reason = this.affordability(next, instrument, order.brokerOrderId);
      if (reason) throw new BrokerError('rejected', `modification refused: ${reason}`, BROKER, { code: 'NOT MODIFIED' });
      next.brokerStatus = next.triggered ? 'OPEN' : 'TRIGGER PENDING';
      next.updatedAt = this.clock.now();
      this.replaceOpen(next);
      this.pdb.updateOrder(next);
      this.emitOrder(next);
      this.matchSymbol(instrument, this.clock.now(), undefined);
    });
    this.scheduleMatch();
    await this.delay(this.config.latencyMs);
  }

  /** An order call's trip to the market: injected 429/5xx faults, then the one-way latency. */
  private async arriveAtMarket(): Promise<void> {
    this.ensureOpen();
    const roll = { rateLimited: this.faults.chance(this.config.faults.rateLimited), unavailable: this.faults.chance(this.config.faults.unavailable) };
    await this.throwInjectedHttpError(roll);
    await this.delay(this.config.latencyMs);
    this.ensureOpen();
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    await this.arriveAtMarket();
    this.write(() => {
      const order = this.liveOrder(brokerOrderId, 'cancel');
      this.finish(order, 'cancelled', 'CANCELLED', 'cancelled by the user');
    });
    await this.delay(this.config.latencyMs);
  }

  // ---------------------------------------------------------------- internals: acceptance

  private accept(request: OrderRequest, forceReject: boolean): PaperOrder {
    const instrument = this.index.find(request.symbol, request.exchange);
    if (!instrument) throw new BrokerError('input', `unknown instrument ${request.exchange}:${request.symbol}`, BROKER, { code: 'unknown_instrument' });
    if (request.clientOrderId !== undefined && !CLIENT_ID_PATTERN.test(request.clientOrderId)) {
      throw new BrokerError('input', `client order id "${request.clientOrderId}" must be 1-40 letters, digits, '-' or '_'`, BROKER);
    }
    const now = this.clock.now();
    const linked = isLinkedOrder(request);
    const problem = orderClassProblem(request, instrument.tickSize, linked ? this.market.book(instrument, now).last : undefined);
    if (problem) throw new BrokerError('input', `${instrument.symbol}: ${problem}`, BROKER, { code: 'invalid_order_class' });
    if (linked) return this.acceptLinked(request as OrderRequest & { orderClass: 'bracket' | 'oco' }, instrument, forceReject);
    const order = this.write(() => {
      this.ensureUnusedClientIds([request.clientOrderId]);
      const order = this.buildOrder(instrument, now, request);
      this.validate(order, instrument);
      const reason = forceReject ? 'rejected by the exchange (simulated fault)' : this.rejection(order, instrument);
      if (reason) {
        order.status = 'rejected';
        order.brokerStatus = 'REJECTED';
        order.statusMessage = reason;
        this.pdb.insertOrder(order);
        this.emitOrder(order);
        return order;
      }
      this.pdb.insertOrder(order);
      this.addOpen(order);
      this.emitOrder(order);
      this.matchSymbol(instrument, now, order);
      return order;
    });
    this.scheduleMatch();
    return order;
  }

  private ensureUnusedClientIds(ids: string[]): void {
    for (const id of ids) {
      if (this.pdb.orderByClientId(this.account, id)) {
        throw new BrokerError('input', `duplicate client order id ${id}`, BROKER, { code: 'duplicate_client_order_id' });
      }
    }
  }

  private buildOrder(instrument: PaperInstrument, now: number, spec: OrderSpec): PaperOrder {
    const stop = spec.type === 'stop' || spec.type === 'stop_limit';
    const order: PaperOrder = {
      brokerOrderId: `P${String(this.pdb.nextOrderNumber()).padStart(9, '0')}`,
      accountId: this.account,
      clientOrderId: spec.clientOrderId,
      exchange: instrument.exchange,
      symbol: instrument.symbol,
      side: spec.side,
      type: spec.type,
      timeInForce: spec.timeInForce,
      product: spec.product,
      quantity: spec.quantity,
      filledQuantity: 0,
      filledValue: 0,
      triggered: !stop,
      status: 'accepted',
      brokerStatus: stop ? 'TRIGGER PENDING' : 'OPEN',
      tradingDate: localDate(instrument.exchange, now),
      expiresAt: endOfLocalDay(instrument.exchange, now),
      seq: 0,
      createdAt: now,
      updatedAt: now,
    };
    order.seq = Number(order.brokerOrderId.slice(1));
    if (spec.limitPrice !== undefined && spec.type !== 'market' && spec.type !== 'stop') order.limitPrice = spec.limitPrice;
    if (spec.triggerPrice !== undefined && stop) order.triggerPrice = spec.triggerPrice;
    return order;
  }

  /** The two exit legs of a group, on the link's side and prices, for `quantity`. */
  private buildExits(instrument: PaperInstrument, now: number, link: PaperOrderLink, parentClientId: string, product: PaperOrder['product'], quantity: number, takeProfitClientId: string): { tp: PaperOrder; sl: PaperOrder } {
    const base = { side: link.exitSide, quantity, timeInForce: 'day' as const, product };
    const tp = this.buildOrder(instrument, now, { ...base, clientOrderId: takeProfitClientId, type: 'limit', limitPrice: link.takeProfitPrice });
    const stopLimit = link.stopLimitPrice !== undefined;
    const sl = this.buildOrder(instrument, now, {
      ...base,
      clientOrderId: exitLegClientIds(parentClientId).stopLoss,
      type: stopLimit ? 'stop_limit' : 'stop',
      triggerPrice: link.stopTriggerPrice,
      ...(stopLimit ? { limitPrice: link.stopLimitPrice } : {}),
    });
    return { tp, sl };
  }

  /**
   * A bracket: the entry is placed now and its link stored; the exits follow its fills (see
   * `placeDueExits`). An OCO: both legs are placed now; the take-profit leg carries the
   * request's client order id and is what `placeOrder` returns, the stop-loss leg `<id>SL`.
   */
  private acceptLinked(request: OrderRequest & { orderClass: 'bracket' | 'oco' }, instrument: PaperInstrument, forceReject: boolean): PaperOrder {
    if (request.clientOrderId.length > LINKED_CLIENT_ID_MAX) {
      throw new BrokerError('input', `client order id "${request.clientOrderId}" of a ${request.orderClass} order may have at most ${LINKED_CLIENT_ID_MAX} characters (its exit legs add "TP"/"SL")`, BROKER);
    }
    const takeProfit = request.takeProfit!;
    const stopLoss = request.stopLoss!;
    const legIds = exitLegClientIds(request.clientOrderId);
    const now = this.clock.now();
    const order = this.write(() => {
      const link: PaperOrderLink = {
        parentId: '',
        accountId: this.account,
        orderClass: request.orderClass,
        exitSide: request.orderClass === 'bracket' ? (request.side === 'buy' ? 'sell' : 'buy') : request.side,
        takeProfitPrice: takeProfit.limitPrice,
        stopTriggerPrice: stopLoss.triggerPrice,
        protectedQuantity: 0,
        active: true,
      };
      if (stopLoss.limitPrice !== undefined) link.stopLimitPrice = stopLoss.limitPrice;
      if (request.orderClass === 'bracket') {
        this.ensureUnusedClientIds([request.clientOrderId, legIds.takeProfit, legIds.stopLoss]);
        const entry = this.buildOrder(instrument, now, request);
        this.validate(entry, instrument);
        link.parentId = entry.brokerOrderId;
        const reason = forceReject ? 'rejected by the exchange (simulated fault)' : this.rejection(entry, instrument);
        if (reason) {
          link.active = false;
          this.insertRejected(entry, reason);
          this.links.save(link);
          return entry;
        }
        this.pdb.insertOrder(entry);
        this.links.save(link);
        this.indexLink(link);
        this.addOpen(entry);
        this.emitOrder(entry);
        this.matchSymbol(instrument, now, entry);
        return entry;
      }
      this.ensureUnusedClientIds([request.clientOrderId, legIds.stopLoss]);
      const { tp, sl } = this.buildExits(instrument, now, link, request.clientOrderId, request.product, request.quantity, request.clientOrderId);
      this.validate(tp, instrument);
      this.validate(sl, instrument);
      link.parentId = tp.brokerOrderId;
      link.takeProfitId = tp.brokerOrderId;
      link.stopLossId = sl.brokerOrderId;
      link.protectedQuantity = request.quantity;
      // One check for the pair: the legs never fill more than `quantity` together, so a sell
      // reserves the shares once and a buy blocks the cash of its stop-loss leg (the dearer one).
      const reason = forceReject ? 'rejected by the exchange (simulated fault)' : this.rejection(sl, instrument);
      if (reason) {
        link.active = false;
        this.insertRejected(tp, reason);
        this.insertRejected(sl, reason);
        this.links.save(link);
        return tp;
      }
      this.openExitPair(tp, sl, link);
      this.matchSymbol(instrument, now, undefined);
      return tp;
    });
    this.scheduleMatch();
    return order;
  }

  private insertRejected(order: PaperOrder, reason: string): void {
    order.status = 'rejected';
    order.brokerStatus = 'REJECTED';
    order.statusMessage = reason;
    this.pdb.insertOrder(order);
    this.emitOrder(order);
  }

  /** Throws an input error for a malformed order (nothing is created, like an HTTP 400). */
  private validate(order: PaperOrder, instrument: PaperInstrument): void {
    const fail = (message: string): never => {
      throw new BrokerError('input', `${order.symbol}: ${message}`, BROKER);
    };
    if (!Number.isInteger(order.quantity) || order.quantity <= 0) fail(`quantity must be a positive integer, got ${order.quantity}`);
    if (order.quantity % instrument.lotSize !== 0) fail(`quantity ${order.quantity} is not a multiple of the lot size ${instrument.lotSize}`);
    if (order.side !== 'buy' && order.side !== 'sell') fail(`unknown side ${String(order.side)}`);
    if (order.timeInForce !== 'day' && order.timeInForce !== 'ioc') fail(`unknown time in force ${String(order.timeInForce)}`);
    const needsLimit = order.type === 'limit' || order.type === 'stop_limit';
    const needsTrigger = order.type === 'stop' || order.type === 'stop_limit';
    if (!['market', 'limit', 'stop', 'stop_limit'].includes(order.type)) fail(`unknown order type ${String(order.type)}`);
    for (const [name, price, needed] of [
      ['limit price', order.limitPrice, needsLimit],
      ['trigger price', order.triggerPrice, needsTrigger],
    ] as const) {
      if (price === undefined) {
        if (needed) fail(`${order.type} orders need a ${name}`);
        continue;
      }
      if (!Number.isInteger(price) || price <= 0) fail(`${name} must be a positive integer number of minor units, got ${price}`);
      if (!isOnTick(price, instrument.tickSize)) fail(`${name} ${price} is not on the tick of ${instrument.tickSize}`);
    }
  }

  /** Why the account cannot take this order, or undefined when it can. */
  private rejection(order: PaperOrder, instrument: PaperInstrument): string | undefined {
    const account = this.accountRow();
    if (currencyOfExchange(instrument.exchange) !== account.currency) {
      return `the paper account holds ${account.currency}; ${instrument.exchange}:${instrument.symbol} trades in ${currencyOfExchange(instrument.exchange)}`;
    }
    return this.affordability(order, instrument, undefined);
  }

  private affordability(order: PaperOrder, instrument: PaperInstrument, excludeId: string | undefined): string | undefined {
    const account = this.accountRow();
    if (this.isCoveredLeg(order)) return undefined;
    const sibling = this.siblingOf(order.brokerOrderId);
    if (order.side === 'buy') {
      const required = this.blockFor(order, instrument);
      const available = account.cash - this.blockedCash(excludeId ?? order.brokerOrderId);
      if (required > available) {
        return `insufficient funds: the order needs ${formatMoney(required, account.currency)}, ${formatMoney(Math.max(0, available), account.currency)} available`;
      }
      return undefined;
    }
    this.settle();
    const holding = this.pdb.holding(this.account, order.exchange, order.symbol);
    const owned = holding ? holding.quantity + holding.t1Quantity : 0;
    let selling = 0;
    for (const other of this.bySymbol.get(`${order.exchange}:${order.symbol}`)?.values() ?? []) {
      if (other.side !== 'sell' || other.brokerOrderId === (excludeId ?? order.brokerOrderId) || other.brokerOrderId === sibling) continue;
      if (this.isCoveredLeg(other)) continue;
      selling += other.quantity - other.filledQuantity;
    }
    const remaining = order.quantity - order.filledQuantity;
    if (remaining > owned - selling) {
      return `insufficient holdings: selling ${remaining} ${order.symbol} but ${owned} owned and ${selling} already being sold`;
    }
    return undefined;
  }

  /** Cash an open buy blocks: remaining × its limit, or × the ask plus a buffer for market orders. */
  private blockFor(order: PaperOrder, instrument: PaperInstrument): number {
    if (order.side !== 'buy') return 0;
    const remaining = order.quantity - order.filledQuantity;
    if (order.limitPrice !== undefined) return remaining * order.limitPrice;
    const ask = this.market.book(instrument, this.clock.now()).ask;
    const reference = Math.max(ask, order.triggerPrice ?? 0);
    return Math.ceil(remaining * reference * (1 + this.config.marketBuyBuffer));
  }

  /**
   * Cash blocked by open buys. Limit-priced buys block a fixed amount, kept as a running total
   * (so a placement does not walk thousands of open orders); market and stop buys are valued at
   * the current ask.
   */
  private blockedCash(excludeId: string | undefined): number {
    let blocked = this.fixedBlocked - (excludeId === undefined ? 0 : (this.fixedBlockOf.get(excludeId) ?? 0));
    for (const order of this.marketBuys.values()) {
      if (order.brokerOrderId === excludeId) continue;
      const instrument = this.index.find(order.symbol, order.exchange);
      if (instrument) blocked += this.blockFor(order, instrument);
    }
    return blocked;
  }

  /** Re-books an open order's share of the blocked cash after it changed. */
  private rebook(order: PaperOrder): void {
    const id = order.brokerOrderId;
    this.fixedBlocked -= this.fixedBlockOf.get(id) ?? 0;
    this.fixedBlockOf.delete(id);
    this.marketBuys.delete(id);
    if (order.side !== 'buy' || !this.open.has(id)) return;
    if (this.isCoveredLeg(order)) return;
    if (order.limitPrice === undefined) {
      this.marketBuys.set(id, order);
      return;
    }
    const block = (order.quantity - order.filledQuantity) * order.limitPrice;
    this.fixedBlockOf.set(id, block);
    this.fixedBlocked += block;
  }

  // ---------------------------------------------------------------- internals: matching

  private scheduleMatch(): void {
    if (this.closed || this.down || this.matchTimer) return;
    const due = this.nextExitsDue();
    if (this.open.size === 0 && due === undefined) return;
    const now = this.clock.now();
    // While every exchange with open orders is closed, look again once a minute, not every step.
    let anyOpen = false;
    for (const orders of this.bySymbol.values()) {
      const first = orders.values().next().value;
      if (first && this.isOpen(first.exchange, now)) {
        anyOpen = true;
        break;
      }
    }
    let next = this.market.stepStart(now + (anyOpen ? 0 : CLOSED_POLL_MS - this.market.stepMs)) + this.market.stepMs;
    if (due !== undefined) next = Math.min(next, due);
    this.matchTimer = this.clock.setTimeout(() => this.onTick(), Math.max(1, next - now));
  }

  private onTick(): void {
    this.matchTimer = undefined;
    if (this.closed || this.down) return;
    try {
      this.match(this.clock.now());
    } catch (err) {
      // The book could not be written: another process holds the database (the orders are all
      // still open in it, and the next tick matches them), or the market stopped (see
      // stopMarket). Nothing may escape a timer.
      if (!isBrokerError(err, 'unavailable')) throw err;
    }
    this.scheduleMatch();
  }

  private match(now: number): void {
    this.write(() => {
      for (const order of [...this.open.values()]) {
        if (order.timeInForce === 'day' && now >= order.expiresAt && this.open.has(order.brokerOrderId)) {
          this.finish(order, 'expired', 'EXPIRED', 'DAY order expired at the end of the trading day');
        }
      }
      this.placeDueExits(now);
      for (const orders of [...this.bySymbol.values()]) {
        const first = orders.values().next().value;
        if (!first) continue;
        const instrument = this.index.find(first.symbol, first.exchange);
        if (instrument) this.matchSymbol(instrument, now, undefined);
      }
    });
  }

  /**
   * One matching pass over a symbol's open orders at `now`. Liquidity is a sliding window: over
   * any one step, paper orders on one side take at most the participation cap of the market's
   * volume in that step (what was taken earlier in the window counts against it), plus the
   * fraction of a share left over when orders wanted more, so thin names still trade. `arrival`
   * is an order reaching the market now: an IOC order gets this one pass and its remainder is
   * cancelled.
   */
  private matchSymbol(instrument: PaperInstrument, now: number, arrival: PaperOrder | undefined): void {
    const key = `${instrument.exchange}:${instrument.symbol}`;
    const orders = this.bySymbol.get(key);
    if (!orders || orders.size === 0) return;
    let liquidity = this.liquidity.get(key);
    if (!liquidity) {
      liquidity = { taken: { buy: [], sell: [] }, carry: { buy: 0, sell: 0 } };
      this.liquidity.set(key, liquidity);
    }
    const windowStart = now - this.market.stepMs;
    for (const side of ['buy', 'sell'] as const) {
      const kept = liquidity.taken[side].filter((t) => t.ts > windowStart);
      liquidity.taken[side] = kept;
    }
    const open = this.isOpen(instrument.exchange, now);
    const volume = open ? this.market.backgroundVolume(instrument, windowStart, now) : 0;
    const cap = this.config.participationCap;
    const windowLeft = (side: Side) => Math.max(0, cap * volume - liquidity.taken[side].reduce((sum, t) => sum + t.quantity, 0));
    const available: Record<Side, number> = { buy: windowLeft('buy') + liquidity.carry.buy, sell: windowLeft('sell') + liquidity.carry.sell };
    const starved: Record<Side, boolean> = { buy: false, sell: false };

    if (open) {
      let quote = this.market.book(instrument, now);
      for (const order of orders.values()) {
        if (order.triggered || order.triggerPrice === undefined) continue;
        const hit = order.side === 'buy' ? quote.last >= order.triggerPrice : quote.last <= order.triggerPrice;
        if (hit) {
          order.triggered = true;
          order.brokerStatus = 'OPEN';
          order.updatedAt = now;
          this.pdb.updateOrder(order);
          this.emitOrder(order);
        }
      }
      for (const order of [...orders.values()].filter((o) => o.triggered).sort(priority)) {
        if (!this.open.has(order.brokerOrderId)) continue;
        const side = order.side;
        if (order.limitPrice !== undefined && (side === 'buy' ? order.limitPrice < quote.ask : order.limitPrice > quote.bid)) continue;
        let quantity = Math.min(order.quantity - order.filledQuantity, Math.floor(available[side] + 1e-9));
        if (quantity < order.quantity - order.filledQuantity) starved[side] = true;
        if (quantity <= 0) continue;
        let price = this.fillPrice(instrument, quote, order, quantity);
        if (side === 'buy') {
          const cash = this.accountRow().cash;
          if (quantity * price > cash) {
            quantity = Math.floor(cash / price);
            if (quantity > 0) price = this.fillPrice(instrument, quote, order, quantity);
            while (quantity > 0 && quantity * price > cash) quantity--;
            if (quantity <= 0) {
              this.finish(order, 'cancelled', 'CANCELLED', 'insufficient funds for the remaining quantity at the market price');
              continue;
            }
          }
        }
        this.fill(order, instrument, quantity, price, now);
        available[side] -= quantity;
        liquidity.taken[side].push({ ts: now, quantity });
        quote = this.market.book(instrument, now);
      }
    }
    liquidity.carry = {
      buy: starved.buy ? Math.max(0, Math.min(1, available.buy)) : 0,
      sell: starved.sell ? Math.max(0, Math.min(1, available.sell)) : 0,
    };
    if (arrival && arrival.timeInForce === 'ioc' && this.open.has(arrival.brokerOrderId)) {
      this.finish(arrival, 'cancelled', 'CANCELLED', 'IOC remainder cancelled');
    }
  }

  private fillPrice(instrument: PaperInstrument, quote: { bid: number; ask: number }, order: PaperOrder, quantity: number): number {
    const price = this.market.impactedPrice(instrument, quote, order.side, order.filledQuantity + quantity);
    if (order.limitPrice === undefined) return price;
    return order.side === 'buy' ? Math.min(price, order.limitPrice) : Math.max(price, order.limitPrice);
  }

  private fill(order: PaperOrder, instrument: PaperInstrument, quantity: number, price: number, now: number): void {
    if (quantity > order.quantity - order.filledQuantity) throw new Error(`paper: refusing to overfill ${order.brokerOrderId}`);
    order.filledQuantity += quantity;
    order.filledValue += quantity * price;
    order.updatedAt = now;
    const done = order.filledQuantity === order.quantity;
    order.status = done ? 'filled' : 'partially_filled';
    order.brokerStatus = done ? 'COMPLETE' : 'OPEN';
    const trade: PaperTradeRow = {
      tradeId: `${order.brokerOrderId}-${order.filledQuantity}`,
      brokerOrderId: order.brokerOrderId,
      accountId: this.account,
      clientOrderId: order.clientOrderId,
      exchange: order.exchange,
      symbol: order.symbol,
      side: order.side,
      quantity,
      price,
      ts: now,
      tradingDate: localDate(order.exchange, now),
    };
    const value = quantity * price;
    if (order.side === 'buy') {
      this.pdb.addCash(this.account, -value, now);
      this.pdb.addBought(this.account, order.exchange, order.symbol, quantity, value, this.settlementDate(order.exchange, trade.tradingDate));
    } else {
      this.pdb.removeSold(this.account, order.exchange, order.symbol, quantity);
      this.pdb.addCash(this.account, value, now);
    }
    this.pdb.insertTrade(trade);
    this.pdb.updateOrder(order);
    this.market.recordFill(instrument, now, order.side, quantity);
    if (done) this.removeOpen(order);
    else this.rebook(order);
    this.emit({ type: 'trade', trade: toBrokerTrade(trade) });
    this.emitOrder(order);
    this.afterLinkedFill(order, now);
  }

  /** Moves an open order to a final status (the filled part stays filled). */
  private finish(order: PaperOrder, status: OrderStatus, brokerStatus: string, message: string): void {
    order.status = status;
    order.brokerStatus = brokerStatus;
    order.statusMessage = message;
    order.updatedAt = this.clock.now();
    this.pdb.updateOrder(order);
    this.removeOpen(order);
    this.emitOrder(order);
    this.afterLinkedFinish(order, status, brokerStatus);
  }

  private liveOrder(brokerOrderId: string, action: string): PaperOrder {
    const open = this.open.get(brokerOrderId);
    if (open) return open;
    const stored = this.pdb.order(this.account, brokerOrderId);
    if (!stored) throw new BrokerError('not_found', `no order ${brokerOrderId}`, BROKER);
    throw new BrokerError('rejected', `cannot ${action} order ${brokerOrderId}: it is ${stored.status}`, BROKER, { code: stored.brokerStatus });
  }

  // ---------------------------------------------------------------- internals: bracket and OCO groups

  /** Stores, links, opens and announces the two exit legs of a bracket or OCO together. */
  private openExitPair(tp: PaperOrder, sl: PaperOrder, link: PaperOrderLink): void {
    this.pdb.insertOrder(tp);
    this.pdb.insertOrder(sl);
    this.links.save(link);
    this.indexLink(link);
    this.addOpen(tp);
    this.addOpen(sl);
    this.emitOrder(tp);
    this.emitOrder(sl);
  }

  private indexLink(link: PaperOrderLink): void {
    this.activeLinks.set(link.parentId, link);
    if (link.orderClass === 'bracket') this.linkOf.set(link.parentId, { link, role: 'entry' });
    if (link.takeProfitId) this.linkOf.set(link.takeProfitId, { link, role: 'tp' });
    if (link.stopLossId) this.linkOf.set(link.stopLossId, { link, role: 'sl' });
  }

  /** Ends a group: nothing more is placed, resized or cancelled for it. */
  private deactivate(link: PaperOrderLink): void {
    link.active = false;
    delete link.exitsDueAt;
    this.links.save(link);
    this.activeLinks.delete(link.parentId);
    for (const id of [link.parentId, link.takeProfitId, link.stopLossId]) {
      if (id !== undefined && this.linkOf.get(id)?.link === link) this.linkOf.delete(id);
    }
  }

  /** The other exit leg of an exit leg's group. */
  private siblingOf(brokerOrderId: string): string | undefined {
    const linked = this.linkOf.get(brokerOrderId);
    if (!linked) return undefined;
    if (linked.role === 'tp') return linked.link.stopLossId;
    if (linked.role === 'sl') return linked.link.takeProfitId;
    return undefined;
  }

  /**
   * The take-profit leg of an active group. While a group is active both its legs are open with
   * the same remaining quantity and at most one of them fills it (a group ends, both legs
   * together, when either ends), so the stop-loss alone reserves the shares (a sell) or blocks
   * the cash (a buy: its stop or stop-limit is never cheaper than the take-profit limit).
   */
  private isCoveredLeg(order: PaperOrder): boolean {
    const linked = this.linkOf.get(order.brokerOrderId);
    return linked !== undefined && linked.role === 'tp' && linked.link.stopLossId !== undefined;
  }

  private linkedOrder(brokerOrderId: string | undefined): PaperOrder | undefined {
    if (brokerOrderId === undefined) return undefined;
    return this.open.get(brokerOrderId) ?? this.pdb.order(this.account, brokerOrderId);
  }

  private nextExitsDue(): number | undefined {
    let due: number | undefined;
    for (const link of this.activeLinks.values()) {
      if (link.exitsDueAt !== undefined && (due === undefined || link.exitsDueAt < due)) due = link.exitsDueAt;
    }
    return due;
  }

  /**
   * After a fill of a grouped order. An entry's fill makes its exits due after the latency.
   * An exit's fill reduces its sibling, in this same matching step, to the quantity still
   * protected, so the two together never fill more than the protected quantity; when nothing
   * is left the sibling is cancelled (one-cancels-other) and the group ends.
   */
  private afterLinkedFill(order: PaperOrder, now: number): void {
    const linked = this.linkOf.get(order.brokerOrderId);
    if (!linked) return;
    const { link, role } = linked;
    if (role === 'entry') {
      if (link.exitsDueAt === undefined) {
        link.exitsDueAt = now + this.config.latencyMs;
        this.links.save(link);
      }
      return;
    }
    if (link.orderClass === 'bracket') {
      // The entry filled more since the exits were last sized: cover it now rather than let
      // this exit close the group with those shares unprotected.
      const entry = this.linkedOrder(link.parentId);
      if (entry && entry.filledQuantity > link.protectedQuantity) {
        link.protectedQuantity = entry.filledQuantity;
        delete link.exitsDueAt;
        this.links.save(link);
      }
    }
    const tp = role === 'tp' ? order : this.linkedOrder(link.takeProfitId);
    const sl = role === 'sl' ? order : this.linkedOrder(link.stopLossId);
    const remaining = link.protectedQuantity - (tp?.filledQuantity ?? 0) - (sl?.filledQuantity ?? 0);
    if (remaining > 0) {
      for (const leg of [tp, sl]) if (leg && this.open.has(leg.brokerOrderId)) this.resizeLeg(leg, remaining, now);
      return;
    }
    const leg = role === 'tp' ? 'take-profit' : 'stop-loss';
    this.endGroup(link, 'cancelled', 'CANCELLED', `cancelled: the ${leg} leg filled (one-cancels-other)`);
  }

  /**
   * After a grouped order ended without filling. An entry that filled nothing ends its group
   * (what it did fill is still protected). An exit leg that was cancelled or expired takes its
   * sibling, and a bracket's still-working entry, with it.
   */
  private afterLinkedFinish(order: PaperOrder, status: OrderStatus, brokerStatus: string): void {
    const linked = this.linkOf.get(order.brokerOrderId);
    if (!linked) return;
    const { link, role } = linked;
    if (role === 'entry') {
      if (order.filledQuantity === 0) this.deactivate(link);
      return;
    }
    const leg = role === 'tp' ? 'take-profit' : 'stop-loss';
    const word = status === 'expired' ? 'expired' : 'cancelled';
    this.endGroup(link, status === 'expired' ? 'expired' : 'cancelled', status === 'expired' ? brokerStatus : 'CANCELLED', `${word} with its ${leg} leg (one-cancels-other)`);
  }

  /** Deactivates a group and ends whatever of it still works. */
  private endGroup(link: PaperOrderLink, status: OrderStatus, brokerStatus: string, message: string): void {
    this.deactivate(link);
    for (const id of [link.takeProfitId, link.stopLossId]) {
      const leg = id === undefined ? undefined : this.open.get(id);
      if (leg) this.finish(leg, status, brokerStatus, message);
    }
    if (link.orderClass === 'bracket') {
      const entry = this.open.get(link.parentId);
      if (entry) this.finish(entry, 'cancelled', 'CANCELLED', 'cancelled: the bracket ended with its exits');
    }
  }

  private resizeLeg(leg: PaperOrder, remaining: number, now: number): void {
    if (leg.quantity - leg.filledQuantity === remaining) return;
    leg.quantity = leg.filledQuantity + remaining;
    leg.updatedAt = now;
    this.pdb.updateOrder(leg);
    this.rebook(leg);
    this.emitOrder(leg);
  }

  /**
   * Places (or grows) the exits of brackets whose entry filled at least the latency ago: both
   * legs cover what the entry filled and what the exits have not yet closed.
   */
  private placeDueExits(now: number): void {
    for (const link of [...this.activeLinks.values()]) {
      if (link.exitsDueAt === undefined || link.exitsDueAt > now || !link.active) continue;
      delete link.exitsDueAt;
      const entry = this.linkedOrder(link.parentId);
      const instrument = entry && this.index.find(entry.symbol, entry.exchange);
      if (!entry || !instrument || entry.clientOrderId === undefined) {
        this.deactivate(link);
        continue;
      }
      const target = entry.filledQuantity;
      if (target <= link.protectedQuantity) {
        this.links.save(link);
        continue;
      }
      if (link.takeProfitId === undefined) {
        const legIds = exitLegClientIds(entry.clientOrderId);
        const { tp, sl } = this.buildExits(instrument, now, link, entry.clientOrderId, entry.product, target, legIds.takeProfit);
        link.takeProfitId = tp.brokerOrderId;
        link.stopLossId = sl.brokerOrderId;
        link.protectedQuantity = target;
        const reason = this.rejection(sl, instrument);
        if (reason) {
          this.insertRejected(tp, `exit not placed: ${reason}`);
          this.insertRejected(sl, `exit not placed: ${reason}`);
          this.deactivate(link);
          continue;
        }
        this.openExitPair(tp, sl, link);
      } else {
        const tp = this.open.get(link.takeProfitId);
        const sl = link.stopLossId === undefined ? undefined : this.open.get(link.stopLossId);
        if (!tp || !sl) {
          this.links.save(link);
          continue;
        }
        link.protectedQuantity = target;
        const remaining = target - tp.filledQuantity - sl.filledQuantity;
        this.links.save(link);
        this.resizeLeg(tp, remaining, now);
        this.resizeLeg(sl, remaining, now);
      }
      this.matchSymbol(instrument, now, undefined);
    }
  }

  // ---------------------------------------------------------------- internals: state

  private addOpen(order: PaperOrder): void {
    this.open.set(order.brokerOrderId, order);
    const key = `${order.exchange}:${order.symbol}`;
    let orders = this.bySymbol.get(key);
    if (!orders) {
      orders = new Map();
      this.bySymbol.set(key, orders);
    }
    orders.set(order.brokerOrderId, order);
    this.rebook(order);
  }

  private removeOpen(order: PaperOrder): void {
    this.open.delete(order.brokerOrderId);
    const key = `${order.exchange}:${order.symbol}`;
    const orders = this.bySymbol.get(key);
    orders?.delete(order.brokerOrderId);
    if (orders && orders.size === 0) this.bySymbol.delete(key);
    this.rebook(order);
    if (this.open.size === 0 && this.matchTimer && this.nextExitsDue() === undefined) {
      // Nothing left to match: no timer may keep a virtual clock (or the process) busy.
      this.clock.clearTimeout(this.matchTimer);
      this.matchTimer = undefined;
    }
  }

  private replaceOpen(order: PaperOrder): void {
    this.removeOpen(order);
    this.addOpen(order);
  }

  /**
   * Reloads cached state when another writer (a second broker instance, an account reset)
   * changed the paper tables since this instance last looked.
   */
  private sync(): void {
    const version = this.pdb.version();
    if (version === this.knownVersion) return;
    this.market.reload();
    this.open = new Map();
    this.bySymbol = new Map();
    this.fixedBlocked = 0;
    this.fixedBlockOf = new Map();
    this.marketBuys = new Map();
    this.activeLinks = new Map();
    this.linkOf = new Map();
    for (const link of this.links.activeLinks(this.account)) this.indexLink(link);
    for (const order of this.pdb.openOrders(this.account)) this.addOpen(order);
    if (!this.pdb.account(this.account)) ensurePaperState(this.pdb, { account: this.account, now: this.clock.now() });
    this.knownVersion = this.pdb.version();
  }

  /**
   * Runs a change in one write transaction, marks the paper tables as changed and notes the
   * market time the change was made at (a later process's clock starts after it). Another
   * process holding the database past the busy timeout is the broker being unavailable: the
   * change never began, and the caller may try again (an order is looked up by its client id
   * before it is sent again). Any other failure to save stops the market (see stopMarket).
   */
  private write<T>(fn: () => T): T {
    if (this.down) throw this.unavailable();
    try {
      return this.pdb.transaction(() => {
        this.sync();
        const before = this.pdb.writes;
        const result = fn();
        if (this.pdb.writes !== before) {
          this.knownVersion = this.pdb.bumpVersion();
          this.pdb.noteMarketTime(this.clock.now());
        }
        return result;
      });
    } catch (err) {
      if (isDatabaseBusy(err)) throw new BrokerError('unavailable', 'the paper account could not be written: another process is writing to the database', BROKER, { code: 'database_busy' });
      if (!isStorageFailure(err)) throw err;
      this.stopMarket(err as Error);
      throw this.unavailable();
    }
  }

  /**
   * The database refused a write (a full disk, a lost file…): what this market holds in memory
   * and the updates it queued are now ahead of its tables, so it stops — no more matching, no
   * updates, every order call answers "unavailable" — like an exchange gateway that went down.
   * A broker opened again reads the tables as they were last saved.
   */
  private stopMarket(err: Error): void {
    this.down = err.message;
    if (this.matchTimer) this.clock.clearTimeout(this.matchTimer);
    if (this.eventTimer) this.clock.clearTimeout(this.eventTimer);
    this.matchTimer = undefined;
    this.eventTimer = undefined;
    this.queue = [];
    this.knownVersion = Number.NaN;
  }

  private unavailable(): BrokerError {
    return new BrokerError('unavailable', `the paper market stopped: it could not save its state (${this.down})`, BROKER);
  }

  /** Settles due T+1 lots (a write only when some are due). */
  private settle(): void {
    this.sync();
    const today = this.today();
    if (!this.pdb.hasDueLots(this.account, today)) return;
    this.write(() => this.pdb.settleDue(this.account, today));
  }

  private accountRow(): { cash: number; currency: 'INR' | 'USD' } {
    const row = this.pdb.account(this.account);
    if (!row) throw new BrokerError('unavailable', `paper account ${this.account} is missing`, BROKER);
    return row;
  }

  /** The account's trading date, at the exchanges of its currency. */
  private today(): string {
    const exchange: Exchange = this.accountRow().currency === 'INR' ? 'NSE' : 'NYSE';
    return localDate(exchange, this.clock.now());
  }

  private instrumentOrThrow(symbol: string, exchange?: Exchange): PaperInstrument {
    const instrument = this.index.find(symbol, exchange);
    if (!instrument) throw new BrokerError('not_found', `unknown instrument ${exchange ? `${exchange}:` : ''}${symbol}`, BROKER);
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
    if (this.closed) throw new BrokerError('unavailable', 'the paper broker is closed', BROKER);
    if (this.down) throw this.unavailable();
  }

  private async delay(ms: number): Promise<void> {
    if (ms > 0) await this.latencies.sleep(ms);
    this.ensureOpen();
  }

  private async throwInjectedHttpError(roll: { rateLimited: boolean; unavailable: boolean }): Promise<void> {
    if (roll.rateLimited) {
      await this.delay(this.config.latencyMs * 2);
      throw new BrokerError('rate_limited', 'too many requests (simulated HTTP 429)', BROKER, { status: 429, retryAfterMs: 1_000 });
    }
    if (roll.unavailable) {
      await this.delay(this.config.latencyMs * 2);
      throw new BrokerError('unavailable', 'service unavailable (simulated HTTP 503)', BROKER, { status: 503 });
    }
  }

  // ---------------------------------------------------------------- internals: events

  private emitOrder(order: PaperOrder): void {
    this.emit({ type: 'order', order: toBrokerOrder(order) });
  }

  /** Queues an update for delivery after the latency; a `dropUpdate` fault loses it. */
  private emit(event: BrokerEvent): void {
    if (this.faults.chance(this.config.faults.dropUpdate)) return;
    this.queue.push({ at: this.clock.now() + this.config.latencyMs, event });
    this.scheduleDelivery();
  }

  private scheduleDelivery(): void {
    if (this.closed || this.down || this.eventTimer || this.queue.length === 0) return;
    const head = this.queue[0]!;
    this.eventTimer = this.clock.setTimeout(() => this.deliver(), Math.max(0, head.at - this.clock.now()));
  }

  private deliver(): void {
    this.eventTimer = undefined;
    if (this.closed) return;
    const now = this.clock.now();
    let count = 0;
    while (count < this.queue.length && this.queue[count]!.at <= now) count++;
    const due = this.queue.splice(0, count);
    for (const { event } of due) {
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch {
          // A listener's failure is the listener's problem; the market goes on.
        }
      }
    }
    this.scheduleDelivery();
  }
}

/** A failure of the database under the paper tables (not a constraint or a mistake in SQL). */
function isStorageFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(FULL|IOERR|CORRUPT|NOTADB|READONLY|BUSY|LOCKED|CANTOPEN)/.test(code);
}

/** Market orders (and triggered stops) first, then limits by price (best first), then time. */
function priority(a: PaperOrder, b: PaperOrder): number {
  const la = a.limitPrice;
  const lb = b.limitPrice;
  if (la === undefined || lb === undefined) {
    if (la !== lb) return la === undefined ? -1 : 1;
    return a.seq - b.seq;
  }
  if (la !== lb) return a.side === 'buy' ? lb - la : la - lb;
  return a.seq - b.seq;
}

function toBrokerOrder(o: PaperOrder): BrokerOrder {
  const order: BrokerOrder = {
    brokerOrderId: o.brokerOrderId,
    symbol: o.symbol,
    exchange: o.exchange,
    side: o.side,
    type: o.type,
    quantity: o.quantity,
    filledQuantity: o.filledQuantity,
    averagePrice: o.filledQuantity > 0 ? o.filledValue / o.filledQuantity : 0,
    status: o.status,
    brokerStatus: o.brokerStatus,
    updatedAt: o.updatedAt,
  };
  if (o.clientOrderId !== undefined) order.clientOrderId = o.clientOrderId;
  if (o.limitPrice !== undefined) order.limitPrice = o.limitPrice;
  if (o.statusMessage !== undefined) order.statusMessage = o.statusMessage;
  return order;
}

function toBrokerTrade(t: PaperTradeRow): BrokerTrade {
  const trade: BrokerTrade = {
    tradeId: t.tradeId,
    brokerOrderId: t.brokerOrderId,
    symbol: t.symbol,
    exchange: t.exchange,
    side: t.side,
    quantity: t.quantity,
    price: t.price,
    ts: t.ts,
  };
  if (t.clientOrderId !== undefined) trade.clientOrderId = t.clientOrderId;
  return trade;
}

export function createPaperBroker(options: PaperBrokerOptions): PaperBroker {
  return new PaperBroker(options);
}
