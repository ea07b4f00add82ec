import { readFileSync } from 'node:fs';
import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import { formatMinor, toMinor } from '../../domain/money.js';
import type { OrderRequest } from '../../domain/order.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { Broker, BrokerCapabilities, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { OrderUpdateRelay } from '../http/order-update-relay.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { fixCapabilities } from './capabilities.js';
import { type FixField, type FixMessage, fixTimestamp } from './codec.js';
import { type FixSessionSettings, symbolCodec } from './config.js';
import { type FixOrderRecord, FixOrders, minorFromFix, toBrokerOrder } from './fix-orders.js';
import { FixSession } from './fix-session.js';
import type { FixStore } from './fix-store.js';
import { BUSINESS_REJECT_REASONS, CXL_REJ_REASONS, EXEC_TYPE, MSG, ORD_TYPE, SIDE, TAG, TIME_IN_FORCE } from './wire-facts.js';

export interface FixBrokerOptions {
  session: string;
  settings: FixSessionSettings;
  store: FixStore;
  clock: Clock;
  password?: string;
  /** The TLS CA, read from `tls.ca_file` by the factory. */
  tlsCa?: string;
  /** The heartbeat in ms (tests run sub-second heartbeats; config speaks whole seconds). */
  heartbeatMs?: number;
  reconnect?: { baseMs?: number; maxMs?: number };
  random?: () => number;
  rateLimit?: boolean;
}

type Answer = { message: FixMessage } | { error: BrokerError };
interface Waiter {
  done(answer: Answer): void;
}

/**
 * A FIX 4.4 counterparty as a broker: orders by NewOrderSingle, OrderCancelRequest and
 * OrderCancelReplaceRequest (ClOrdID = our client order id; cancel and replace take new ClOrdIDs
 * chained to it by OrigClOrdID), their outcome from ExecutionReports (every ExecType and
 * OrdStatus, fills counted once by ExecID), unknown outcomes resolved by OrderStatusRequest,
 * the order book by OrderMassStatusRequest, holdings by RequestForPositions, quotes by
 * MarketDataRequest snapshots and instruments by SecurityListRequest — each where the
 * counterparty offers it (see the README's "FIX 4.4"). Placements are never re-sent: an order
 * message unanswered within the timeout, or cut by a disconnect, is an unknown outcome.
 */
export class FixBroker implements Broker {
  readonly id: string;
  readonly capabilities: BrokerCapabilities;
  readonly account: string;

  private readonly session: FixSession;
  private readonly orders_: FixOrders;
  private readonly relay: OrderUpdateRelay;
  private readonly limiter: RateLimiter;
  private readonly symbols: ReturnType<typeof symbolCodec>;
  private readonly waiters = new Map<string, Waiter>();
  /** Our MsgSeqNum of each waiting request, so a session Reject(3) finds its waiter. */
  private readonly waiterBySeq = new Map<number, string>();
  private readonly collected = new Map<string, FixMessage[]>();
  private catalog?: Promise<Map<string, Instrument>>;
  private requestSeq = 0;
  private massStatusUnsupported = false;

  constructor(private readonly options: FixBrokerOptions) {
    const { settings, clock } = options;
    this.id = `fix:${options.session}`;
    this.account = settings.account ?? `${settings.sender_comp_id}→${settings.target_comp_id}`;
    this.capabilities = fixCapabilities(settings);
    this.symbols = symbolCodec(settings);
    this.limiter = new RateLimiter({ orders: [{ limit: settings.orders_per_second, windowMs: 1_000 }] }, clock, { disabled: options.rateLimit === false });
    this.orders_ = new FixOrders(options.store, this.symbols.fromFix, settings.exchange as Exchange);
    this.relay = new OrderUpdateRelay({ clock, orders: () => this.orders(), trades: async (id) => this.orders_.trades(id) });
    this.session = new FixSession({
      name: options.session,
      host: settings.host,
      port: settings.port,
      tls: settings.tls?.enabled === false || settings.tls === undefined ? undefined : { ca: options.tlsCa, servername: settings.tls.servername },
      senderCompId: settings.sender_comp_id,
      targetCompId: settings.target_comp_id,
      heartbeatMs: options.heartbeatMs ?? settings.heartbeat_seconds * 1_000,
      resetOnLogon: settings.reset_on_logon,
      username: settings.username,
      password: options.password,
      store: options.store,
      clock,
      logonTimeoutMs: settings.timeout_ms,
      reconnect: options.reconnect,
      random: options.random,
      onApplication: (m) => this.onApplication(m),
      onSessionReject: (seq, type, reason) => this.onSessionReject(seq, type, reason),
      onState: (e) => this.onSessionState(e),
    });
  }

  /** The session (sequence numbers, a dropped connection in tests). */
  get fixSession(): FixSession {
    return this.session;
  }

  async connect(): Promise<void> {
    await this.session.start();
  }

  async close(): Promise<void> {
    this.relay.listeners.clear();
    await this.relay.drained();
    await this.session.stop();
    for (const [key, w] of this.waiters) {
      this.waiters.delete(key);
      w.done({ error: new BrokerError('unavailable', `FIX session ${this.options.session} closed`, this.id) });
    }
  }

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    const catalog = await this.instrumentCatalog();
    return query.flatMap((q) => {
      const found = catalog.get(q.symbol);
      return found && (q.exchange === undefined || q.exchange === found.exchange) ? [found] : [];
    });
  }

  async quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    if (!this.options.settings.market_data) throw new BrokerError('unavailable', `FIX session ${this.options.session} carries no market data (market_data: false): quotes must come from elsewhere`, this.id);
    const out: Quote[] = [];
    for (const inst of instruments) {
      if (inst.exchange !== this.options.settings.exchange) continue;
      const id = this.nextId('MD');
      const answer = await this.request(`md:${id}`, MSG.MarketDataRequest, [
        [TAG.MDReqID, id],
        [TAG.SubscriptionRequestType, '0'],
        [TAG.MarketDepth, '1'],
        [TAG.NoMDEntryTypes, '3'],
        [TAG.MDEntryType, '0'],
        [TAG.MDEntryType, '1'],
        [TAG.MDEntryType, '2'],
        [TAG.NoRelatedSym, '1'],
        [TAG.Symbol, this.symbols.toFix(inst.symbol)],
      ]);
      const entries = answer.groups(TAG.NoMDEntries, TAG.MDEntryType);
      const px = (type: string) => Math.round(minorFromFix(entries.find((e) => e.get(TAG.MDEntryType) === type)?.get(TAG.MDEntryPx)) ?? 0);
      const last = px('2') || Math.round((px('0') + px('1')) / 2);
      out.push({ symbol: inst.symbol, exchange: inst.exchange, bid: px('0') || last, ask: px('1') || last, last, volume: 0, ts: this.options.clock.now() });
    }
    return out;
  }

  /**
   * Start-of-day holdings: RequestForPositions (AN) answered by PositionReports (AP), where
   * PosType SOD is what was owned at the start of the day and DLV the part still awaiting
   * delivery (T+1); or the account file. Today's trades are positions (`positions()`).
   */
  async holdings(): Promise<Holding[]> {
    if (this.options.settings.positions === 'account_file') return this.accountFile().holdings;
    const id = this.nextId('POS');
    const key = `pos:${id}`;
    this.collected.set(key, []);
    const ack = await this.request(key, MSG.RequestForPositions, [
      [TAG.PosReqID, id],
      [TAG.PosReqType, '0'],
      ...this.accountFields(),
      [TAG.AccountType, '1'],
      [TAG.ClearingBusinessDate, tradingDate(this.options.settings.exchange as Exchange, this.options.clock.now()).replaceAll('-', '')],
      [TAG.TransactTime, fixTimestamp(this.options.clock.now())],
    ]);
    const reports = this.collected.get(key) ?? [];
    this.collected.delete(key);
    if (ack.type === MSG.RequestForPositionsAck && ack.get(TAG.PosReqResult) === '2') return [];
    return reports.flatMap((r) => {
      const symbol = this.symbols.fromFix(r.get(TAG.Symbol) ?? '');
      if (!symbol) return [];
      const legs = r.groups(TAG.NoPositions, TAG.PosType);
      const qty = (type: string) => {
        const leg = legs.find((l) => l.get(TAG.PosType) === type);
        return (leg?.num(TAG.LongQty) ?? 0) - (leg?.num(TAG.ShortQty) ?? 0);
      };
      const owned = qty('SOD');
      const t1 = qty('DLV');
      if (owned === 0) return [];
      return [{ symbol, exchange: this.options.settings.exchange as Exchange, quantity: owned - t1, t1Quantity: t1, averagePrice: minorFromFix(r.get(TAG.SettlPrice)) ?? 0 }];
    });
  }

  /** Today's net position per instrument, from this session's own executions (FIX reports no intraday book of trades). */
  async positions(): Promise<Position[]> {
    await this.live();
    const today = tradingDate(this.options.settings.exchange as Exchange, this.options.clock.now());
    const bySymbol = new Map<string, { qty: number; value: number; bought: number }>();
    for (const t of this.orders_.trades()) {
      if (tradingDate(t.exchange, t.ts) !== today) continue;
      const p = bySymbol.get(t.symbol) ?? { qty: 0, value: 0, bought: 0 };
      p.qty += t.side === 'buy' ? t.quantity : -t.quantity;
      if (t.side === 'buy') {
        p.value += t.quantity * t.price;
        p.bought += t.quantity;
      }
      bySymbol.set(t.symbol, p);
    }
    return [...bySymbol].map(([symbol, p]) => ({ symbol, exchange: this.options.settings.exchange as Exchange, quantity: p.qty, averagePrice: p.bought ? p.value / p.bought : 0, product: 'delivery' as const }));
  }

  /** Start-of-day cash from the account file, less today's buys and plus today's sells on this session. */
  async funds(): Promise<Funds> {
    const { cash } = this.accountFile();
    await this.live();
    const today = tradingDate(this.options.settings.exchange as Exchange, this.options.clock.now());
    let flow = 0;
    for (const t of this.orders_.trades()) if (tradingDate(t.exchange, t.ts) === today) flow += (t.side === 'buy' ? -1 : 1) * t.quantity * t.price;
    return { currency: this.options.settings.currency, available: Math.max(0, Math.round(cash + flow)), used: 0 };
  }

  async placeOrder(request: OrderRequest): Promise<PlaceOrderResult> {
    this.checkPlacement(request);
    const [instrument] = await this.instruments([{ symbol: request.symbol, exchange: request.exchange }]);
    if (!instrument) throw new BrokerError('input', `${request.exchange}:${request.symbol} is not an instrument of FIX session ${this.options.session}`, this.id, { code: 'unknown_instrument' });
    // A ClOrdID the counterparty never acknowledged (a lost placement, found absent) may be sent again.
    if (this.orders_.byClientId(request.clientOrderId)?.ordStatus !== undefined) throw new BrokerError('input', `client order id ${request.clientOrderId} was already sent on FIX session ${this.options.session}`, this.id, { code: 'duplicate_clordid' });
    await this.limiter.acquire('orders');
    const now = this.options.clock.now();
    const record: FixOrderRecord = {
      root: request.clientOrderId,
      latest: request.clientOrderId,
      symbol: request.symbol,
      exchange: request.exchange,
      side: request.side,
      type: request.type,
      quantity: request.quantity,
      limitPrice: request.limitPrice,
      triggerPrice: request.triggerPrice,
      timeInForce: request.timeInForce,
      cumQty: 0,
      avgPx: 0,
      createdAt: now,
      updatedAt: now,
    };
    const body: FixField[] = [
      [TAG.ClOrdID, request.clientOrderId],
      ...this.accountFields(),
      [TAG.HandlInst, this.options.settings.handl_inst],
      ...(this.options.settings.ex_destination ? ([[TAG.ExDestination, this.options.settings.ex_destination]] as FixField[]) : []),
      ...this.orderTerms(record),
    ];
    // Recorded before it is sent: a restarted process knows what it asked for, and resolves it by ClOrdID.
    this.orders_.placed(record);
    const answer = await this.request(`ord:${request.clientOrderId}`, MSG.NewOrderSingle, body, { placement: true });
    const after = this.orders_.byClientId(request.clientOrderId)!;
    if (answer.get(TAG.OrdStatus) === '8' && answer.get(TAG.ExecType) === EXEC_TYPE.Rejected) {
      throw new BrokerError('rejected', `FIX session ${this.options.session} rejected ${request.clientOrderId}: ${after.text ?? 'no reason given'}`, this.id, { code: answer.get(TAG.OrdRejReason) });
    }
    return { brokerOrderId: after.orderId ?? after.root };
  }

  async modifyOrder(brokerOrderId: string, change: OrderChange): Promise<void> {
    const record = this.knownOrder(brokerOrderId);
    const clOrdId = this.nextClOrdId('R');
    const next: FixOrderRecord = { ...record, quantity: change.quantity ?? record.quantity, limitPrice: change.limitPrice ?? record.limitPrice, triggerPrice: change.triggerPrice ?? record.triggerPrice, type: change.type ?? record.type };
    await this.limiter.acquire('orders');
    this.orders_.alias(clOrdId, record);
    await this.request(`ord:${clOrdId}`, MSG.OrderCancelReplaceRequest, [
      [TAG.OrigClOrdID, record.latest],
      [TAG.ClOrdID, clOrdId],
      ...(record.orderId ? ([[TAG.OrderID, record.orderId]] as FixField[]) : []),
      ...this.accountFields(),
      [TAG.HandlInst, this.options.settings.handl_inst],
      ...this.orderTerms(next),
    ]);
  }

  async cancelOrder(brokerOrderId: string): Promise<void> {
    const record = this.knownOrder(brokerOrderId);
    const clOrdId = this.nextClOrdId('C');
    await this.limiter.acquire('orders');
    this.orders_.alias(clOrdId, record);
    await this.request(`ord:${clOrdId}`, MSG.OrderCancelRequest, [
      [TAG.OrigClOrdID, record.latest],
      [TAG.ClOrdID, clOrdId],
      ...(record.orderId ? ([[TAG.OrderID, record.orderId]] as FixField[]) : []),
      ...this.accountFields(),
      [TAG.Symbol, this.symbols.toFix(record.symbol)],
      [TAG.Side, SIDE[record.side]],
      [TAG.TransactTime, fixTimestamp(this.options.clock.now())],
      [TAG.OrderQty, String(record.quantity)],
    ]);
  }

  /**
   * Today's orders: the counterparty's book by OrderMassStatusRequest (AF) where it answers one,
   * else the orders this session placed, as their ExecutionReports left them (after a TestRequest
   * round trip, so every report sent before is in).
   */
  async orders(): Promise<BrokerOrder[]> {
    if (this.options.settings.order_book === 'mass_status' && !this.massStatusUnsupported) {
      const id = this.nextId('MS');
      try {
        await this.request(`mass:${id}`, MSG.OrderMassStatusRequest, [[TAG.MassStatusReqID, id], [TAG.MassStatusReqType, '7'], ...this.accountFields()]);
      } catch (err) {
        if (!(err instanceof BrokerError && err.details.code === 'unsupported')) throw err;
        this.massStatusUnsupported = true;
      }
    } else {
      await this.live();
    }
    const today = tradingDate(this.options.settings.exchange as Exchange, this.options.clock.now());
    return this.orders_
      .all()
      .filter((r) => tradingDate(r.exchange, r.createdAt) === today || r.updatedAt >= Date.parse(`${today}T00:00:00Z`))
      .map(toBrokerOrder);
  }

  /** The order with our client order id, by OrderStatusRequest (H); absent when the counterparty never booked it. */
  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const record = this.orders_.byClientId(clientOrderId);
    if (!record) return undefined;
    const answer = await this.request(`stat:${record.latest}`, MSG.OrderStatusRequest, [
      [TAG.ClOrdID, record.latest],
      ...(record.orderId ? ([[TAG.OrderID, record.orderId]] as FixField[]) : []),
      [TAG.Symbol, this.symbols.toFix(record.symbol)],
      [TAG.Side, SIDE[record.side]],
    ]).catch((err: unknown) => {
      if (err instanceof BrokerError && err.details.code === 'unknown_order') return undefined;
      throw err;
    });
    if (!answer) return undefined;
    const current = this.orders_.byClientId(clientOrderId)!;
    return current.ordStatus === undefined ? undefined : toBrokerOrder(current);
  }

  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    return this.orders_.trades(brokerOrderId);
  }

  subscribe(listener: BrokerEventListener): () => void {
    return this.relay.subscribe(listener, { start: () => undefined, stop: () => undefined });
  }

  /** Asks the counterparty for anything not yet received (a TestRequest shows a gap, which a ResendRequest fills), then re-reads the books. */
  async resync(reason: string): Promise<void> {
    await this.session.roundTrip(this.options.settings.timeout_ms);
    await this.session.recovered(this.options.settings.timeout_ms);
    await this.relay.resync(reason);
  }

  /** The session answers now (a TestRequest round trip, every report sent before it processed); a session that went down is waited for once. */
  private async live(): Promise<void> {
    const timeoutMs = this.options.settings.timeout_ms;
    try {
      await this.session.roundTrip(timeoutMs);
    } catch {
      await this.session.whenActive(timeoutMs);
      await this.session.roundTrip(timeoutMs);
    }
  }

  private onSessionState(e: { type: 'down' | 'up' | 'recovered'; reason: string }): void {
    if (e.type === 'down') {
      for (const [key, w] of this.waiters) {
        this.waiters.delete(key);
        const placement = key.startsWith('ord:');
        w.done({ error: new BrokerError(placement ? 'unknown_outcome' : 'unavailable', `${e.reason}${placement ? ': the order message may or may not have reached the counterparty' : ''}`, this.id) });
      }
      this.relay.emit({ type: 'disconnected', reason: e.reason });
    } else if (e.type === 'up' && /again/.test(e.reason)) {
      void this.session
        .recovered(this.options.settings.timeout_ms)
        .then(() => this.relay.resync(e.reason))
        .catch((err: unknown) => this.relay.emit({ type: 'error', error: err as Error }));
    }
  }

  private onApplication(m: FixMessage): void {
    const now = this.options.clock.now();
    switch (m.type) {
      case MSG.ExecutionReport: {
        const { record, unknownOrder } = this.orders_.apply(m, now);
        const clOrdId = m.get(TAG.ClOrdID) ?? '';
        const massId = m.get(TAG.MassStatusReqID);
        if (unknownOrder) this.answer(`stat:${clOrdId}`, { error: new BrokerError('not_found', `the counterparty does not know ${clOrdId}`, this.id, { code: 'unknown_order' }) });
        else if (m.get(TAG.ExecType) === EXEC_TYPE.OrderStatus && !massId) this.answer(`stat:${clOrdId}`, { message: m });
        if (massId && (m.get(TAG.LastRptRequested) === 'Y' || m.get(TAG.TotNumReports) === '0')) this.answer(`mass:${massId}`, { message: m });
        if (!massId) this.answer(`ord:${clOrdId}`, { message: m });
        if (record) void this.relay.order(() => toBrokerOrder(record));
        return;
      }
      case MSG.OrderCancelReject: {
        const clOrdId = m.get(TAG.ClOrdID) ?? '';
        const reason = [CXL_REJ_REASONS[m.get(TAG.CxlRejReason) ?? ''], m.get(TAG.Text)].filter(Boolean).join(': ') || 'no reason given';
        const what = m.get(TAG.CxlRejResponseTo) === '2' ? 'replace' : 'cancel';
        this.answer(`ord:${clOrdId}`, { error: new BrokerError('rejected', `the counterparty refused the ${what} of ${m.get(TAG.OrigClOrdID) ?? clOrdId}: ${reason}`, this.id, { code: m.get(TAG.CxlRejReason) }) });
        return;
      }
      case MSG.BusinessMessageReject: {
        const ref = m.get(TAG.BusinessRejectRefID) ?? '';
        const code = m.get(TAG.BusinessRejectReason) ?? '';
        const reason = [BUSINESS_REJECT_REASONS[code], m.get(TAG.Text)].filter(Boolean).join(': ') || 'no reason given';
        const refType = m.get(TAG.RefMsgType) ?? '';
        const key = [...this.waiters.keys()].find((k) => k.endsWith(`:${ref}`));
        const unsupported = code === '3';
        const error = new BrokerError(unsupported ? 'unavailable' : 'rejected', `the counterparty refused a ${refType} message (${ref}): ${reason}`, this.id, { code: unsupported ? 'unsupported' : code === '1' && refType === MSG.OrderStatusRequest ? 'unknown_order' : `business_reject_${code}` });
        if (key) this.answer(key, { error });
        else this.relay.emit({ type: 'error', error });
        return;
      }
      case MSG.PositionReport: {
        const list = this.collected.get(`pos:${m.get(TAG.PosReqID) ?? ''}`);
        list?.push(m);
        if (list && m.get(TAG.LastRptRequested) === 'Y') this.answer(`pos:${m.get(TAG.PosReqID)}`, { message: m });
        return;
      }
      case MSG.RequestForPositionsAck: {
        const key = `pos:${m.get(TAG.PosReqID) ?? ''}`;
        const total = m.num(TAG.TotalNumPosReports) ?? 0;
        if (m.get(TAG.PosReqResult) !== '0' && m.get(TAG.PosReqResult) !== '2') this.answer(key, { error: new BrokerError('unavailable', `the counterparty refused RequestForPositions: ${m.get(TAG.Text) ?? `PosReqResult ${m.get(TAG.PosReqResult)}`}`, this.id) });
        else if (total === 0 || (this.collected.get(key)?.length ?? 0) >= total) this.answer(key, { message: m });
        return;
      }
      case MSG.MarketDataSnapshot:
        this.answer(`md:${m.get(TAG.MDReqID) ?? ''}`, { message: m });
        return;
      case MSG.MarketDataRequestReject:
        this.answer(`md:${m.get(TAG.MDReqID) ?? ''}`, { error: new BrokerError('unavailable', `the counterparty refused a MarketDataRequest: ${m.get(TAG.Text) ?? 'no reason given'}`, this.id) });
        return;
      case MSG.SecurityList:
        this.answer(`sec:${m.get(TAG.SecurityReqID) ?? ''}`, { message: m });
        return;
      default:
        this.relay.emit({ type: 'error', error: new BrokerError('protocol', `FIX session ${this.options.session}: unexpected message type ${m.type}`, this.id) });
    }
  }

  private onSessionReject(refSeqNum: number, refMsgType: string | undefined, reason: string): void {
    const key = this.waiterBySeq.get(refSeqNum);
    const error = new BrokerError('rejected', `the counterparty rejected our ${refMsgType ?? ''} message ${refSeqNum} at the session level: ${reason}`, this.id, { code: 'session_reject' });
    if (key) this.answer(key, { error });
    else this.relay.emit({ type: 'error', error });
  }

  /**
   * Sends a message and waits for its answer. Nothing is re-sent: an order message unanswered in
   * time (or cut by a disconnect) is an unknown outcome; a query is `unavailable`.
   */
  private async request(key: string, msgType: string, body: FixField[], opts: { placement?: boolean } = {}): Promise<FixMessage> {
    const timeoutMs = this.options.settings.timeout_ms;
    // A session reconnecting is waited for (briefly); nothing is sent until it is logged on.
    await this.session.whenActive(timeoutMs);
    const orderMessage = key.startsWith('ord:');
    return new Promise<FixMessage>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      let seq = 0;
      const waiter: Waiter = {
        done: (answer) => {
          if (timer) this.options.clock.clearTimeout(timer);
          this.waiterBySeq.delete(seq);
          if ('error' in answer) reject(answer.error);
          else resolve(answer.message);
        },
      };
      this.waiters.set(key, waiter);
      try {
        seq = this.session.send(msgType, body);
      } catch (err) {
        this.waiters.delete(key);
        return reject(err);
      }
      this.waiterBySeq.set(seq, key);
      timer = this.options.clock.setTimeout(() => {
        if (this.waiters.get(key) !== waiter) return;
        this.waiters.delete(key);
        waiter.done({
          error: orderMessage
            ? new BrokerError('unknown_outcome', `FIX session ${this.options.session}: no answer to ${opts.placement ? 'NewOrderSingle' : `message ${msgType}`} ${key.slice(4)} within ${timeoutMs} ms`, this.id, { code: 'timeout' })
            : new BrokerError('unavailable', `FIX session ${this.options.session}: no answer to message ${msgType} within ${timeoutMs} ms`, this.id, { code: 'timeout' }),
        });
      }, timeoutMs);
    });
  }

  private answer(key: string, answer: Answer): void {
    const w = this.waiters.get(key);
    if (!w) return;
    this.waiters.delete(key);
    w.done(answer);
  }

  private checkPlacement(request: OrderRequest): void {
    const rules = this.capabilities.clientOrderId;
    if (request.clientOrderId.length > rules.maxLength || !rules.pattern.test(request.clientOrderId)) {
      throw new BrokerError('input', `client order id "${request.clientOrderId}" does not fit ClOrdID(11) on this session (at most ${rules.maxLength} letters and digits)`, this.id, { code: 'client_order_id' });
    }
    if (!this.capabilities.orderTypes.includes(request.type)) throw new BrokerError('input', `order type ${request.type} is not supported on FIX`, this.id, { code: 'order_type' });
    if ((request.orderClass ?? 'simple') !== 'simple') throw new BrokerError('input', `${request.orderClass} orders are not sent over FIX 4.4 (no standard linked-order message); ptexec runs them itself`, this.id, { code: 'order_class' });
    if (request.exchange !== this.options.settings.exchange) throw new BrokerError('input', `FIX session ${this.options.session} trades ${this.options.settings.exchange}, not ${request.exchange}`, this.id, { code: 'exchange' });
  }

  private orderTerms(o: FixOrderRecord): FixField[] {
    const fields: FixField[] = [
      [TAG.Symbol, this.symbols.toFix(o.symbol)],
      [TAG.Side, SIDE[o.side]],
      [TAG.TransactTime, fixTimestamp(this.options.clock.now())],
      [TAG.OrderQty, String(o.quantity)],
      [TAG.OrdType, ORD_TYPE[o.type]],
    ];
    if ((o.type === 'limit' || o.type === 'stop_limit') && o.limitPrice !== undefined) fields.push([TAG.Price, formatMinor(o.limitPrice)]);
    if ((o.type === 'stop' || o.type === 'stop_limit') && o.triggerPrice !== undefined) fields.push([TAG.StopPx, formatMinor(o.triggerPrice)]);
    fields.push([TAG.TimeInForce, TIME_IN_FORCE[o.timeInForce]]);
    fields.push([TAG.Currency, this.options.settings.currency]);
    return fields;
  }

  private accountFields(): FixField[] {
    return this.options.settings.account ? [[TAG.Account, this.options.settings.account]] : [];
  }

  private knownOrder(brokerOrderId: string): FixOrderRecord {
    const record = this.orders_.byOrderId(brokerOrderId) ?? this.orders_.byClientId(brokerOrderId);
    if (!record) throw new BrokerError('not_found', `order ${brokerOrderId} was not placed on FIX session ${this.options.session}`, this.id);
    return record;
  }

  private nextId(prefix: string): string {
    return `${prefix}${this.options.clock.now().toString(36)}${(++this.requestSeq).toString(36)}`;
  }

  /** A ClOrdID for a cancel or replace: short, unique within the session, never one of ours (ours have no lower-case prefix). */
  private nextClOrdId(kind: 'C' | 'R'): string {
    return `${kind.toLowerCase()}${this.options.clock.now().toString(36)}${(++this.requestSeq).toString(36)}`.slice(0, this.options.settings.clordid_max_length);
  }

  private async instrumentCatalog(): Promise<Map<string, Instrument>> {
    this.catalog ??= this.loadInstruments().catch((err: unknown) => {
      this.catalog = undefined;
      throw err;
    });
    return this.catalog;
  }

  private async loadInstruments(): Promise<Map<string, Instrument>> {
    const { settings } = this.options;
    const exchange = settings.exchange as Exchange;
    const out = new Map<string, Instrument>();
    if (settings.instruments) {
      for (const [symbol, i] of Object.entries(settings.instruments)) out.set(symbol, { symbol, exchange, name: i.name ?? symbol, currency: settings.currency, tickSize: toMinor(i.tick), lotSize: i.lot, brokerToken: this.symbols.toFix(symbol) });
      return out;
    }
    const id = this.nextId('SEC');
    const list = await this.request(`sec:${id}`, MSG.SecurityListRequest, [[TAG.SecurityReqID, id], [TAG.SecurityListRequestType, '4']]);
    if (list.get(TAG.SecurityRequestResult) !== undefined && list.get(TAG.SecurityRequestResult) !== '0') {
      throw new BrokerError('unavailable', `the counterparty refused SecurityListRequest (result ${list.get(TAG.SecurityRequestResult)}): list the session's instruments in config.json (brokers.fix.sessions.${this.options.session}.instruments)`, this.id);
    }
    for (const entry of list.groups(TAG.NoRelatedSym, TAG.Symbol)) {
      const symbol = this.symbols.fromFix(entry.get(TAG.Symbol) ?? '');
      if (!symbol) continue;
      out.set(symbol, {
        symbol,
        exchange,
        name: entry.get(TAG.SecurityDesc) ?? symbol,
        currency: settings.currency,
        tickSize: Math.round(minorFromFix(entry.get(TAG.MinPriceIncrement)) ?? 1),
        lotSize: entry.num(TAG.RoundLot) ?? 1,
        isin: entry.get(TAG.SecurityIDSource) === '4' ? entry.get(TAG.SecurityID) : undefined,
        brokerToken: entry.get(TAG.Symbol),
      });
    }
    return out;
  }

  private accountFile(): { cash: number; holdings: Holding[] } {
    const path = this.options.settings.account_file;
    if (!path) throw new BrokerError('unavailable', `FIX 4.4 has no standard cash query: set brokers.fix.sessions.${this.options.session}.account_file to a file with the start-of-day cash`, this.id, { hint: 'see "FIX 4.4" in the README for the account file' });
    let raw: { cash?: unknown; holdings?: { symbol: string; quantity: number; t1_quantity?: number; average_price?: number }[] };
    try {
      raw = JSON.parse(readFileSync(path, 'utf8')) as typeof raw;
    } catch (err) {
      throw new BrokerError('input', `${path}: the FIX account file cannot be read (${(err as Error).message})`, this.id);
    }
    if (typeof raw.cash !== 'number' || !Number.isFinite(raw.cash)) throw new BrokerError('input', `${path}: "cash" (start-of-day cash, in ${this.options.settings.currency}) is missing or not a number`, this.id);
    const exchange = this.options.settings.exchange as Exchange;
    return {
      cash: toMinor(raw.cash),
      holdings: (raw.holdings ?? []).map((h) => ({ symbol: h.symbol, exchange, quantity: h.quantity - (h.t1_quantity ?? 0), t1Quantity: h.t1_quantity ?? 0, averagePrice: toMinor(h.average_price ?? 0) })),
    };
  }
}
