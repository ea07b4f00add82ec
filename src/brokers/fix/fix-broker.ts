import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import { formatMinor } from '../../domain/money.js';
import type { OrderRequest } from '../../domain/order.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { Broker, BrokerCapabilities, BrokerEventListener, BrokerOrder, BrokerTrade, InstrumentQuery, OrderChange, PlaceOrderResult } from '../broker.js';
import { OrderUpdateRelay } from '../http/order-update-relay.js';
import { RateLimiter } from '../http/rate-limiter.js';
import { fixCapabilities } from './capabilities.js';
import { type FixField, type FixMessage, fixTimestamp } from './codec.js';
import { type FixSessionSettings, symbolCodec } from './config.js';
import { correctionMessage, type FixOrderRecord, FixOrders, toBrokerOrder } from './fix-orders.js';
import { FixAccount } from './fix-account.js';
import { FixRequests } from './fix-requests.js';
import { FixSession } from './fix-session.js';
import type { FixStore } from './fix-store.js';
import { BUSINESS_REJECT_REASONS, CXL_REJ_REASONS, EXEC_TYPE, MSG, ORD_TYPE, SIDE, TAG, TIME_IN_FORCE } from './wire-facts.js';
import { plainOrderType } from '../plain-order-type.js';

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
  private readonly requests: FixRequests;
  private readonly account_: FixAccount;
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
    this.requests = new FixRequests(this.session, clock, settings.timeout_ms, this.id);
    this.account_ = new FixAccount({ session: options.session, broker: this.id, settings, clock, requests: this.requests, symbols: this.symbols, trades: () => this.orders_.trades(), nextId: (p) => this.nextId(p) });
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
    this.requests.failAll(`FIX session ${this.options.session} closed`);
  }

  async instruments(query: InstrumentQuery[]): Promise<Instrument[]> {
    const catalog = await this.account_.instruments();
    return query.flatMap((q) => {
      const found = catalog.get(q.symbol);
      return found && (q.exchange === undefined || q.exchange === found.exchange) ? [found] : [];
    });
  }

  quotes(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): Promise<Quote[]> {
    return this.account_.quotes(instruments);
  }

  /** Start-of-day holdings (RequestForPositions, or the account file); today's trades are positions (`positions()`). */
  holdings(): Promise<Holding[]> {
    return this.account_.holdings();
  }

  async positions(): Promise<Position[]> {
    await this.live();
    return this.account_.positions();
  }

  /** Start-of-day cash (the account file) with today's executions on this session; the session must answer, so the figure is current. */
  async funds(): Promise<Funds> {
    await this.live();
    return this.account_.funds();
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
    const answer = await this.requests.request(`ord:${request.clientOrderId}`, MSG.NewOrderSingle, body, `NewOrderSingle ${request.clientOrderId}`);
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
    await this.requests.request(`ord:${clOrdId}`, MSG.OrderCancelReplaceRequest, [
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
    await this.requests.request(`ord:${clOrdId}`, MSG.OrderCancelRequest, [
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
        await this.requests.request(`mass:${id}`, MSG.OrderMassStatusRequest, [[TAG.MassStatusReqID, id], [TAG.MassStatusReqType, '7'], ...this.accountFields()]);
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
      .filter((r) => tradingDate(r.exchange, r.createdAt) === today || tradingDate(r.exchange, r.updatedAt) === today)
      .map(toBrokerOrder);
  }

  /** The order with our client order id, by OrderStatusRequest (H); absent when the counterparty never booked it. */
  async findOrderByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const record = this.orders_.byClientId(clientOrderId);
    if (!record) return undefined;
    const answer = await this.requests.request(`stat:${record.latest}`, MSG.OrderStatusRequest, [
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
      this.requests.failAll(e.reason);
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
        const { record, unknownOrder, correction } = this.orders_.apply(m, now);
        if (correction && record) this.relay.emit({ type: 'error', error: new BrokerError('rejected', correctionMessage(correction, record), this.id, { code: `trade_${correction.kind}` }) });
        const clOrdId = m.get(TAG.ClOrdID) ?? '';
        const massId = m.get(TAG.MassStatusReqID);
        if (unknownOrder) this.requests.answer(`stat:${clOrdId}`, { error: new BrokerError('not_found', `the counterparty does not know ${clOrdId}`, this.id, { code: 'unknown_order' }) });
        else if (m.get(TAG.ExecType) === EXEC_TYPE.OrderStatus && !massId) this.requests.answer(`stat:${clOrdId}`, { message: m });
        if (massId && (m.get(TAG.LastRptRequested) === 'Y' || m.get(TAG.TotNumReports) === '0')) this.requests.answer(`mass:${massId}`, { message: m });
        if (!massId) this.requests.answer(`ord:${clOrdId}`, { message: m });
        if (record) void this.relay.order(() => toBrokerOrder(record));
        return;
      }
      case MSG.OrderCancelReject: {
        const clOrdId = m.get(TAG.ClOrdID) ?? '';
        const reason = [CXL_REJ_REASONS[m.get(TAG.CxlRejReason) ?? ''], m.get(TAG.Text)].filter(Boolean).join(': ') || 'no reason given';
        const what = m.get(TAG.CxlRejResponseTo) === '2' ? 'replace' : 'cancel';
        this.requests.answer(`ord:${clOrdId}`, { error: new BrokerError('rejected', `the counterparty refused the ${what} of ${m.get(TAG.OrigClOrdID) ?? clOrdId}: ${reason}`, this.id, { code: m.get(TAG.CxlRejReason) }) });
        return;
      }
      case MSG.BusinessMessageReject: {
        const ref = m.get(TAG.BusinessRejectRefID) ?? '';
        const code = m.get(TAG.BusinessRejectReason) ?? '';
        const reason = [BUSINESS_REJECT_REASONS[code], m.get(TAG.Text)].filter(Boolean).join(': ') || 'no reason given';
        const refType = m.get(TAG.RefMsgType) ?? '';
        const key = this.requests.keyOf(ref);
        const unsupported = code === '3';
        const error = new BrokerError(unsupported ? 'unavailable' : 'rejected', `the counterparty refused a ${refType} message (${ref}): ${reason}`, this.id, { code: unsupported ? 'unsupported' : code === '1' && refType === MSG.OrderStatusRequest ? 'unknown_order' : `business_reject_${code}` });
        if (key) this.requests.answer(key, { error });
        else this.relay.emit({ type: 'error', error });
        return;
      }
      case MSG.PositionReport:
      case MSG.RequestForPositionsAck:
        this.account_.onPositionMessage(m);
        return;
      case MSG.MarketDataSnapshot:
        this.requests.answer(`md:${m.get(TAG.MDReqID) ?? ''}`, { message: m });
        return;
      case MSG.MarketDataRequestReject:
        this.requests.answer(`md:${m.get(TAG.MDReqID) ?? ''}`, { error: new BrokerError('unavailable', `the counterparty refused a MarketDataRequest: ${m.get(TAG.Text) ?? 'no reason given'}`, this.id) });
        return;
      case MSG.SecurityList:
        this.requests.answer(`sec:${m.get(TAG.SecurityReqID) ?? ''}`, { message: m });
        return;
      default:
        this.relay.emit({ type: 'error', error: new BrokerError('protocol', `FIX session ${this.options.session}: unexpected message type ${m.type}`, this.id) });
    }
  }

  private onSessionReject(refSeqNum: number, refMsgType: string | undefined, reason: string): void {
    const key = this.requests.keyOfSeq(refSeqNum);
    const error = new BrokerError('rejected', `the counterparty rejected our ${refMsgType ?? ''} message ${refSeqNum} at the session level: ${reason}`, this.id, { code: 'session_reject' });
    if (!key || !this.requests.answer(key, { error })) this.relay.emit({ type: 'error', error });
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
      [TAG.OrdType, ORD_TYPE[plainOrderType(o.type, 'fix')]],
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
}
