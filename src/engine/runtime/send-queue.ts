import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { TimerHandle } from '../../domain/clock.js';
import type { NewEvent } from '../../domain/events/index.js';
import type { HaltState, OrderGuard } from './guards.js';
import type { QuoteCache } from './quote-cache.js';
import type { Message, RuntimeContext, Sends } from './runtime-context.js';
import type { ChildOrder, ParentOrder } from './runtime-state.js';
import { childStatus } from './status-events.js';
import { Throttle } from './throttle.js';

/**
 * Child orders on their way to the broker: sent in the order they were decided, as fast as the
 * broker's rate limit allows, each through the pre-trade gate just before it leaves, each intent
 * on disk before its request. The broker's answer comes back here too (`sent`).
 */
export class SendQueue implements Sends {
  private readonly queue: { parent: ParentOrder; child: ChildOrder }[] = [];
  /** Children waiting per leg: asked whenever a leg may have ended, so never a scan of the queue. */
  private readonly waiting = new Map<ParentOrder, number>();
  private readonly throttle: Throttle;
  private drainTimer?: TimerHandle;

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly quotes: QuoteCache,
    private readonly guard: OrderGuard | undefined,
    private readonly halt: HaltState | undefined,
  ) {
    const rate = ctx.broker.capabilities.orderRate;
    this.throttle = new Throttle(ctx.clock, rate.perSecond, Math.max(1, Math.floor(rate.perSecond)), rate.perMinute);
  }

  enqueue(parent: ParentOrder, child: ChildOrder): void {
    this.queue.push({ parent, child });
    this.waiting.set(parent, (this.waiting.get(parent) ?? 0) + 1);
  }

  /** Whether a child of the leg is still waiting to be sent. */
  holds(parent: ParentOrder): boolean {
    return (this.waiting.get(parent) ?? 0) > 0;
  }

  /** The first child in the queue leaves it (sent, refused or dropped). */
  private dequeue(): { parent: ParentOrder; child: ChildOrder } {
    const next = this.queue.shift()!;
    const left = this.waiting.get(next.parent)! - 1;
    if (left > 0) this.waiting.set(next.parent, left);
    else this.waiting.delete(next.parent);
    return next;
  }

  /** Sends queued children as fast as the broker's rate limit allows. */
  drain(): void {
    const { run, clock } = this.ctx;
    while (this.queue.length) {
      if (run.halted || run.interrupted) return this.dropQueued();
      const wait = this.throttle.take(this.queue.length);
      if (wait > 0) return this.drainLater(wait);
      const { parent, child } = this.queue[0]!;
      const check = this.checkBeforeSend(parent, child);
      if (check.retryAt !== undefined) return this.drainLater(Math.max(1, check.retryAt - clock.now()));
      if (check.halted) {
        // The switch was pulled since the last poll: stop the run resumably, as the poll would,
        // instead of rejecting the leg (a rejected leg is never sent again).
        this.ctx.record(check.events);
        this.ctx.parts.controls.haltSending(check.halted);
        continue;
      }
      this.dequeue();
      if (check.blocked) {
        this.refuse(parent, child, check.blocked, check.events);
        continue;
      }
      this.send(child, check.events);
    }
  }

  clearTimer(): void {
    if (this.drainTimer) this.ctx.clock.clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
  }

  /** Nothing more leaves once the run has stopped: what waited is recorded as not sent. */
  private dropQueued(): void {
    const { run } = this.ctx;
    while (this.queue.length) {
      const { parent, child } = this.dequeue();
      this.ctx.record(childStatus(this.ctx, child, 'cancelled', { reason: run.halted ? 'not sent: kill switch' : 'not sent: interrupted' }));
      this.ctx.parts.legs.finishIfDone(parent);
    }
  }

  private refuse(parent: ParentOrder, child: ChildOrder, blocked: string, riskEvents: NewEvent[]): void {
    const reason = `blocked by risk: ${blocked}`;
    this.ctx.record([...riskEvents, ...childStatus(this.ctx, child, 'rejected', { reason })]);
    parent.rejections++;
    parent.lastReason = reason;
    this.ctx.alert('warn', 'risk', `${parent.leg.symbol}: ${reason}`, parent.leg.index);
    // The algorithm must not keep producing orders the gate refuses: the leg stops here.
    parent.algoDone = true;
    this.ctx.parts.legs.finishIfDone(parent);
  }

  /**
   * One timer at a time: only its own firing forgets it (any other message that wakes the loop
   * drains too, but must not let a second timer join the first while sends wait on the limit).
   */
  private drainLater(ms: number): void {
    if (this.drainTimer) return;
    this.drainTimer = this.ctx.clock.setTimeout(() => {
      this.drainTimer = undefined;
      this.ctx.post({ kind: 'drain' });
    }, ms);
  }

  /**
   * The pre-trade gate, just before the order leaves (DESIGN: every order, parent or child). A
   * block on the order rate alone is a wait, not a refusal.
   */
  private checkBeforeSend(parent: ParentOrder, child: ChildOrder): { blocked?: string; halted?: { reason?: string }; retryAt?: number; events: NewEvent[] } {
    const guard = this.guard;
    if (!guard) return { events: [] };
    const instrument = parent.instrument;
    const now = this.ctx.clock.now();
    const verdict = guard.checkOrder(child.request, { runId: this.ctx.runId, parentId: parent.parentId, leg: parent.leg, instrument, quote: this.quotes.peek(instrument), now });
    if (verdict.verdict !== 'block') return { events: verdict.events ?? [] };
    if (verdict.retryAt !== undefined && verdict.reasons.every((r) => r.rule === 'order_rate')) return { retryAt: verdict.retryAt, events: [] };
    if (verdict.reasons.some((r) => r.rule === 'kill_switch')) return { halted: this.halt?.isHalted() ?? {}, events: verdict.events ?? [] };
    return { blocked: verdict.reasons.map((r) => r.message).join('; '), events: verdict.events ?? [] };
  }

  /** The intent is on disk before the request leaves; the outcome comes back through the mailbox. */
  private send(child: ChildOrder, riskEvents: NewEvent[]): void {
    const { broker } = this.ctx;
    this.ctx.record([...riskEvents, ...childStatus(this.ctx, child, 'pending_submit')]);
    this.ctx.dispatch(() => {
      this.ctx.failpoint('order-intent-recorded');
      return broker.placeOrder(child.request).then(
        (r): Message => ({ kind: 'sent', clientOrderId: child.clientOrderId, brokerOrderId: r.brokerOrderId }),
        (error: unknown): Message => ({ kind: 'sent', clientOrderId: child.clientOrderId, error }),
      );
    });
  }

  /**
   * The broker's answer to a placement. An answer that may hide an accepted order (a timeout, a
   * reset, a 5xx) is never taken as a refusal: the order is looked up by its client order id.
   */
  onSent(clientOrderId: string, brokerOrderId: string | undefined, error: unknown): void {
    const { run, parts } = this.ctx;
    const child = run.children.get(clientOrderId)!;
    const parent = run.parentOf(child);
    if (brokerOrderId) {
      this.ctx.failpoint('order-acknowledged');
      run.bindBrokerId(child, brokerOrderId);
      if (child.status === 'pending_submit' || child.status === 'unknown') this.ctx.record(childStatus(this.ctx, child, 'accepted', { brokerOrderId }));
      else this.ctx.record(childStatus(this.ctx, child, child.status, { brokerOrderId }));
      return parts.orders.replayOrphans(brokerOrderId);
    }
    if (child.status !== 'pending_submit') {
      // The broker reported the order (on its stream, or in a book read) before the placement's
      // answer failed: what became of it is known, and a lost answer does not take it back.
      if (isBrokerError(error, 'auth')) parts.controls.loginLost(error);
      return;
    }
    if (isBrokerError(error, 'rate_limited')) {
      // Refused before it was accepted: the same id is safe to send again after a pause.
      this.ctx.record(childStatus(this.ctx, child, 'unknown', { reason: error.message }));
      this.ctx.alert('warn', 'broker', `${child.request.symbol}: rate-limited, retrying`, child.leg);
      return parts.unknowns.resolve(child, 'rate-limited', error.details.retryAfterMs ?? 1000);
    }
    if (isBrokerError(error) && (error.kind === 'unknown_outcome' || error.kind === 'unavailable' || error.kind === 'protocol')) {
      this.ctx.record(childStatus(this.ctx, child, 'unknown', { reason: error.message }));
      this.ctx.alert('warn', 'broker', `${child.request.symbol}: ${error.message}; checking the order book before any re-send`, child.leg);
      return parts.unknowns.resolve(child, error.message);
    }
    if (isBrokerError(error, 'auth')) {
      // A session the broker refused before acting on the request placed nothing: the order is
      // refused (a failover may move its quantity). Otherwise it may be there: looked up on resume.
      this.ctx.record(childStatus(this.ctx, child, error.details.notPlaced ? 'rejected' : 'unknown', { reason: error.details.notPlaced ? `refused, session lost: ${error.message}` : error.message }));
      return parts.controls.loginLost(error);
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.ctx.record(childStatus(this.ctx, child, 'rejected', { reason }));
    parts.legs.noteRejection(parent, reason);
    this.ctx.alert('error', 'broker', `${child.request.symbol}: order rejected: ${reason}`, child.leg);
    parts.legs.wake(parent, 'child_done');
    parts.legs.finishIfDone(parent);
  }
}
