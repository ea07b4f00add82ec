import type { Broker, BrokerOrder, BrokerTrade } from '../../brokers/broker.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import type { Clock } from '../../domain/clock.js';
import type { RuntimeContext, UnknownOutcomeResolution } from './runtime-context.js';
import type { RuntimeOptions } from './runtime-options.js';
import type { ChildOrder } from './runtime-state.js';
import { childStatus } from './status-events.js';

/** The order as the broker has it, with its trades; no order: the broker never received it. */
export interface Resolution {
  order?: BrokerOrder;
  trades: BrokerTrade[];
}

/**
 * Asks the broker for an order whose placement went unanswered (a timeout, a reset, a 5xx, a
 * crash before the answer was recorded), by our client order id (Kite `tag`, Alpaca
 * `client_order_id`, …): no broker but Groww and Alpaca refuses a duplicate, so a blind re-send
 * could trade twice. Found: the order and its trades. Absent only when the last of
 * `lookupAttempts` look-ups answered without it (the book may lag the acceptance; the waits
 * between look-ups double from `lookupDelayMs`). A look-up that keeps failing leaves the outcome
 * unknown: that throws (`unavailable`), and nothing may be sent. A lost login, or a look-up only
 * the user can settle (`input`), throws at once.
 */
export async function resolveByClientId(
  broker: Pick<Broker, 'id' | 'findOrderByClientId' | 'trades'>,
  clock: Pick<Clock, 'sleep'>,
  clientOrderId: string,
  why: string,
  options: Pick<RuntimeOptions, 'lookupAttempts' | 'lookupDelayMs'>,
  firstDelayMs = 0,
): Promise<Resolution> {
  if (firstDelayMs) await clock.sleep(firstDelayMs);
  for (let i = 0; i < options.lookupAttempts; i++) {
    try {
      const order = await broker.findOrderByClientId(clientOrderId);
      if (order) return { order, trades: order.filledQuantity > 0 ? await broker.trades(order.brokerOrderId) : [] };
      if (i === options.lookupAttempts - 1) return { trades: [] };
    } catch (err) {
      // A lost login, or a look-up the broker cannot answer without the user (Schwab: two orders
      // match what was sent), is not retried: its message says what to do.
      if (isBrokerError(err, 'auth') || isBrokerError(err, 'input')) throw err;
    }
    await clock.sleep(options.lookupDelayMs * 2 ** i);
  }
  throw new BrokerError('unavailable', `could not reach ${broker.id} to resolve order ${clientOrderId} (${why})`, broker.id);
}

/**
 * The runtime's side of an unknown outcome: the child stays `unknown` while it is looked up;
 * found, it is adopted as the broker has it (fills included); confirmed absent, it is sent again
 * under the same client order id, which cannot duplicate it — unless the run or its leg has
 * stopped, when it is recorded as never sent. The broker out of reach stops the run, resumably.
 */
export class UnknownOutcomes implements UnknownOutcomeResolution {
  constructor(private readonly ctx: RuntimeContext) {}

  resolve(child: ChildOrder, why: string, firstDelayMs = 0): void {
    const { broker, clock, options, runId } = this.ctx;
    this.ctx.begin();
    resolveByClientId(broker, clock, child.clientOrderId, why, options, firstDelayMs).then(
      (r) => this.ctx.settle({ kind: 'resolved', clientOrderId: child.clientOrderId, order: r.order, trades: r.trades }),
      (err: unknown) => this.ctx.settle({ kind: 'stop', reason: `${err instanceof Error ? err.message : String(err)}; run ptexec resume ${runId} when the broker is back` }),
    );
  }

  onResolved(clientOrderId: string, order: BrokerOrder | undefined, trades: BrokerTrade[]): void {
    const { run, parts } = this.ctx;
    const child = run.children.get(clientOrderId)!;
    const parent = run.parentOf(child);
    if (order) {
      run.bindBrokerId(child, order.brokerOrderId);
      if (child.status === 'pending_submit' || child.status === 'unknown') this.ctx.record(childStatus(this.ctx, child, 'accepted', { brokerOrderId: order.brokerOrderId, reason: 'found at the broker' }));
      for (const t of trades) parts.orders.recordTrade(child, t);
      parts.orders.applyOrder(child, order);
      // Found working for a leg that is being cancelled: it is cancelled like the leg's others.
      if (parent.cancelRequested || run.cancelling) parts.cancels.cancel(child, run.cancelling?.reason ?? 'cancelled by the user');
      return parts.orders.replayOrphans(order.brokerOrderId);
    }
    if (child.status !== 'pending_submit' && child.status !== 'unknown') return;
    if (run.halted || run.interrupted || parent.cancelRequested || run.cancelling) {
      this.ctx.record(childStatus(this.ctx, child, 'cancelled', { reason: 'never reached the broker; not re-sent' }));
      return parts.legs.finishIfDone(parent);
    }
    // Confirmed absent: re-sending the same client order id cannot duplicate it.
    if (child.status === 'pending_submit') this.ctx.record(childStatus(this.ctx, child, 'unknown', { reason: 'not found at the broker' }));
    this.ctx.alert('info', 'broker', `${child.request.symbol}: order ${child.clientOrderId} never reached the broker; sending it again`, child.leg);
    parts.sends.enqueue(parent, child);
  }
}
