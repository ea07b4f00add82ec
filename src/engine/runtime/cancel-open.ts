import type { BrokerOrder, BrokerTrade } from '../../brokers/broker.js';
import { isProtective } from './linked-exits.js';
import type { RuntimeContext } from './runtime-context.js';
import { isOpen, type ChildOrder, type ParentOrder } from './runtime-state.js';
import { childStatus, parentStatus } from './status-events.js';

/** Refused cancels of one order after which cancelling a stopped run gives up on it (and says so). */
const MAX_CANCEL_ATTEMPTS = 3;

export interface CancelOpenOptions {
  /** One leg, or every leg of the run. */
  leg?: number;
  /** End the legs `cancelled` (`ptexec cancel`), or leave them open for `ptexec resume` (the kill switch). */
  endLegs: boolean;
  reason: string;
}

/**
 * Cancelling the open orders of a run no process is executing (see ExecutionRuntime.cancelOpen):
 * while it lasts no algorithm decides and nothing is sent but cancels; it is done once every
 * open order of the leg(s) has ended, or the broker refused to cancel it a few times. A
 * bracket's exits are left working.
 */
export class CancelOpen {
  constructor(private readonly ctx: RuntimeContext) {}

  /** Enters cancelling mode for the leg(s); returns their parents. */
  begin(options: CancelOpenOptions): ParentOrder[] {
    const { run } = this.ctx;
    const targets = [...run.parents.values()].filter((p) => options.leg === undefined || p.leg.index === options.leg);
    run.cancelling = { scope: new Set(targets.map((p) => p.parentId)), reason: options.reason, failures: new Map() };
    for (const p of targets) {
      if (!options.endLegs || !(isOpen(p.status) || p.status === 'created')) continue;
      p.cancelRequested = true;
      p.lastReason = options.reason;
    }
    return targets;
  }

  /** The open orders of the leg(s), those whose placement was never answered included: each is looked up by our client order id. */
  openInScope(): ChildOrder[] {
    const { run } = this.ctx;
    return [...run.children.values()].filter((c) => run.cancelling!.scope.has(c.parentId) && isOpen(c.status));
  }

  /**
   * One step: records what the book says, settles the orders the broker has no trace of (`gone`),
   * then cancels every open order of the leg(s) and ends the legs that have nothing left.
   */
  cancelNow(targets: ParentOrder[], book: { orders: BrokerOrder[]; trades: BrokerTrade[] }, gone: ChildOrder[]): void {
    const { parts, run } = this.ctx;
    const reason = run.cancelling!.reason;
    parts.orders.handleBook(book.orders, book.trades);
    for (const child of gone) {
      // Not found yet: looked for again a few times, then recorded as never sent (and not sent).
      if (child.status === 'pending_submit' || child.status === 'unknown') parts.unknowns.resolve(child, 'the process stopped before the broker answered');
      else if (isOpen(child.status)) this.ctx.record(childStatus(this.ctx, child, 'expired', { reason: 'no longer at the broker (an order of an earlier day)' }));
    }
    for (const p of targets) {
      if (p.status === 'created') this.ctx.record(parentStatus(this.ctx, p, 'accepted'));
      for (const c of p.children) parts.cancels.cancel(c, reason);
      parts.legs.finishIfDone(p);
    }
  }

  /** While cancelling: an order of the leg(s) still open at the broker (a bracket's exits are left working). */
  mustCancel(child: ChildOrder): boolean {
    const { run } = this.ctx;
    return run.cancelling !== undefined && run.cancelling.scope.has(child.parentId) && isOpen(child.status) && !isProtective(child, run.parentOf(child));
  }

  /** A cancel the broker refused, or an order still open after one, is tried again (a few times). */
  retry(): void {
    const { run, parts } = this.ctx;
    const cancelling = run.cancelling;
    if (!cancelling) return;
    for (const c of run.children.values()) {
      if (this.mustCancel(c) && c.status !== 'pending_cancel' && (cancelling.failures.get(c.clientOrderId) ?? 0) < MAX_CANCEL_ATTEMPTS) parts.cancels.cancel(c, cancelling.reason);
    }
  }

  /** Done once every open order of the leg(s) has ended, or the broker refused to cancel it. */
  done(): boolean {
    const { failures } = this.ctx.run.cancelling!;
    for (const c of this.ctx.run.children.values()) {
      if (this.mustCancel(c) && (failures.get(c.clientOrderId) ?? 0) < MAX_CANCEL_ATTEMPTS) return false;
    }
    return true;
  }

  /** The orders the broker would not cancel. */
  stillOpen(): string[] {
    return [...this.ctx.run.children.values()].filter((c) => this.mustCancel(c)).map((c) => c.clientOrderId);
  }
}
