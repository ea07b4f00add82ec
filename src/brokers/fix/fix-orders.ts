import type { Exchange } from '../../domain/instrument.js';
import type { OrderType, TimeInForce } from '../../domain/order.js';
import { isTerminal } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import { type FixMessage, parseFixTimestamp } from './codec.js';
import type { FixStore } from './fix-store.js';
import { EXEC_TYPE, FIX_STATUSES, ORD_REJ_UNKNOWN_ORDER, ORD_STATUS_NAMES, ORD_TYPE_BY_CODE, TAG } from './wire-facts.js';

/** What the session knows of one order: its terms, its ClOrdID chain (cancel/replace give new ones), and its last reported state. */
export interface FixOrderRecord {
  /** Our client order id: the first ClOrdID. */
  root: string;
  /** The ClOrdID the counterparty knows the order by now (the last accepted replace). */
  latest: string;
  orderId?: string;
  symbol: string;
  exchange: Exchange;
  side: Side;
  type: OrderType;
  quantity: number;
  limitPrice?: number;
  triggerPrice?: number;
  timeInForce: TimeInForce;
  /** OrdStatus(39) code; absent until the first ExecutionReport. */
  ordStatus?: string;
  cumQty: number;
  /** Minor units, may be fractional. */
  avgPx: number;
  text?: string;
  createdAt: number;
  updatedAt: number;
}

/**
 * A counterparty's cancel (ExecType H, a bust) or correction (G) of a trade it reported before.
 * Recorded fills are immutable events, so ptexec does not rewrite them: the adapter reports the
 * correction, and `ptexec reconcile` shows the difference it leaves in the account.
 */
export interface TradeCorrection {
  kind: 'cancel' | 'correct';
  /** The ExecID of the trade it changes. */
  execRefId: string;
  clientOrderId: string;
  /** The corrected terms (G); absent for a cancel. */
  quantity?: number;
  price?: number;
}

function correctionOf(m: FixMessage, record: FixOrderRecord, execType: string): TradeCorrection {
  const kind = execType === EXEC_TYPE.TradeCancel ? 'cancel' : 'correct';
  const quantity = m.num(TAG.LastQty);
  const price = minorFromFix(m.get(TAG.LastPx));
  return { kind, execRefId: m.get(TAG.ExecRefID) ?? '', clientOrderId: record.root, ...(kind === 'correct' && quantity !== undefined ? { quantity } : {}), ...(kind === 'correct' && price !== undefined ? { price: Math.round(price) } : {}) };
}

/** What a user reads of a trade correction: which trade, what changed, and what to do. */
export function correctionMessage(c: TradeCorrection, record: FixOrderRecord): string {
  const trade = `trade ${c.execRefId || '(no ExecRefID)'} of order ${c.clientOrderId} (${record.side} ${record.symbol})`;
  const change = c.kind === 'cancel' ? 'cancelled (busted)' : `corrected to ${c.quantity ?? '?'} at ${c.price === undefined ? '?' : (c.price / 100).toFixed(2)}`;
  return `the counterparty ${change} ${trade}; ptexec keeps the fill as it was reported: run ptexec reconcile and adjust the account with the counterparty`;
}

/** Minor units from a FIX price (major units, decimal). */
export function minorFromFix(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n * 100 : undefined;
}

/**
 * The orders and executions of one session, from ExecutionReports: each ExecID counted once
 * (duplicates and PossDup resends change nothing), states that are older than what is known
 * (fewer shares done, or live again after an end: reports out of order) ignored, except
 * OrderStatus answers (ExecType I), which state the counterparty's book as it is.
 */
export class FixOrders {
  private readonly byClOrdId = new Map<string, FixOrderRecord>();

  constructor(
    private readonly store: FixStore,
    private readonly symbolOf: (wire: string) => string | undefined,
    private readonly exchange: Exchange,
  ) {
    for (const r of store.orders<FixOrderRecord & { alias?: string }>()) {
      if (r.alias === undefined) this.byClOrdId.set(r.root, r);
    }
    for (const r of store.orders<FixOrderRecord & { alias?: string }>()) {
      if (r.alias !== undefined) {
        const target = this.byClOrdId.get(r.alias);
        if (target) this.byClOrdId.set(r.root, target);
      }
    }
  }

  /** Records an order before its NewOrderSingle is sent (a restarted process still knows what it asked for). */
  placed(record: FixOrderRecord): void {
    this.byClOrdId.set(record.root, record);
    this.store.putOrder(record.root, record.root, record);
  }

  /** A cancel or replace ClOrdID that names the same order. */
  alias(clOrdId: string, record: FixOrderRecord): void {
    this.byClOrdId.set(clOrdId, record);
    this.store.putOrder(clOrdId, record.root, { root: clOrdId, alias: record.root });
  }

  byClientId(clOrdId: string): FixOrderRecord | undefined {
    return this.byClOrdId.get(clOrdId);
  }

  byOrderId(orderId: string): FixOrderRecord | undefined {
    for (const r of this.byClOrdId.values()) if (r.orderId === orderId) return r;
    return undefined;
  }

  all(): FixOrderRecord[] {
    return [...new Set(this.byClOrdId.values())];
  }

  /**
   * Applies an ExecutionReport; returns the order and the fill it brought (undefined when the
   * ExecID was counted before). An unknown-order answer to an OrderStatusRequest changes nothing.
   */
  apply(m: FixMessage, now: number): { record?: FixOrderRecord; trade?: BrokerTrade; unknownOrder: boolean; correction?: TradeCorrection } {
    const clOrdId = m.get(TAG.ClOrdID) ?? '';
    const execType = m.get(TAG.ExecType);
    const ordStatus = m.get(TAG.OrdStatus) ?? '';
    if (execType === EXEC_TYPE.OrderStatus && ordStatus === '8' && m.get(TAG.OrdRejReason) === ORD_REJ_UNKNOWN_ORDER) return { unknownOrder: true };
    let record = this.byClOrdId.get(clOrdId) ?? this.byClOrdId.get(m.get(TAG.OrigClOrdID) ?? '');
    if (!record) {
      record = this.foreign(m, now);
      if (!record) return { unknownOrder: false };
    }
    const ts = parseFixTimestamp(m.get(TAG.TransactTime)) ?? now;
    const orderId = m.get(TAG.OrderID);
    if (orderId && orderId !== 'NONE') record.orderId = orderId;
    if (execType === EXEC_TYPE.TradeCancel || execType === EXEC_TYPE.TradeCorrect) return { record, unknownOrder: false, correction: correctionOf(m, record, execType) };
    let trade: BrokerTrade | undefined;
    if (execType === EXEC_TYPE.Trade) {
      const execId = m.get(TAG.ExecID) ?? '';
      const quantity = m.num(TAG.LastQty) ?? 0;
      const price = Math.round(minorFromFix(m.get(TAG.LastPx)) ?? 0);
      const candidate: BrokerTrade = { tradeId: execId, brokerOrderId: record.orderId ?? record.root, clientOrderId: record.root, symbol: record.symbol, exchange: record.exchange, side: record.side, quantity, price, ts };
      if (execId && quantity > 0 && this.store.recordExecution(execId, candidate.brokerOrderId, record.root, candidate)) trade = candidate;
    }
    const cumQty = m.num(TAG.CumQty) ?? record.cumQty;
    const authoritative = execType === EXEC_TYPE.OrderStatus;
    const older = cumQty < record.cumQty || (record.ordStatus !== undefined && isTerminal(statusOf(record)) && !isTerminal(FIX_STATUSES[ORD_STATUS_NAMES[ordStatus] ?? ''] ?? 'accepted') && cumQty <= record.cumQty);
    if (authoritative || !older) {
      record.ordStatus = ordStatus || record.ordStatus;
      record.cumQty = cumQty;
      record.avgPx = minorFromFix(m.get(TAG.AvgPx)) ?? record.avgPx;
      const text = m.get(TAG.Text);
      if (text) record.text = text;
      // A cancelled order is known by the cancel's ClOrdID from then on.
      if (execType === EXEC_TYPE.Canceled && clOrdId && this.byClOrdId.get(clOrdId) === record) record.latest = clOrdId;
      if (execType === EXEC_TYPE.Replaced || (authoritative && clOrdId && clOrdId !== record.latest && this.byClOrdId.get(clOrdId) === record)) {
        record.latest = clOrdId || record.latest;
        record.quantity = m.num(TAG.OrderQty) ?? record.quantity;
        record.limitPrice = minorFromFix(m.get(TAG.Price)) ?? record.limitPrice;
        record.triggerPrice = minorFromFix(m.get(TAG.StopPx)) ?? record.triggerPrice;
        record.type = ORD_TYPE_BY_CODE[m.get(TAG.OrdType) ?? ''] ?? record.type;
      }
      record.updatedAt = now;
    }
    this.store.putOrder(record.root, record.root, record);
    return { record, trade, unknownOrder: false };
  }

  /** An order this session did not place (a mass status report of another session's order), from the report alone. */
  private foreign(m: FixMessage, now: number): FixOrderRecord | undefined {
    const clOrdId = m.get(TAG.ClOrdID);
    const symbol = this.symbolOf(m.get(TAG.Symbol) ?? '');
    if (!clOrdId || !symbol) return undefined;
    const record: FixOrderRecord = {
      root: clOrdId,
      latest: clOrdId,
      symbol,
      exchange: this.exchange,
      side: m.get(TAG.Side) === '2' ? 'sell' : 'buy',
      type: ORD_TYPE_BY_CODE[m.get(TAG.OrdType) ?? ''] ?? 'limit',
      quantity: m.num(TAG.OrderQty) ?? 0,
      limitPrice: minorFromFix(m.get(TAG.Price)),
      triggerPrice: minorFromFix(m.get(TAG.StopPx)),
      timeInForce: m.get(TAG.TimeInForce) === '3' ? 'ioc' : 'day',
      cumQty: 0,
      avgPx: 0,
      createdAt: now,
      updatedAt: now,
    };
    this.placed(record);
    return record;
  }

  trades(brokerOrderId?: string): BrokerTrade[] {
    const all = this.store.executions<BrokerTrade>();
    return brokerOrderId === undefined ? all : all.filter((t) => t.brokerOrderId === brokerOrderId || this.byClOrdId.get(t.clientOrderId ?? '')?.orderId === brokerOrderId);
  }
}

/** Our status for a record: OrdStatus mapped, a live order with shares done partially filled, an ended day order with everything done filled. */
export function statusOf(record: FixOrderRecord): BrokerOrder['status'] {
  if (record.ordStatus === undefined) return 'pending_submit';
  const name = ORD_STATUS_NAMES[record.ordStatus] ?? record.ordStatus;
  const mapped = FIX_STATUSES[name] ?? 'unknown';
  if (mapped === 'accepted' && record.cumQty > 0) return record.cumQty >= record.quantity ? 'filled' : 'partially_filled';
  if (mapped === 'expired' && record.cumQty >= record.quantity && record.quantity > 0) return 'filled';
  return mapped;
}

export function toBrokerOrder(record: FixOrderRecord): BrokerOrder {
  const name = record.ordStatus === undefined ? 'Sent' : (ORD_STATUS_NAMES[record.ordStatus] ?? record.ordStatus);
  return {
    brokerOrderId: record.orderId ?? record.root,
    clientOrderId: record.root,
    symbol: record.symbol,
    exchange: record.exchange,
    side: record.side,
    type: record.type,
    quantity: record.quantity,
    filledQuantity: record.cumQty,
    averagePrice: record.avgPx,
    limitPrice: record.limitPrice,
    status: statusOf(record),
    brokerStatus: name,
    statusMessage: record.text,
    updatedAt: record.updatedAt,
  };
}
