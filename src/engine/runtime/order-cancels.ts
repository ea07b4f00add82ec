import type { BrokerOrder } from '../../brokers/broker.js';
import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { OrderStatus } from '../../domain/order.js';
import { cancelFailedReason } from './cancel-reasons.js';
import { cancellable } from './linked-exits.js';
import type { Cancels, Message, RuntimeContext } from './runtime-context.js';
import { isOpen, type ChildOrder } from './runtime-state.js';
import { childStatus } from './status-events.js';

/**
 * Cancels of child orders: each recorded with its cause before it is sent, and a cancel the
 * broker refuses told apart from a cancel that arrived after its order had ended (routine).
 */
export class OrderCancels implements Cancels {
  constructor(private readonly ctx: RuntimeContext) {}

  cancel(child: ChildOrder, reason: string): void {
    if (!isOpen(child.status) || child.status === 'pending_cancel' || !cancellable(child, this.ctx.run.children)) return;
    if (!child.brokerOrderId || child.status === 'pending_submit' || child.status === 'unknown') return;
    child.cancelReason = reason;
    this.ctx.record(childStatus(this.ctx, child, 'pending_cancel', { reason }));
    const brokerOrderId = child.brokerOrderId;
    this.ctx.dispatch(() =>
      this.ctx.broker.cancelOrder(brokerOrderId).then(
        (): Message => ({ kind: 'cancel-sent' }),
        (error: unknown): Message => ({ kind: 'cancel-failed', clientOrderId: child.clientOrderId, error }),
      ),
    );
  }

  /**
   * A refused cancel is most often routine: the order filled or ended while the cancel was on its
   * way. Only the broker knows which, so it is asked before anything is said; an order that had
   * ended is recorded as such (info), one still working is an alert.
   */
  onCancelFailed(clientOrderId: string, error: unknown): void {
    const child = this.ctx.run.children.get(clientOrderId)!;
    const why = error instanceof Error ? error.message : String(error);
    if (isBrokerError(error, 'auth')) {
      this.cancelFailed(child, why, 'the order may still be working at the broker');
      return this.ctx.parts.controls.loginLost(error);
    }
    if (!isOpen(child.status)) return this.lateCancel(child, child.status);
    this.ctx.dispatch(() =>
      this.ctx.broker.findOrderByClientId(child.clientOrderId).then(
        (order): Message => ({ kind: 'cancel-checked', clientOrderId, why, order }),
        (): Message => ({ kind: 'cancel-checked', clientOrderId, why }),
      ),
    );
  }

  onCancelChecked(clientOrderId: string, why: string, order: BrokerOrder | undefined): void {
    const { run, parts } = this.ctx;
    const child = run.children.get(clientOrderId)!;
    if (order && !isOpen(order.status)) {
      parts.orders.applyOrder(child, order);
      if (child.fillGapSince !== undefined) {
        // It filled: its trades are fetched now rather than at the next poll.
        child.fillGapSince = undefined;
        parts.orders.fetchTrades(child);
      }
      return this.lateCancel(child, order.status);
    }
    if (!isOpen(child.status)) return this.lateCancel(child, child.status);
    if (order) return this.cancelFailed(child, why, 'it is still working at the broker');
    this.cancelFailed(child, why, 'could not check it at the broker; re-reading the order book');
    parts.orders.requestBook();
  }

  /** The cancel arrived after the order had ended: nothing to cancel, nothing to alert about. */
  private lateCancel(child: ChildOrder, status: OrderStatus): void {
    const ended = status === 'filled' ? 'filled' : status === 'expired' ? 'expired' : `been ${status}`;
    this.ctx.alert('info', 'broker', `${child.request.symbol}: ${child.clientOrderId} had already ${ended} when its cancel arrived; nothing to cancel`, child.leg);
  }

  /** The order is still working at the broker as far as we know: say so, so nothing waits on a cancel that will not come. */
  private cancelFailed(child: ChildOrder, why: string, state: string): void {
    const { cancelling } = this.ctx.run;
    child.cancelReason = undefined;
    cancelling?.failures.set(child.clientOrderId, (cancelling.failures.get(child.clientOrderId) ?? 0) + 1);
    if (child.status === 'pending_cancel') this.ctx.record(childStatus(this.ctx, child, child.filled > 0 ? 'partially_filled' : 'accepted', { reason: cancelFailedReason(why) }));
    this.ctx.alert('warn', 'broker', `${child.request.symbol}: cancel of ${child.clientOrderId} failed (${why}); ${state}`, child.leg);
  }
}
