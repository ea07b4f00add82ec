import { BrokerError } from '../../domain/errors/broker-error.js';
import type { LegPaused, LegResumed, NewEvent, OrderCreated } from '../../domain/events/index.js';
import { mid, type Instrument, type InstrumentKey, type Quote } from '../../domain/instrument.js';
import type { OrderRequest, OrderStatus } from '../../domain/order.js';
import type { Leg } from '../../domain/plan.js';
import { roundPassive, roundToTick } from '../../domain/price.js';
import type { ChildIntent } from '../algos/algorithm.js';
import { parseDuration } from '../algos/duration.js';
import { algorithms } from '../algos/index.js';
import { DEFAULT_DURATION_MS } from '../algos/slicing-params.js';
import { childOrderId, parentOrderId } from '../identity.js';
import { algorithmContext } from './algorithm-context.js';
import { CANCEL_REASON } from './cancel-reasons.js';
import { unfilledReason } from './unfilled-reason.js';
import { awaitingProtection, isProtective } from './linked-exits.js';
import type { MarketSampler } from './market-sampler.js';
import type { QuoteCache } from './quote-cache.js';
import type { LegSchedules, RuntimeContext, WakeReason } from './runtime-context.js';
import { childCreatedPayload, endPause, instrumentOf, isOpen, legOutcome, newChild, newParent, working, type ParentOrder } from './runtime-state.js';
import { parentStatus } from './status-events.js';

/** Rejections of one leg's orders after which the leg stops. */
const MAX_REJECTIONS_PER_LEG = 3;

/** Least time a scheduled algorithm has after its horizon to finish its clean-up (or a tenth of the horizon). */
const CLEANUP_GRACE_MS = 5 * 60_000;

/**
 * The runtime's own backstop: market and limit legs stop at their horizon; scheduled
 * algorithms clean up at theirs, so the backstop leaves them a grace period to finish it.
 */
export function horizonOf(leg: Leg, defaultHorizonMs: number): number {
  const simple = leg.execution.algo === 'market' || leg.execution.algo === 'limit';
  const raw = leg.execution.params['duration'];
  const horizon = typeof raw === 'string' ? parseDuration(raw) : typeof raw === 'number' ? raw * 1000 : simple ? defaultHorizonMs : DEFAULT_DURATION_MS;
  return simple ? horizon : horizon + Math.max(CLEANUP_GRACE_MS, horizon / 10);
}

/**
 * Each leg's schedule: its algorithm decides when woken (by its timer, a fill, an order that
 * ended), the runtime enforces what every child must obey (never more than the remaining
 * quantity, lot and tick, the leg's limit price), and the leg's deadline ends it. A pause
 * stops the schedule and the deadline; both move on by its length when the leg resumes.
 */
export class ParentScheduler implements LegSchedules {
  constructor(
    private readonly ctx: RuntimeContext,
    private readonly quotes: QuoteCache,
    private readonly sampler: MarketSampler,
    private readonly instruments: ReadonlyMap<InstrumentKey, Instrument>,
  ) {}

  /** Starts a leg: its parent order, accepted, with the market as it stood (the arrival price). */
  start(leg: Leg, quote: Quote): NewEvent[] {
    const { clock, runId, broker, options } = this.ctx;
    const factory = algorithms[leg.execution.algo];
    if (!factory) throw new BrokerError('input', `unknown algorithm "${leg.execution.algo}"`, broker.id);
    const instrument = instrumentOf(this.instruments, leg);
    const now = clock.now();
    const arrivalPrice = Math.round(mid(quote));
    const parent = newParent({
      parentId: parentOrderId(runId, leg.index),
      leg,
      instrument,
      algo: factory(leg.execution, algorithmContext(broker, leg, instrument, now, options.volumeProfiles)),
      startedAt: now,
      deadline: now + horizonOf(leg, options.defaultHorizonMs),
      arrivalPrice,
      volumeAtStart: quote.volume,
    });
    this.ctx.run.parents.set(parent.parentId, parent);
    this.armDeadline(parent);
    const created: OrderCreated['payload'] = {
      clientOrderId: parent.parentId,
      leg: leg.index,
      broker: broker.id,
      account: broker.account,
      symbol: leg.symbol,
      exchange: leg.exchange,
      side: leg.side,
      type: leg.execution.orderType,
      quantity: leg.quantity,
      limitPrice: leg.limitPrice,
      timeInForce: 'day',
      product: 'delivery',
      algo: leg.execution.algo,
      arrivalPrice,
      decisionPrice: leg.decisionPrice,
    };
    return [this.ctx.event('order.created', created), ...parentStatus(this.ctx, parent, 'accepted'), ...this.sampler.sampleIfNew(leg, quote)];
  }

  armDeadline(parent: ParentOrder): void {
    const { clock } = this.ctx;
    const delay = Math.max(0, parent.deadline - clock.now());
    parent.deadlineTimer = clock.setTimeout(() => this.ctx.post({ kind: 'deadline', parentId: parent.parentId }), delay);
  }

  /** A `wake` message: the leg's own timer (no reason) or a decision asked for by the runtime. */
  onWake(parentId: string, reason: WakeReason | undefined, quoted = false): void {
    const parent = this.ctx.run.parents.get(parentId);
    if (!parent) return;
    if (!reason) parent.wakeTimer = undefined;
    this.wake(parent, reason ?? 'timer', quoted);
  }

  wake(parent: ParentOrder, reason: WakeReason, quoted = false): void {
    const { run } = this.ctx;
    if (!isOpen(parent.status) || parent.paused || parent.cancelRequested || run.halted || run.interrupted || run.cancelling) return;
    if (parent.algoDone) return this.finishIfDone(parent);
    if (parent.filled >= parent.leg.quantity) return this.finishIfDone(parent);
    const instrument = parent.instrument;
    const quote = quoted ? this.quotes.peek(instrument) : this.quotes.fresh(instrument);
    if (!quote) {
      // No quote yet (a resumed run), or one older than allowed (a leg that slept between its
      // slices): a child priced on it could cross a market that has moved. Fetch it and take the
      // same decision when it arrives.
      this.ctx.begin();
      this.quotes
        .get(instrument)
        .catch(() => undefined)
        .finally(() => this.ctx.settle({ kind: 'wake', parentId: parent.parentId, reason, quoted: true }));
      return;
    }
    this.quotes.refresh(instrument);
    this.sampler.maybeSample(parent.leg, quote);
    if (this.ctx.parts.breakers.pausedLeg(parent, quote)) return;
    this.decide(parent, quote, reason);
  }

  private decide(parent: ParentOrder, quote: Quote, reason: WakeReason): void {
    const { clock, run } = this.ctx;
    const now = clock.now();
    // The algorithm works on the leg's schedule clock, which stood still while the leg was paused.
    const decision = parent.algo!.decide(
      {
        parentId: parent.parentId,
        leg: parent.leg,
        instrument: parent.instrument,
        quantity: parent.leg.quantity,
        filled: parent.filled,
        working: working(parent),
        openChildren: parent.children
          .filter((c) => isOpen(c.status))
          .map((c) => ({ clientOrderId: c.clientOrderId, quantity: c.request.quantity, filled: c.filled, type: c.request.type, limitPrice: c.request.limitPrice, placedAt: c.scheduledAt })),
        startedAt: parent.startedAt,
        lastPlacedAt: parent.lastPlacedAt,
        now: now - parent.pausedMs,
        reason,
      },
      { quote, marketVolumeSinceStart: Math.max(0, quote.volume - parent.volumeAtStart), arrivalPrice: parent.arrivalPrice },
    );
    const why = decision.cancelReason === 'horizon' ? CANCEL_REASON.horizon : decision.cancelReason === 'reprice' ? CANCEL_REASON.reprice : CANCEL_REASON.nextSlice;
    for (const id of decision.cancel ?? []) {
      const child = run.children.get(id);
      if (child && child.parentId === parent.parentId) this.ctx.parts.cancels.cancel(child, why);
    }
    for (const intent of decision.place ?? []) this.placeChild(parent, intent);
    if (decision.wakeAt !== undefined) {
      if (parent.wakeTimer) clock.clearTimeout(parent.wakeTimer);
      const at = decision.wakeAt + parent.pausedMs;
      parent.wakeTimer = clock.setTimeout(() => this.ctx.post({ kind: 'wake', parentId: parent.parentId }), Math.max(0, at - now));
    }
    if (decision.done) {
      parent.algoDone = true;
      this.finishIfDone(parent);
    }
  }

  /** An algorithm's intent as a child order, clipped to what the leg allows; recorded, then queued for sending. */
  private placeChild(parent: ParentOrder, intent: ChildIntent): void {
    const { runId, broker, clock } = this.ctx;
    const instrument = parent.instrument;
    const lot = instrument.lotSize;
    const remaining = parent.leg.quantity - parent.filled - working(parent);
    // Overfill is a bug: the runtime clips whatever an algorithm asks for.
    const quantity = Math.floor(Math.min(intent.quantity, remaining) / lot) * lot;
    if (quantity <= 0) return;
    let limitPrice = intent.limitPrice;
    if (limitPrice !== undefined) limitPrice = roundPassive(limitPrice, instrument.tickSize, parent.leg.side);
    if (parent.leg.limitPrice !== undefined) {
      // The leg's limit price is a hard bound for every child, market children included.
      const bound = parent.leg.limitPrice;
      limitPrice = limitPrice === undefined ? bound : parent.leg.side === 'buy' ? Math.min(limitPrice, bound) : Math.max(limitPrice, bound);
    }
    const type = intent.type === 'market' && parent.leg.limitPrice !== undefined ? 'limit' : intent.type;
    const seq = parent.children.length + 1;
    const clientOrderId = childOrderId(runId, parent.leg.index, seq, broker.capabilities.clientOrderId.maxLength);
    const request: OrderRequest = {
      clientOrderId,
      symbol: parent.leg.symbol,
      exchange: parent.leg.exchange,
      side: parent.leg.side,
      type,
      quantity,
      limitPrice: type === 'market' ? undefined : limitPrice,
      triggerPrice: intent.triggerPrice === undefined ? undefined : roundToTick(intent.triggerPrice, instrument.tickSize),
      timeInForce: intent.timeInForce ?? 'day',
      product: 'delivery',
      displayQuantity: intent.displayQuantity,
    };
    if (parent.leg.execution.afterMarket) request.afterMarket = true;
    if (intent.orderClass) Object.assign(request, { orderClass: intent.orderClass, takeProfit: intent.takeProfit, stopLoss: intent.stopLoss });
    const child = newChild(parent, request, seq, clock.now());
    this.ctx.run.addChild(child);
    parent.lastPlacedAt = child.scheduledAt;
    this.ctx.record([this.ctx.event('order.created', childCreatedPayload(parent, request, broker))]);
    this.ctx.parts.sends.enqueue(parent, child);
  }

  onDeadline(parentId: string): void {
    const parent = this.ctx.run.parents.get(parentId);
    // A paused leg's deadline moves with the pause; it is armed again when the leg resumes.
    if (!parent || !isOpen(parent.status) || parent.paused) return;
    parent.algoDone = true;
    parent.lastReason = parent.filled < parent.leg.quantity ? unfilledReason(parent, this.quotes.peek(parent.instrument), this.ctx.run.halted) : CANCEL_REASON.horizon;
    for (const child of parent.children) this.ctx.parts.cancels.cancel(child, CANCEL_REASON.horizon);
    this.finishIfDone(parent);
  }

  /** Repeated rejections stop the leg: an algorithm must not keep sending what the broker refuses. */
  noteRejection(parent: ParentOrder, reason: string): void {
    parent.rejections++;
    parent.lastReason = reason;
    if (parent.rejections >= MAX_REJECTIONS_PER_LEG) {
      parent.algoDone = true;
      parent.lastReason = `stopped after ${parent.rejections} rejections; last: ${reason}`;
    }
  }

  /** Ends the leg once it is filled, or its algorithm is done (or it was cancelled) and nothing of it is still working. */
  finishIfDone(parent: ParentOrder): void {
    if (!isOpen(parent.status)) return;
    const open = parent.children.some((c) => isOpen(c.status) && !isProtective(c, parent)) || awaitingProtection(parent);
    let to: OrderStatus | undefined;
    if (parent.filled >= parent.leg.quantity && !open) to = 'filled';
    else if ((parent.algoDone || parent.cancelRequested) && !open && !this.ctx.parts.sends.holds(parent)) to = parent.cancelRequested ? 'cancelled' : legOutcome(parent) === 'rejected' ? 'cancelled' : 'expired';
    if (!to) return;
    if (parent.wakeTimer) this.ctx.clock.clearTimeout(parent.wakeTimer);
    const quote = this.quotes.peek(parent.instrument);
    const events = parentStatus(this.ctx, parent, to, parent.lastReason);
    if (quote) events.push(...this.sampler.sampleIfNew(parent.leg, quote));
    this.ctx.record(events);
    this.quotes.unwatch(parent.instrument);
  }

  /**
   * A paused leg sends nothing, and its schedule and horizon stand still: its deadline is not
   * armed until it resumes. Its open orders stay at the broker.
   */
  pause(parent: ParentOrder): void {
    if (parent.paused) return;
    const { clock } = this.ctx;
    parent.paused = true;
    parent.pausedAt = clock.now();
    if (parent.deadlineTimer) clock.clearTimeout(parent.deadlineTimer);
    if (parent.wakeTimer) clock.clearTimeout(parent.wakeTimer);
    parent.deadlineTimer = parent.wakeTimer = undefined;
    const payload: LegPaused['payload'] = { leg: parent.leg.index, clientOrderId: parent.parentId };
    this.ctx.record([this.ctx.event('leg.paused', payload)]);
  }

  /** The pause's length moves the leg's deadline and schedule; the algorithm carries on where it stopped. */
  resume(parent: ParentOrder): void {
    if (!parent.paused) return;
    const now = this.ctx.clock.now();
    const pausedMs = Math.max(0, now - (parent.pausedAt ?? now));
    endPause(parent, pausedMs);
    this.armDeadline(parent);
    const payload: LegResumed['payload'] = { leg: parent.leg.index, clientOrderId: parent.parentId, pausedMs, totalPausedMs: parent.pausedMs, deadline: parent.deadline };
    this.ctx.record([this.ctx.event('leg.resumed', payload)]);
    this.wake(parent, 'resume');
  }

  /** Clears every leg's timers (the run has ended or stopped). */
  clearTimers(): void {
    const { clock } = this.ctx;
    for (const p of this.ctx.run.parents.values()) {
      if (p.wakeTimer) clock.clearTimeout(p.wakeTimer);
      if (p.deadlineTimer) clock.clearTimeout(p.deadlineTimer);
    }
  }
}
