import { recordedTypeOf, type EventType, type NotificationAttempt, type PayloadMap, type StoredEvent } from '../../domain/events/index.js';
import { averagePrice, isoTime, money, price, snakeKeys } from './json-contract.js';
import { planLegJson, skippedJson } from './plan-view.js';
import { runSummaryJson } from './rows.js';

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/**
 * One presenter per event type: the payload as `watch --json` and `orders show --json` print it
 * (README "Output contract": snake_case, amounts with `*_minor` twins, prices as decimal strings,
 * times ISO 8601). The store keeps the payloads as recorded; this is presentation only.
 */
const PRESENTERS: { readonly [T in EventType]: (p: PayloadMap[T]) => Record<string, unknown> } = {
  'run.created': (p) => ({
    run_id: p.runId,
    broker: p.broker,
    account: p.account,
    trading_date: p.tradingDate,
    target_hash: p.targetHash,
    source: p.source,
    dry_run: p.dryRun,
    options: snakeKeys(p.options ?? {}),
    // A run of a group rebalance says so; other runs print as they always have.
    ...(p.group === undefined ? {} : { group: p.group, failover_of: orNull(p.failoverOf) }),
    ...(p.routes === undefined ? {} : { routes: p.routes.map((r) => ({ symbol: r.symbol, exchange: r.exchange, side: r.side, quantity: r.quantity, why: r.why })) }),
  }),
  'run.failover': (p) => ({
    group: p.group,
    to: p.to,
    to_account: p.toAccount,
    reason: p.reason,
    moved: p.moved.map((m) => ({ leg: m.leg, symbol: m.symbol, exchange: m.exchange, side: m.side, quantity: m.quantity })),
    kept: p.kept.map((k) => ({ leg: k.leg, symbol: k.symbol, quantity: k.quantity, reason: k.reason })),
  }),
  'run.planned': (p) => ({
    legs: p.legs.map((l) => planLegJson(l, p.currency)),
    skipped: p.skipped.map(skippedJson),
    blocked: (p.blocked ?? []).map((b) => ({ leg: b.leg, symbol: b.symbol, exchange: b.exchange, side: b.side, quantity: b.quantity, reasons: b.reasons.map((r) => ({ rule: r.rule, message: r.message })) })),
    notes: p.notes,
    ...money('account_value', p.accountValue, p.currency),
    ...money('cash_before', p.cashBefore, p.currency),
    currency: p.currency,
  }),
  'run.status': (p) => ({ status: p.status, reason: orNull(p.reason), summary: p.summary ? runSummaryJson(p.summary) : null }),
  'run.control': (p) => ({ action: p.action, leg: orNull(p.leg), by: p.by }),
  'run.alert': (p) => ({ level: p.level, source: p.source, message: p.message, leg: orNull(p.leg) }),
  'order.created': (p) => ({
    client_order_id: p.clientOrderId,
    parent_id: orNull(p.parentId),
    leg: p.leg,
    broker: p.broker,
    account: p.account,
    symbol: p.symbol,
    exchange: p.exchange,
    side: p.side,
    type: p.type,
    quantity: p.quantity,
    limit_price: price(p.limitPrice),
    trigger_price: price(p.triggerPrice),
    time_in_force: p.timeInForce,
    product: p.product,
    algo: orNull(p.algo),
    arrival_price: averagePrice(p.arrivalPrice),
    decision_price: price(p.decisionPrice),
    order_class: orNull(p.orderClass),
    take_profit: p.takeProfit ? { limit_price: price(p.takeProfit.limitPrice) } : null,
    stop_loss: p.stopLoss ? { trigger_price: price(p.stopLoss.triggerPrice), limit_price: price(p.stopLoss.limitPrice) } : null,
    ...(p.trail ? { trail: { percent: p.trail.percent ?? null, price: price(p.trail.price) } } : {}),
    exit_of: orNull(p.exitOf),
    exit_role: orNull(p.exitRole),
  }),
  'order.status': (p) => ({ client_order_id: p.clientOrderId, from: p.from, to: p.to, broker_order_id: orNull(p.brokerOrderId), broker_status: orNull(p.brokerStatus), reason: orNull(p.reason) }),
  'order.resized': (p) => ({ client_order_id: p.clientOrderId, from: p.from, to: p.to, reason: p.reason }),
  'fill.recorded': (p) => ({
    client_order_id: p.clientOrderId,
    trade_id: p.tradeId,
    broker_order_id: p.brokerOrderId,
    broker: p.broker,
    account: p.account,
    symbol: p.symbol,
    exchange: p.exchange,
    side: p.side,
    quantity: p.quantity,
    price: price(p.price),
    ...money('value', p.quantity * p.price),
    time: isoTime(p.ts),
  }),
  'leg.paused': (p) => ({ leg: p.leg, client_order_id: p.clientOrderId }),
  'leg.resumed': (p) => ({ leg: p.leg, client_order_id: p.clientOrderId, paused_ms: p.pausedMs, total_paused_ms: p.totalPausedMs, deadline: isoTime(p.deadline) }),
  'run.breaker_tripped': (p) => ({ breaker: p.breaker, value: p.value, limit: p.limit, unit: p.unit, message: p.message, leg: orNull(p.leg) }),
  'risk.checked': (p) => ({
    scope: p.scope,
    actor: p.actor,
    leg: orNull(p.leg),
    client_order_id: orNull(p.clientOrderId),
    parent_id: orNull(p.parentId),
    symbol: orNull(p.symbol),
    exchange: orNull(p.exchange),
    side: orNull(p.side),
    quantity: orNull(p.quantity),
    verdict: p.verdict,
    reasons: p.reasons.map((r) => ({ rule: r.rule, level: r.level, message: r.message })),
  }),
  'risk.halted': (p) => ({ reason: p.reason, cancel_open: p.cancelOpen, actor: p.actor }),
  'risk.unhalted': (p) => ({ actor: p.actor }),
  'charges.booked': (p) => ({
    broker: p.broker,
    account: p.account,
    exchange: p.exchange,
    symbol: p.symbol,
    trading_date: p.tradingDate,
    schedule_id: p.scheduleId,
    currency: p.currency,
    components: p.components.map((c) => ({ id: c.id, label: c.label, ...money('amount', c.amount, p.currency), uncertain: c.uncertain })),
    ...money('total', p.total, p.currency),
    trades: p.trades.map((t) => ({
      trade_id: t.tradeId,
      ...money('total', t.total, p.currency),
      components: Object.entries(t.components).map(([id, amount]) => ({ id, ...money('amount', amount, p.currency) })),
    })),
    ...(p.incremental ? { incremental: true } : {}),
  }),
  'market.sampled': (p) => ({ symbol: p.symbol, exchange: p.exchange, time: isoTime(p.ts), bid: price(p.bid), ask: price(p.ask), last: price(p.last), volume: p.volume }),
  'settlement.scheduled': (p) => ({
    broker: p.broker,
    trade_id: p.tradeId,
    account: p.account,
    exchange: p.exchange,
    symbol: p.symbol,
    side: p.side,
    quantity: p.quantity,
    ...money('value', p.value),
    trade_date: p.tradeDate,
    settle_date: p.settleDate,
  }),
  'settlement.resolved': (p) => ({ broker: p.broker, trade_id: p.tradeId, status: p.status, difference: orNull(p.difference), reason: orNull(p.reason) }),
  'notification.sent': notificationJson,
  'notification.failed': notificationJson,
  'account.snapshot': (p) => ({
    broker: p.broker,
    account: p.account,
    reason: p.reason,
    holdings: p.holdings.map((h) => ({ symbol: h.symbol, exchange: h.exchange, quantity: h.quantity, t1_quantity: h.t1Quantity, average_price: averagePrice(h.averagePrice, p.funds.currency), last_price: price(h.lastPrice, p.funds.currency) })),
    positions: p.positions.map((x) => ({ symbol: x.symbol, exchange: x.exchange, quantity: x.quantity, average_price: averagePrice(x.averagePrice, p.funds.currency), product: x.product })),
    funds: { currency: p.funds.currency, ...money('available', p.funds.available, p.funds.currency), ...money('used', p.funds.used, p.funds.currency) },
  }),
};

/** The event types with a presenter of their own: every type ptexec records. */
export const PRESENTED_EVENT_TYPES = Object.keys(PRESENTERS) as EventType[];

function present<T extends EventType>(type: T, payload: PayloadMap[T]): Record<string, unknown> {
  return PRESENTERS[type](payload);
}

/** An event's payload as JSON output prints it; one this version does not know, with its keys in snake_case. */
export function eventPayloadJson(e: StoredEvent): unknown {
  return e.type === 'unknown' ? snakeKeys(e.payload) : present(e.type, e.payload);
}

/**
 * One line of `watch --json`: the recording time (`ts` epoch ms, `time` ISO 8601, wall clock),
 * the engine's market time (null for events recorded outside a run's engine), the type and the
 * payload.
 */
export function eventJson(e: StoredEvent) {
  const market = e.marketTs ?? null;
  return { seq: e.seq, run_id: e.runId, ts: e.ts, time: isoTime(e.ts), market_ts: market, market_time: isoTime(market), type: recordedTypeOf(e), payload: eventPayloadJson(e) };
}

/** A notification attempt as `watch --json` and `notify log --json` print it. */
export function notificationJson(p: NotificationAttempt) {
  return { channel: p.channel, event: p.event, attempt: p.attempt, status: orNull(p.status), error: orNull(p.error), final: p.final };
}

/** A plan's legs per piece of its line (`ndjsonPieces`). */
const LEGS_PER_PIECE = 1000;
/** Where the plan's legs go in its line: the payload is the line's last key but for what `line` adds, and `legs` its first. */
const NO_LEGS = '"payload":{"legs":[]';

/**
 * The NDJSON line of `line(e)` (newline included), in pieces: the same text as
 * `JSON.stringify(line(e)) + '\n'`. An event is one piece, but for a plan, whose legs (34 MB of
 * JSON at 50,000 legs) are presented and turned into text a thousand at a time, so the whole
 * plan is never held as presented objects and as one string besides the decoded event.
 */
export function* ndjsonPieces<E extends StoredEvent>(e: E, line: (e: E) => unknown = eventJson): Generator<string> {
  if (e.type !== 'run.planned' || e.payload.legs.length <= LEGS_PER_PIECE) {
    yield `${JSON.stringify(line(e))}\n`;
    return;
  }
  const { legs, currency } = e.payload;
  const frame = JSON.stringify(line({ ...e, payload: { ...e.payload, legs: [] } }));
  const at = frame.indexOf(NO_LEGS) + NO_LEGS.length - 1;
  yield frame.slice(0, at);
  for (let i = 0; i < legs.length; i += LEGS_PER_PIECE) {
    const piece = legs.slice(i, i + LEGS_PER_PIECE).map((l) => JSON.stringify(planLegJson(l, currency)));
    yield `${i ? ',' : ''}${piece.join(',')}`;
  }
  yield `${frame.slice(at)}\n`;
}

/** Bytes of NDJSON gathered per write: a write per line was a system call per event. */
const WRITE_BYTES = 64 * 1024;

/** Writes `events` as NDJSON (`ndjsonPieces`) through `write`, in writes of about 64 KB. */
export function writeNdjson<E extends StoredEvent>(events: readonly E[], write: (text: string) => void, line: (e: E) => unknown = eventJson): void {
  let pending: string[] = [];
  let bytes = 0;
  for (const e of events) {
    for (const piece of ndjsonPieces(e, line)) {
      pending.push(piece);
      bytes += piece.length;
      if (bytes < WRITE_BYTES) continue;
      write(pending.join(''));
      pending = [];
      bytes = 0;
    }
  }
  if (pending.length) write(pending.join(''));
}
