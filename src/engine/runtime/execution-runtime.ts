import type { Broker, BrokerEvent, BrokerOrder, BrokerTrade } from '../../brokers/broker.js';
import { BrokerError, isBrokerError } from '../../domain/broker-errors.js';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import { DatabaseBusyError } from '../../domain/database-busy.js';
import { type ExitRole, type FillRecorded, type LegPaused, type LegResumed, marketTimeOf, type NewEvent, type OrderCreated, type OrderResized, type OrderStatusChanged, type StoredEvent } from '../../domain/events.js';
import { instrumentKey, mid, type Instrument, type InstrumentKey, type Quote } from '../../domain/instrument.js';
import type { OrderRequest, OrderStatus } from '../../domain/order.js';
import { canTransition } from '../../domain/order-state-machine.js';
import type { Leg } from '../../domain/plan.js';
import { roundPassive, roundToTick } from '../../domain/price.js';
import type { ChildIntent } from '../algos/algorithm.js';
import { parseDuration } from '../algos/duration.js';
import { algorithms } from '../algos/index.js';
import { DEFAULT_DURATION_MS } from '../algos/slicing-params.js';
import { writeWhenFree } from '../busy-retry.js';
import { childOrderId, parentOrderId } from '../identity.js';
import type { BusyPolicy, EventLog } from '../ports.js';
import type { HaltState, OrderGuard } from './guards.js';
import { CANCEL_REASON, cancelFailedReason } from './cancel-reasons.js';
import { awaitingProtection, cancellable, countsForLeg, exitLegOf, exitRequest, isProtective } from './linked-exits.js';
import { QuoteCache } from './quote-cache.js';
import { childCreatedPayload, isOpen, legOutcome, newChild, working, type ChildOrder, type LegOutcome, type ParentOrder } from './runtime-state.js';
import { Throttle } from './throttle.js';

export interface RuntimeOptions {
  /** How long a leg may work before its open children are cancelled (market/limit legs). */
  defaultHorizonMs: number;
  /** How often the kill switch and run controls are read. */
  pollMs: number;
  /** Re-read the broker's order book when a live order has been silent this long. */
  staleOrderMs: number;
  /** Unknown-outcome resolution: order-book look-ups before concluding the order never arrived. */
  lookupAttempts: number;
  lookupDelayMs: number;
  /** Quotes are re-read at most this often (real brokers rate-limit quotes). */
  quoteMaxAgeMs: number;
  /** A market sample (for VWAP benchmarks and markouts) is recorded at most this often per symbol. */
  sampleIntervalMs: number;
}

/** Rejections of one leg's orders after which the leg stops. */
const MAX_REJECTIONS_PER_LEG = 3;

/** Refused cancels of one order after which cancelling a stopped run gives up on it (and says so). */
const MAX_CANCEL_ATTEMPTS = 3;

/** Least time a scheduled algorithm has after its horizon to finish its clean-up (or a tenth of the horizon). */
const CLEANUP_GRACE_MS = 5 * 60_000;

export const DEFAULT_RUNTIME_OPTIONS: RuntimeOptions = {
  defaultHorizonMs: 15 * 60_000,
  pollMs: 250,
  staleOrderMs: 10_000,
  lookupAttempts: 4,
  lookupDelayMs: 500,
  quoteMaxAgeMs: 1_000,
  sampleIntervalMs: 5_000,
};

export interface RuntimeDeps {
  log: EventLog;
  broker: Broker;
  clock: Clock;
  runId: string;
  instruments: Map<InstrumentKey, Instrument>;
  guard?: OrderGuard;
  halt?: HaltState;
  /** Ctrl-C: stop sending new orders; the run ends `interrupted` and is resumable. */
  signal?: AbortSignal;
  /** Every appended event, for the dashboard or progress lines. */
  onEvents?: (events: StoredEvent[]) => void;
  options?: Partial<RuntimeOptions>;
  /**
   * Called at the points where a crash is most dangerous (after an intent is recorded, after the
   * broker acknowledged but before we recorded it, around fills). The crash tests make it kill
   * the process; in normal use it is absent.
   */
  failpoint?: (name: string) => void;
  /**
   * Post-trade bookings (charges per contract note, settlement dates) for the fills recorded in
   * one engine step; the events it returns commit in the same transaction as the fills.
   */
  afterFills?: (fills: (FillRecorded['payload'] & { seq: number; runId: string })[], marketTs: number) => NewEvent[];
  /** Another process holding the database: how long to wait for it (default: a few seconds). */
  busy?: BusyPolicy;
}

export interface LegResult {
  leg: number;
  parentId: string;
  symbol: string;
  exchange: string;
  side: Leg['side'];
  quantity: number;
  filled: number;
  averagePrice: number;
  outcome: LegOutcome;
  reason?: string;
  clientOrderIds: string[];
  /** A bracket's exits, left working at the broker when the leg ends (README "Order types"). */
  protectiveOrders: { clientOrderId: string; role: ExitRole; status: OrderStatus }[];
}

export interface RunOutcome {
  status: 'completed' | 'incomplete' | 'interrupted';
  reason?: string;
  legs: LegResult[];
}

type WakeReason = 'start' | 'timer' | 'fill' | 'child_done' | 'resume';

/** Cancelling a stopped run: the parents (legs) in scope, the reason recorded, refused cancels per order. */
interface Cancelling {
  scope: Set<string>;
  reason: string;
  failures: Map<string, number>;
}

type Message =
  | { kind: 'broker'; event: BrokerEvent }
  | { kind: 'wake'; parentId: string; reason?: WakeReason }
  | { kind: 'deadline'; parentId: string }
  | { kind: 'poll' }
  | { kind: 'sent'; clientOrderId: string; brokerOrderId?: string; error?: unknown }
  | { kind: 'resolved'; clientOrderId: string; order?: BrokerOrder; trades: BrokerTrade[] }
  | { kind: 'book'; orders: BrokerOrder[]; trades: BrokerTrade[] }
  | { kind: 'cancel-failed'; clientOrderId: string; error: unknown }
  | { kind: 'cancel-checked'; clientOrderId: string; why: string; order?: BrokerOrder }
  | { kind: 'read-failed'; what: string; error: unknown; clientOrderId?: string }
  | { kind: 'stop'; reason: string }
  | { kind: 'drain' };

/**
 * Works a run's parent orders to completion: algorithms decide, the runtime enforces the
 * invariants (never more than the remaining quantity, lot and tick, risk gate, rate limit),
 * records every intent before the broker call, and turns broker updates into order-state and
 * fill events. All input goes through one mailbox processed in order, so state changes are
 * sequential and every one is on disk before it is acted on.
 */
export class ExecutionRuntime {
  private readonly options: RuntimeOptions;
  private readonly parents = new Map<string, ParentOrder>();
  private readonly children = new Map<string, ChildOrder>();
  private readonly byBrokerId = new Map<string, ChildOrder>();
  private readonly orphans = new Map<string, BrokerEvent[]>();
  private readonly throttle: Throttle;
  private readonly quotes: QuoteCache;
  private readonly sendQueue: { parent: ParentOrder; child: ChildOrder }[] = [];
  private mailbox: Message[] = [];
  private wakeMailbox?: () => void;
  private pending = 0;
  private controlSeq = 0;
  private halted?: { reason: string };
  private interrupted?: string;
  /** Set while only cancelling a stopped run's orders (cancelOpen): no decisions, nothing sent but cancels. */
  private cancelling?: Cancelling;
  private drainTimer?: TimerHandle;
  private pollTimer?: TimerHandle;
  private unsubscribe?: () => void;
  private bookReadInFlight = false;
  private outbox: (() => void)[] = [];
  private stepFills: (FillRecorded['payload'] & { seq: number; runId: string })[] = [];
  /** The last market sample recorded per instrument. */
  private readonly lastSample = new Map<string, Quote>();
  /** How long fills reported by an order status may lag behind their trades before we fetch them. */
  private static readonly FILL_GAP_MS = 1_000;

  constructor(private readonly deps: RuntimeDeps) {
    this.options = { ...DEFAULT_RUNTIME_OPTIONS, ...deps.options };
    const rate = deps.broker.capabilities.orderRate;
    this.throttle = new Throttle(deps.clock, rate.perSecond, Math.max(1, Math.floor(rate.perSecond)), rate.perMinute);
    this.quotes = new QuoteCache(deps.broker, deps.clock, this.options.quoteMaxAgeMs);
  }

  /** Starts every leg of a freshly planned run and works them to the end. */
  run(legs: Leg[]): Promise<RunOutcome> {
    return this.stopWhenBusy(() => this.start(legs));
  }

  private async start(legs: Leg[]): Promise<RunOutcome> {
    this.controlSeq = this.lastSeq();
    this.attach();
    this.quotes.watch(legs.map((l) => ({ symbol: l.symbol, exchange: l.exchange })));
    const quotes: Quote[] = [];
    for (const leg of legs) quotes.push(await this.quotes.get(this.instrumentOf(leg)));
    // Every leg starts in one transaction; each leg's events are appended as it starts rather
    // than held until the end (thousands of legs' events would outlive many young-GC cycles).
    await this.commit(() => legs.forEach((leg, i) => this.append(this.startParent(leg, quotes[i]!))));
    this.deps.failpoint?.('parents-started');
    // Through the mailbox, so every leg's first decision commits in one step, not one each.
    for (const parent of this.parents.values()) this.post({ kind: 'wake', parentId: parent.parentId, reason: 'start' });
    return this.loop();
  }

  /**
   * Continues a run after a crash or an interruption: rebuilds state from the events, resolves
   * every order whose outcome is unknown by asking the broker (never by re-sending), re-reads
   * the order book so no fill made while we were away is lost, then continues the schedules.
   */
  resume(legs: Leg[]): Promise<RunOutcome> {
    return this.stopWhenBusy(() => this.continue(legs));
  }

  private async continue(legs: Leg[]): Promise<RunOutcome> {
    this.rebuild(legs);
    this.attach();
    const unresolved = [...this.children.values()].filter((c) => c.status === 'pending_submit' || c.status === 'unknown');
    for (const child of unresolved) this.resolveUnknown(child, 'the process stopped before the broker answered');
    const book = await this.readBook();
    await this.commit(() => {
      this.handleBook(book.orders, book.trades);
      for (const parent of this.parents.values()) {
        if (isOpen(parent.status) || parent.status === 'created') {
          if (parent.status === 'created') this.append(this.parentStatus(parent, 'accepted'));
          // `ptexec resume` continues the run: a leg paused when its process stopped is resumed,
          // as the same command resumes a live one; the pause moved its horizon until now.
          if (parent.paused) this.resumeLeg(parent);
          else {
            this.armDeadline(parent);
            this.wake(parent, 'resume');
          }
        }
      }
    });
    return this.loop();
  }

  /**
   * Nothing can be recorded while another process holds the database, so nothing may be sent
   * either: when the busy policy gives up, the run stops here, resumably (every intent it acted
   * on is already on disk, and the broker is asked about the rest on resume).
   */
  private async stopWhenBusy(work: () => Promise<RunOutcome>): Promise<RunOutcome> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof DatabaseBusyError)) throw err;
      this.detach();
      this.interrupted = `${err.message}; stopped waiting for it. Run ptexec resume ${this.deps.runId} once it has finished`;
      return this.outcome();
    }
  }

  /**
   * Records what the broker did, after the run ended, with the orders it left working (a
   * bracket's exits): fills, status changes, resizes, and exits not yet recorded. Sends nothing.
   */
  async catchUp(legs: Leg[]): Promise<void> {
    this.rebuild(legs);
    const book = await this.readBook();
    await this.completeBook(book, [...this.children.values()].filter((c) => isOpen(c.status)));
    await this.commit(() => this.handleBook(book.orders, book.trades));
  }

  /**
   * Cancels at the broker the open orders of a run that no process is executing (after Ctrl-C,
   * a crash or a halt), through the same machinery as a live cancel: an order whose outcome is
   * unknown is looked up by its client order id first (found: cancelled; absent: recorded as
   * never sent, and not sent), the book is re-read so fills made meanwhile are recorded, then
   * every open order of the leg(s) is cancelled and the broker's answer recorded. No algorithm
   * decides and nothing is sent but cancels. With `endLegs` the legs end `cancelled`
   * (`ptexec cancel`); without, they stay open for `ptexec resume` (the kill switch). Also
   * returns the orders the broker would not cancel.
   */
  async cancelOpen(legs: Leg[], options: { leg?: number; endLegs: boolean; reason: string }): Promise<{ outcome: RunOutcome; stillOpen: string[] }> {
    const outcome = await this.stopWhenBusy(() => this.cancelAll(legs, options));
    const stillOpen = [...this.children.values()].filter((c) => this.mustCancel(c)).map((c) => c.clientOrderId);
    return { outcome, stillOpen };
  }

  private async cancelAll(legs: Leg[], options: { leg?: number; endLegs: boolean; reason: string }): Promise<RunOutcome> {
    this.rebuild(legs);
    const targets = [...this.parents.values()].filter((p) => options.leg === undefined || p.leg.index === options.leg);
    this.cancelling = { scope: new Set(targets.map((p) => p.parentId)), reason: options.reason, failures: new Map() };
    for (const p of targets) {
      if (!options.endLegs || !(isOpen(p.status) || p.status === 'created')) continue;
      p.cancelRequested = true;
      p.lastReason = options.reason;
    }
    this.attach();
    // Every open order of the leg(s) is looked up by our client order id, those whose placement
    // was never answered included; the ones the broker has are cancelled below.
    const book = await this.readBook();
    const gone = await this.completeBook(book, [...this.children.values()].filter((c) => this.cancelling!.scope.has(c.parentId) && isOpen(c.status)));
    await this.commit(() => {
      this.handleBook(book.orders, book.trades);
      for (const child of gone) {
        // Not found yet: looked for again a few times, then recorded as never sent (and not sent).
        if (child.status === 'pending_submit' || child.status === 'unknown') this.resolveUnknown(child, 'the process stopped before the broker answered');
        else if (isOpen(child.status)) this.append(this.childStatus(child, 'expired', { reason: 'no longer at the broker (an order of an earlier day)' }));
      }
      for (const p of targets) {
        if (p.status === 'created') this.append(this.parentStatus(p, 'accepted'));
        for (const c of p.children) this.cancelChild(c, options.reason);
        this.maybeFinishParent(p);
      }
    });
    return this.loop();
  }

  /** While cancelling: an order of the leg(s) still open at the broker (a bracket's exits are left working). */
  private mustCancel(child: ChildOrder): boolean {
    const parent = this.parents.get(child.parentId)!;
    return this.cancelling !== undefined && this.cancelling.scope.has(child.parentId) && isOpen(child.status) && !isProtective(child, parent);
  }

  /**
   * Adds to a read of the order book the orders of `children` it lacks, with their trades: the
   * book is today's, so orders of an earlier day are looked up one by one by our id. Returns the
   * children the broker has no trace of.
   */
  private async completeBook(book: { orders: BrokerOrder[]; trades: BrokerTrade[] }, children: ChildOrder[]): Promise<ChildOrder[]> {
    const inBook = new Set(book.orders.map((o) => o.clientOrderId));
    const gone: ChildOrder[] = [];
    for (const child of children) {
      if (inBook.has(child.clientOrderId)) continue;
      const order = await this.deps.broker.findOrderByClientId(child.clientOrderId);
      if (!order) {
        gone.push(child);
        continue;
      }
      book.orders.push(order);
      book.trades.push(...(await this.deps.broker.trades(order.brokerOrderId)));
    }
    return gone;
  }

  // ── main loop ──────────────────────────────────────────────────────────────

  private attach(): void {
    const unsubscribe = this.deps.broker.subscribe((event) => this.post({ kind: 'broker', event }));
    // A stop signal (Ctrl-C, SIGTERM, SIGHUP) is acted on at once, not at the next poll.
    const signal = this.deps.signal;
    const onAbort = () => this.post({ kind: 'stop', reason: abortReason(signal!) });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    this.unsubscribe = () => {
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    };
    this.schedulePoll();
  }

  private post(message: Message): void {
    this.mailbox.push(message);
    const wake = this.wakeMailbox;
    this.wakeMailbox = undefined;
    wake?.();
  }

  private async loop(): Promise<RunOutcome> {
    try {
      for (;;) {
        const sending = this.commit(() => this.drainSends());
        if (sending) await sending;
        if (this.finished()) break;
        if (!this.mailbox.length) {
          this.deps.log.idle?.();
          await new Promise<void>((resolve) => {
            if (this.mailbox.length) resolve();
            else this.wakeMailbox = resolve;
          });
          // Let the updates already arriving (one I/O callback each) join this step: one commit
          // for many events instead of one per update.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        const batch = this.mailbox;
        this.mailbox = [];
        const stepping = this.commit(() => {
          for (const message of batch) this.handle(message);
          this.drainSends();
        });
        if (stepping) await stepping;
      }
    } finally {
      this.detach();
    }
    return this.outcome();
  }

  /** Stops listening to the broker and clears every timer of the run. */
  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.pollTimer) this.deps.clock.clearTimeout(this.pollTimer);
    if (this.drainTimer) this.deps.clock.clearTimeout(this.drainTimer);
    for (const p of this.parents.values()) {
      if (p.wakeTimer) this.deps.clock.clearTimeout(p.wakeTimer);
      if (p.deadlineTimer) this.deps.clock.clearTimeout(p.deadlineTimer);
    }
  }

  /**
   * One engine step: its events commit in one transaction, and only then do the broker calls it
   * decided on (placements, cancels) leave the process — an intent is always on disk first.
   */
  private step(work: () => void): void {
    try {
      this.deps.log.transaction(() => {
        work();
        this.bookFills();
      });
    } catch (err) {
      this.outbox = [];
      throw err;
    }
    const calls = this.outbox;
    this.outbox = [];
    for (const call of calls) call();
  }

  /**
   * A step committed once the database is free: while another process holds it, the step waits
   * as the busy policy allows and is made again (it never began, so nothing of it happened).
   * Synchronous in the common case; throws DatabaseBusyError when the policy gives up.
   */
  private commit(work: () => void): void | Promise<void> {
    return writeWhenFree(() => this.step(work), this.deps.clock, this.deps.busy, this.deps.signal);
  }

  /**
   * Queues a broker call for after the current step commits; `pending` counts it from now. The
   * call resolves to the message that reports its outcome (it maps its own errors).
   */
  private dispatch(call: () => Promise<Message>): void {
    this.pending++;
    this.outbox.push(() => {
      void call().then((message) => {
        this.pending--;
        this.post(message);
      });
    });
  }

  private finished(): boolean {
    if (this.pending > 0) return false;
    const parents = [...this.parents.values()];
    if (this.halted || this.interrupted) {
      // Stop once nothing is in flight: open orders stay at the broker unless a cancel was asked
      // for, in which case wait for the broker to confirm it.
      return [...this.children.values()].every((c) => c.status !== 'pending_cancel' && c.status !== 'pending_submit');
    }
    if (this.cancelling) {
      // Done once every open order of the leg(s) has ended, or the broker refused to cancel it.
      const { failures } = this.cancelling;
      return [...this.children.values()].every((c) => !this.mustCancel(c) || (failures.get(c.clientOrderId) ?? 0) >= MAX_CANCEL_ATTEMPTS);
    }
    return parents.every((p) => !isOpen(p.status) && p.status !== 'created');
  }

  private handle(message: Message): void {
    switch (message.kind) {
      case 'broker':
        return this.handleBrokerEvent(message.event);
      case 'wake': {
        const parent = this.parents.get(message.parentId);
        if (parent) {
          if (!message.reason) parent.wakeTimer = undefined;
          this.wake(parent, message.reason ?? 'timer');
        }
        return;
      }
      case 'deadline':
        return this.onDeadline(message.parentId);
      case 'poll':
        return this.onPoll();
      case 'sent':
        return this.onSent(message.clientOrderId, message.brokerOrderId, message.error);
      case 'resolved':
        return this.onResolved(message.clientOrderId, message.order, message.trades);
      case 'book':
        return this.handleBook(message.orders, message.trades);
      case 'cancel-failed':
        return this.onCancelFailed(message.clientOrderId, message.error);
      case 'cancel-checked':
        return this.onCancelChecked(message.clientOrderId, message.why, message.order);
      case 'read-failed':
        return this.onReadFailed(message.what, message.error, message.clientOrderId);
      case 'stop':
        return this.interrupt(message.reason);
      case 'drain':
        this.drainTimer = undefined;
        return;
    }
  }

  // ── parents and algorithms ────────────────────────────────────────────────

  private startParent(leg: Leg, quote: Quote): NewEvent[] {
    const { clock, runId, broker } = this.deps;
    const parentId = parentOrderId(runId, leg.index);
    const factory = algorithms[leg.execution.algo];
    if (!factory) throw new BrokerError('input', `unknown algorithm "${leg.execution.algo}"`, broker.id);
    const instrument = this.instrumentOf(leg);
    const now = clock.now();
    const arrivalPrice = Math.round(mid(quote));
    const parent: ParentOrder = {
      parentId,
      leg,
      instrument,
      status: 'created',
      algo: factory(leg.execution, { leg, instrument, startAt: now }),
      children: [],
      filled: 0,
      filledValue: 0,
      startedAt: now,
      deadline: now + this.horizonOf(leg),
      arrivalPrice,
      volumeAtStart: quote.volume,
      algoDone: false,
      paused: false,
      pausedMs: 0,
      cancelRequested: false,
      rejections: 0,
    };
    this.parents.set(parentId, parent);
    this.armDeadline(parent);
    const created: OrderCreated['payload'] = {
      clientOrderId: parentId,
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
    return [this.event('order.created', created), ...this.parentStatus(parent, 'accepted'), ...this.sampleIfNew(leg, quote)];
  }

  /**
   * The runtime's own backstop: market and limit legs stop at their horizon; scheduled
   * algorithms clean up at theirs, so the backstop leaves them a grace period to finish it.
   */
  private horizonOf(leg: Leg): number {
    const simple = leg.execution.algo === 'market' || leg.execution.algo === 'limit';
    const raw = leg.execution.params['duration'];
    const horizon = typeof raw === 'string' ? parseDuration(raw) : typeof raw === 'number' ? raw * 1000 : simple ? this.options.defaultHorizonMs : DEFAULT_DURATION_MS;
    return simple ? horizon : horizon + Math.max(CLEANUP_GRACE_MS, horizon / 10);
  }

  private armDeadline(parent: ParentOrder): void {
    const delay = Math.max(0, parent.deadline - this.deps.clock.now());
    parent.deadlineTimer = this.deps.clock.setTimeout(() => this.post({ kind: 'deadline', parentId: parent.parentId }), delay);
  }

  private wake(parent: ParentOrder, reason: WakeReason): void {
    if (!isOpen(parent.status) || parent.paused || parent.cancelRequested || this.halted || this.interrupted || this.cancelling) return;
    if (parent.algoDone) return this.maybeFinishParent(parent);
    if (parent.filled >= parent.leg.quantity) return this.maybeFinishParent(parent);
    const instrument = parent.instrument;
    const quote = this.quotes.peek(instrument);
    if (!quote) {
      // No quote yet (a resumed run): fetch it and take the same decision when it arrives.
      this.pending++;
      this.quotes
        .get(instrument)
        .catch(() => undefined)
        .finally(() => {
          this.pending--;
          this.post({ kind: 'wake', parentId: parent.parentId, reason });
        });
      return;
    }
    this.quotes.refresh(instrument);
    const now = this.deps.clock.now();
    this.maybeSample(parent.leg, quote);
    // The algorithm works on the leg's schedule clock, which stood still while the leg was paused.
    const decision = parent.algo!.decide(
      {
        parentId: parent.parentId,
        leg: parent.leg,
        instrument,
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
    const why = decision.cancelReason === 'horizon' ? CANCEL_REASON.horizon : CANCEL_REASON.nextSlice;
    for (const id of decision.cancel ?? []) {
      const child = this.children.get(id);
      if (child && child.parentId === parent.parentId) this.cancelChild(child, why);
    }
    for (const intent of decision.place ?? []) this.placeChild(parent, intent, quote);
    if (decision.wakeAt !== undefined) {
      if (parent.wakeTimer) this.deps.clock.clearTimeout(parent.wakeTimer);
      const at = decision.wakeAt + parent.pausedMs;
      parent.wakeTimer = this.deps.clock.setTimeout(() => this.post({ kind: 'wake', parentId: parent.parentId }), Math.max(0, at - now));
    }
    if (decision.done) {
      parent.algoDone = true;
      this.maybeFinishParent(parent);
    }
  }

  private placeChild(parent: ParentOrder, intent: ChildIntent, quote: Quote): void {
    const { runId, broker, clock } = this.deps;
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
    if (intent.orderClass) Object.assign(request, { orderClass: intent.orderClass, takeProfit: intent.takeProfit, stopLoss: intent.stopLoss });
    const child = newChild(parent, request, seq, clock.now());
    this.children.set(clientOrderId, child);
    parent.lastPlacedAt = child.scheduledAt;
    const created = this.event('order.created', childCreatedPayload(parent, request, broker));
    this.append([created]);
    this.sendQueue.push({ parent, child });
  }

  /** Sends queued children as fast as the broker's rate limit allows. */
  private drainSends(): void {
    while (this.sendQueue.length) {
      if (this.halted || this.interrupted) {
        for (const { parent, child } of this.sendQueue.splice(0)) {
          this.append(this.childStatus(child, 'cancelled', { reason: this.halted ? 'not sent: kill switch' : 'not sent: interrupted' }));
          this.maybeFinishParent(parent);
        }
        return;
      }
      const wait = this.throttle.take();
      if (wait > 0) return this.drainLater(wait);
      const { parent, child } = this.sendQueue[0]!;
      const check = this.checkBeforeSend(parent, child);
      if (check.retryAt !== undefined) return this.drainLater(Math.max(1, check.retryAt - this.deps.clock.now()));
      if (check.halted) {
        // The switch was pulled since the last poll: stop the run resumably, as the poll would,
        // instead of rejecting the leg (a rejected leg is never sent again).
        this.append(check.events);
        this.haltSending(check.halted);
        continue;
      }
      this.sendQueue.shift();
      if (check.blocked) {
        const reason = `blocked by risk: ${check.blocked}`;
        this.append([...check.events, ...this.childStatus(child, 'rejected', { reason })]);
        parent.rejections++;
        parent.lastReason = reason;
        this.alert('warn', 'risk', `${parent.leg.symbol}: ${reason}`, parent.leg.index);
        // The algorithm must not keep producing orders the gate refuses: the leg stops here.
        parent.algoDone = true;
        this.maybeFinishParent(parent);
        continue;
      }
      this.send(child, check.events);
    }
  }

  private drainLater(ms: number): void {
    if (!this.drainTimer) this.drainTimer = this.deps.clock.setTimeout(() => this.post({ kind: 'drain' }), ms);
  }

  /**
   * The pre-trade gate, just before the order leaves (DESIGN: every order, parent or child). A
   * block on the order rate alone is a wait, not a refusal.
   */
  private checkBeforeSend(parent: ParentOrder, child: ChildOrder): { blocked?: string; halted?: { reason?: string }; retryAt?: number; events: NewEvent[] } {
    const guard = this.deps.guard;
    if (!guard) return { events: [] };
    const instrument = parent.instrument;
    const now = this.deps.clock.now();
    const verdict = guard.checkOrder(child.request, { runId: this.deps.runId, parentId: parent.parentId, leg: parent.leg, instrument, quote: this.quotes.peek(instrument), now });
    if (verdict.verdict !== 'block') return { events: verdict.events ?? [] };
    if (verdict.retryAt !== undefined && verdict.reasons.every((r) => r.rule === 'order_rate')) return { retryAt: verdict.retryAt, events: [] };
    if (verdict.reasons.some((r) => r.rule === 'kill_switch')) return { halted: this.deps.halt?.isHalted() ?? {}, events: verdict.events ?? [] };
    return { blocked: verdict.reasons.map((r) => r.message).join('; '), events: verdict.events ?? [] };
  }

  /** The intent is on disk before the request leaves; the outcome comes back through the mailbox. */
  private send(child: ChildOrder, riskEvents: NewEvent[] = []): void {
    this.append([...riskEvents, ...this.childStatus(child, 'pending_submit')]);
    this.dispatch(() => {
      this.deps.failpoint?.('order-intent-recorded');
      return this.deps.broker.placeOrder(child.request).then(
        (r): Message => ({ kind: 'sent', clientOrderId: child.clientOrderId, brokerOrderId: r.brokerOrderId }),
        (error: unknown): Message => ({ kind: 'sent', clientOrderId: child.clientOrderId, error }),
      );
    });
  }

  private onSent(clientOrderId: string, brokerOrderId: string | undefined, error: unknown): void {
    const child = this.children.get(clientOrderId)!;
    const parent = this.parents.get(child.parentId)!;
    if (brokerOrderId) {
      this.deps.failpoint?.('order-acknowledged');
      this.bindBrokerId(child, brokerOrderId);
      if (child.status === 'pending_submit' || child.status === 'unknown') this.append(this.childStatus(child, 'accepted', { brokerOrderId }));
      else this.append(this.childStatus(child, child.status, { brokerOrderId }));
      return this.replayOrphans(brokerOrderId);
    }
    if (isBrokerError(error, 'rate_limited')) {
      // Refused before it was accepted: the same id is safe to send again after a pause.
      this.append(this.childStatus(child, 'unknown', { reason: error.message }));
      this.alert('warn', 'broker', `${child.request.symbol}: rate-limited, retrying`, child.leg);
      return this.resolveUnknown(child, 'rate-limited', error.details.retryAfterMs ?? 1000);
    }
    if (isBrokerError(error) && (error.kind === 'unknown_outcome' || error.kind === 'unavailable' || error.kind === 'protocol')) {
      this.append(this.childStatus(child, 'unknown', { reason: error.message }));
      this.alert('warn', 'broker', `${child.request.symbol}: ${error.message}; checking the order book before any re-send`, child.leg);
      return this.resolveUnknown(child, error.message);
    }
    if (isBrokerError(error, 'auth')) {
      this.append(this.childStatus(child, 'unknown', { reason: error.message }));
      this.interrupt(this.loginHint(error));
      return;
    }
    const reason = error instanceof Error ? error.message : String(error);
    this.append(this.childStatus(child, 'rejected', { reason }));
    this.noteRejection(parent, reason);
    this.alert('error', 'broker', `${child.request.symbol}: order rejected: ${reason}`, child.leg);
    this.wake(parent, 'child_done');
    this.maybeFinishParent(parent);
  }

  /**
   * An order whose fate we don't know is looked up by our client order id. Found → adopt it.
   * Absent after several looks → it never arrived, and only then may the same order be sent again.
   */
  private resolveUnknown(child: ChildOrder, why: string, firstDelayMs = 0): void {
    const { broker, clock } = this.deps;
    this.pending++;
    const attempt = async (): Promise<{ order?: BrokerOrder; trades: BrokerTrade[] }> => {
      if (firstDelayMs) await clock.sleep(firstDelayMs);
      for (let i = 0; i < this.options.lookupAttempts; i++) {
        try {
          const order = await broker.findOrderByClientId(child.clientOrderId);
          if (order) return { order, trades: order.filledQuantity > 0 ? await broker.trades(order.brokerOrderId) : [] };
          if (i === this.options.lookupAttempts - 1) return { trades: [] };
        } catch (err) {
          if (isBrokerError(err, 'auth')) throw err;
        }
        await clock.sleep(this.options.lookupDelayMs * 2 ** i);
      }
      throw new BrokerError('unavailable', `could not reach ${broker.id} to resolve order ${child.clientOrderId} (${why})`, broker.id);
    };
    attempt().then(
      (r) => {
        this.pending--;
        this.post({ kind: 'resolved', clientOrderId: child.clientOrderId, order: r.order, trades: r.trades });
      },
      (err: unknown) => {
        this.pending--;
        this.post({ kind: 'stop', reason: `${err instanceof Error ? err.message : String(err)}; run ptexec resume ${this.deps.runId} when the broker is back` });
      },
    );
  }

  private onResolved(clientOrderId: string, order: BrokerOrder | undefined, trades: BrokerTrade[]): void {
    const child = this.children.get(clientOrderId)!;
    const parent = this.parents.get(child.parentId)!;
    if (order) {
      this.bindBrokerId(child, order.brokerOrderId);
      if (child.status === 'pending_submit' || child.status === 'unknown') this.append(this.childStatus(child, 'accepted', { brokerOrderId: order.brokerOrderId, reason: 'found at the broker' }));
      for (const t of trades) this.recordTrade(child, t);
      this.applyOrder(child, order);
      // Found working for a leg that is being cancelled: it is cancelled like the leg's others.
      if (parent.cancelRequested || this.cancelling) this.cancelChild(child, this.cancelling?.reason ?? 'cancelled by the user');
      return this.replayOrphans(order.brokerOrderId);
    }
    if (child.status !== 'pending_submit' && child.status !== 'unknown') return;
    if (this.halted || this.interrupted || parent.cancelRequested || this.cancelling) {
      this.append(this.childStatus(child, 'cancelled', { reason: 'never reached the broker; not re-sent' }));
      return this.maybeFinishParent(parent);
    }
    // Confirmed absent: re-sending the same client order id cannot duplicate it.
    if (child.status === 'pending_submit') this.append(this.childStatus(child, 'unknown', { reason: 'not found at the broker' }));
    this.alert('info', 'broker', `${child.request.symbol}: order ${child.clientOrderId} never reached the broker; sending it again`, child.leg);
    this.sendQueue.push({ parent, child });
  }

  // ── broker updates ─────────────────────────────────────────────────────────

  private handleBrokerEvent(event: BrokerEvent): void {
    switch (event.type) {
      case 'order': {
        const child = this.childFor(event.order.clientOrderId, event.order.brokerOrderId) ?? this.adoptExit(event.order);
        if (!child) return this.stashOrphan(event.order.brokerOrderId, event);
        return this.applyOrder(child, event.order);
      }
      case 'trade': {
        const child = this.childFor(event.trade.clientOrderId, event.trade.brokerOrderId);
        if (!child) return this.stashOrphan(event.trade.brokerOrderId, event);
        return this.recordTrade(child, event.trade);
      }
      case 'resync':
        this.alert('info', 'broker', `${this.deps.broker.id}: ${event.reason}; re-reading the order book`);
        return this.requestBook();
      case 'disconnected':
        return this.alert('warn', 'broker', `${this.deps.broker.id}: update stream disconnected (${event.reason}); reconnecting`);
      case 'error':
        return this.alert('error', 'broker', `${this.deps.broker.id}: ${event.error.message}`);
    }
  }

  private childFor(clientOrderId: string | undefined, brokerOrderId: string | undefined): ChildOrder | undefined {
    return (clientOrderId ? this.children.get(clientOrderId) : undefined) ?? (brokerOrderId ? this.byBrokerId.get(brokerOrderId) : undefined);
  }

  private stashOrphan(brokerOrderId: string | undefined, event: BrokerEvent): void {
    if (!brokerOrderId) return;
    const list = this.orphans.get(brokerOrderId) ?? [];
    list.push(event);
    this.orphans.set(brokerOrderId, list);
  }

  private replayOrphans(brokerOrderId: string): void {
    const list = this.orphans.get(brokerOrderId);
    if (!list) return;
    this.orphans.delete(brokerOrderId);
    for (const event of list) this.handleBrokerEvent(event);
  }

  private bindBrokerId(child: ChildOrder, brokerOrderId: string): void {
    child.brokerOrderId = brokerOrderId;
    this.byBrokerId.set(brokerOrderId, child);
  }

  /** Records a fill exactly once (by trade id), then moves the order and wakes its algorithm. */
  private recordTrade(child: ChildOrder, trade: BrokerTrade): void {
    if (child.tradeIds.has(trade.tradeId)) return;
    this.deps.failpoint?.('fill-received');
    const parent = this.parents.get(child.parentId)!;
    if (!child.brokerOrderId) this.bindBrokerId(child, trade.brokerOrderId);
    child.tradeIds.add(trade.tradeId);
    child.filled += trade.quantity;
    child.filledValue += trade.quantity * trade.price;
    child.lastUpdateAt = this.deps.clock.now();
    if (countsForLeg(child, parent)) {
      parent.filled += trade.quantity;
      parent.filledValue += trade.quantity * trade.price;
    }
    const fill: FillRecorded['payload'] = {
      clientOrderId: child.clientOrderId,
      tradeId: trade.tradeId,
      brokerOrderId: trade.brokerOrderId,
      broker: this.deps.broker.id,
      account: this.deps.broker.account,
      symbol: child.request.symbol,
      exchange: child.request.exchange,
      side: child.request.side,
      quantity: trade.quantity,
      price: trade.price,
      ts: trade.ts,
    };
    // The trade's own time is in the payload; the event carries when the engine recorded it.
    const events: NewEvent[] = [this.event('fill.recorded', fill)];
    const next: OrderStatus = child.filled >= child.request.quantity ? 'filled' : 'partially_filled';
    if (child.status !== next && canTransition(child.status, next)) events.push(...this.childStatus(child, next));
    if (child.filled > child.request.quantity) {
      events.push(this.event('run.alert', { level: 'error', source: 'engine', message: `${child.clientOrderId}: broker reported ${child.filled} filled of ${child.request.quantity}`, leg: child.leg }));
    }
    this.append(events);
    this.deps.failpoint?.('fill-recorded');
    if (!isOpen(child.status)) this.wake(parent, 'child_done');
    else this.wake(parent, 'fill');
    this.maybeFinishParent(parent);
  }

  private applyOrder(child: ChildOrder, order: BrokerOrder): void {
    const parent = this.parents.get(child.parentId)!;
    if (!child.brokerOrderId) this.bindBrokerId(child, order.brokerOrderId);
    child.lastUpdateAt = this.deps.clock.now();
    if (order.quantity !== child.request.quantity && (child.request.orderClass || child.exitOf)) this.recordResize(child, parent, order.quantity);
    if (order.filledQuantity > child.filled) {
      // The status says more filled than the fills we hold. The trades usually follow on the
      // stream; if they have not arrived by the next poll, they are fetched (see onPoll).
      child.reportedFilled = Math.max(child.reportedFilled ?? 0, order.filledQuantity);
      child.fillGapSince ??= this.deps.clock.now();
    }
    let target = order.status;
    // Fill-driven statuses come from fills, so the filled quantity is always backed by trades.
    if (target === 'filled' || target === 'partially_filled') {
      if (child.filled >= child.request.quantity) target = 'filled';
      else if (child.filled > 0) target = 'partially_filled';
      else target = 'accepted';
    }
    if (target === child.status || !canTransition(child.status, target)) return;
    const wasOpen = isOpen(child.status);
    // A cancel we asked for keeps its cause (even when a fill came in while it was on its way);
    // the broker's words for it are in brokerStatus.
    const reason = target === 'cancelled' && child.cancelReason ? child.cancelReason : order.statusMessage;
    this.append(this.childStatus(child, target, { brokerOrderId: order.brokerOrderId, reason, brokerStatus: order.brokerStatus }));
    if (target === 'rejected') {
      this.noteRejection(parent, reason ?? 'rejected by the broker');
      this.alert('error', 'broker', `${child.request.symbol}: order rejected${reason ? `: ${reason}` : ''}`, child.leg);
    }
    if (wasOpen && !isOpen(target)) {
      this.wake(parent, 'child_done');
      this.maybeFinishParent(parent);
    }
  }

  private fetchTrades(child: ChildOrder): void {
    if (!child.brokerOrderId) return;
    this.pending++;
    this.deps.broker.trades(child.brokerOrderId).then(
      (trades) => {
        this.pending--;
        this.post({ kind: 'book', orders: [], trades });
      },
      (error: unknown) => {
        this.pending--;
        this.post({ kind: 'read-failed', what: `trades of ${child.clientOrderId}`, error, clientOrderId: child.clientOrderId });
      },
    );
  }

  private handleBook(orders: BrokerOrder[], trades: BrokerTrade[]): void {
    // Exit legs the broker placed while we were not listening are recorded before their trades.
    for (const o of orders) if (!this.childFor(o.clientOrderId, o.brokerOrderId)) this.adoptExit(o);
    for (const t of trades) {
      const child = this.childFor(t.clientOrderId, t.brokerOrderId);
      if (child) this.recordTrade(child, t);
    }
    for (const o of orders) {
      const child = this.childFor(o.clientOrderId, o.brokerOrderId);
      if (!child) continue;
      this.applyOrder(child, o);
      // A book read is already the catch-up path: fetch missing trades at once.
      if (child.fillGapSince !== undefined && child.filled < (child.reportedFilled ?? 0)) {
        child.fillGapSince = undefined;
        this.fetchTrades(child);
      }
    }
  }

  private async readBook(): Promise<{ orders: BrokerOrder[]; trades: BrokerTrade[] }> {
    const [orders, trades] = await Promise.all([this.deps.broker.orders(), this.deps.broker.trades()]);
    return { orders, trades };
  }

  /**
   * Re-reads the order book (after a reconnect, or when live orders have been silent). Orders
   * whose filled quantity is ahead of our fills then get their own trades fetched.
   */
  private requestBook(): void {
    if (this.bookReadInFlight) return;
    this.bookReadInFlight = true;
    this.pending++;
    this.deps.broker.orders().then(
      (orders) => {
        this.pending--;
        this.bookReadInFlight = false;
        this.post({ kind: 'book', orders, trades: [] });
      },
      (error: unknown) => {
        this.pending--;
        this.bookReadInFlight = false;
        this.post({ kind: 'read-failed', what: 'the order book', error });
      },
    );
  }

  // ── cancels, deadlines, controls ──────────────────────────────────────────

  private cancelChild(child: ChildOrder, reason: string): void {
    if (!isOpen(child.status) || child.status === 'pending_cancel' || !cancellable(child, this.children)) return;
    if (!child.brokerOrderId || child.status === 'pending_submit' || child.status === 'unknown') return;
    child.cancelReason = reason;
    this.append(this.childStatus(child, 'pending_cancel', { reason }));
    const brokerOrderId = child.brokerOrderId;
    this.dispatch(() =>
      this.deps.broker.cancelOrder(brokerOrderId).then(
        (): Message => ({ kind: 'drain' }),
        (error: unknown): Message => ({ kind: 'cancel-failed', clientOrderId: child.clientOrderId, error }),
      ),
    );
  }

  /** A cancel the broker refused, or an order still open after one, is tried again (a few times). */
  private retryCancels(cancelling: Cancelling): void {
    for (const c of this.children.values()) {
      if (this.mustCancel(c) && c.status !== 'pending_cancel' && (cancelling.failures.get(c.clientOrderId) ?? 0) < MAX_CANCEL_ATTEMPTS) this.cancelChild(c, cancelling.reason);
    }
  }

  /**
   * A refused cancel is most often routine: the order filled or ended while the cancel was on its
   * way. Only the broker knows which, so it is asked before anything is said; an order that had
   * ended is recorded as such (info), one still working is an alert.
   */
  private onCancelFailed(clientOrderId: string, error: unknown): void {
    const child = this.children.get(clientOrderId)!;
    const why = error instanceof Error ? error.message : String(error);
    if (isBrokerError(error, 'auth')) {
      this.cancelFailed(child, why, 'the order may still be working at the broker');
      return this.interrupt(this.loginHint(error));
    }
    if (!isOpen(child.status)) return this.lateCancel(child, child.status);
    this.dispatch(() =>
      this.deps.broker.findOrderByClientId(child.clientOrderId).then(
        (order): Message => ({ kind: 'cancel-checked', clientOrderId, why, order }),
        (): Message => ({ kind: 'cancel-checked', clientOrderId, why }),
      ),
    );
  }

  private onCancelChecked(clientOrderId: string, why: string, order: BrokerOrder | undefined): void {
    const child = this.children.get(clientOrderId)!;
    if (order && !isOpen(order.status)) {
      this.applyOrder(child, order);
      if (child.fillGapSince !== undefined) {
        // It filled: its trades are fetched now rather than at the next poll.
        child.fillGapSince = undefined;
        this.fetchTrades(child);
      }
      return this.lateCancel(child, order.status);
    }
    if (!isOpen(child.status)) return this.lateCancel(child, child.status);
    if (order) return this.cancelFailed(child, why, 'it is still working at the broker');
    this.cancelFailed(child, why, 'could not check it at the broker; re-reading the order book');
    this.requestBook();
  }

  /** The cancel arrived after the order had ended: nothing to cancel, nothing to alert about. */
  private lateCancel(child: ChildOrder, status: OrderStatus): void {
    const ended = status === 'filled' ? 'filled' : status === 'expired' ? 'expired' : `been ${status}`;
    this.alert('info', 'broker', `${child.request.symbol}: ${child.clientOrderId} had already ${ended} when its cancel arrived; nothing to cancel`, child.leg);
  }

  /** The order is still working at the broker as far as we know: say so, so nothing waits on a cancel that will not come. */
  private cancelFailed(child: ChildOrder, why: string, state: string): void {
    child.cancelReason = undefined;
    this.cancelling?.failures.set(child.clientOrderId, (this.cancelling.failures.get(child.clientOrderId) ?? 0) + 1);
    if (child.status === 'pending_cancel') this.append(this.childStatus(child, child.filled > 0 ? 'partially_filled' : 'accepted', { reason: cancelFailedReason(why) }));
    this.alert('warn', 'broker', `${child.request.symbol}: cancel of ${child.clientOrderId} failed (${why}); ${state}`, child.leg);
  }

  /** A failed read is retried by the next poll; a lost login stops the run (it is resumable). */
  private onReadFailed(what: string, error: unknown, clientOrderId?: string): void {
    if (isBrokerError(error, 'auth')) return this.interrupt(this.loginHint(error));
    const child = clientOrderId ? this.children.get(clientOrderId) : undefined;
    if (child && child.filled < (child.reportedFilled ?? 0)) child.fillGapSince ??= this.deps.clock.now();
    this.alert('warn', 'broker', `reading ${what} failed (${error instanceof Error ? error.message : String(error)}); retrying`);
  }

  private loginHint(error: BrokerError): string {
    return `${error.broker}: ${error.message}; log in again (ptexec brokers login ${error.broker}) and run ptexec resume ${this.deps.runId}`;
  }

  private onDeadline(parentId: string): void {
    const parent = this.parents.get(parentId);
    // A paused leg's deadline moves with the pause; it is armed again when the leg resumes.
    if (!parent || !isOpen(parent.status) || parent.paused) return;
    parent.algoDone = true;
    parent.lastReason = CANCEL_REASON.horizon;
    for (const child of parent.children) this.cancelChild(child, CANCEL_REASON.horizon);
    this.maybeFinishParent(parent);
  }

  /** Repeated rejections stop the leg: an algorithm must not keep sending what the broker refuses. */
  private noteRejection(parent: ParentOrder, reason: string): void {
    parent.rejections++;
    parent.lastReason = reason;
    if (parent.rejections >= MAX_REJECTIONS_PER_LEG) {
      parent.algoDone = true;
      parent.lastReason = `stopped after ${parent.rejections} rejections; last: ${reason}`;
    }
  }

  private maybeFinishParent(parent: ParentOrder): void {
    if (!isOpen(parent.status)) return;
    const open = parent.children.some((c) => isOpen(c.status) && !isProtective(c, parent)) || awaitingProtection(parent);
    let to: OrderStatus | undefined;
    if (parent.filled >= parent.leg.quantity && !open) to = 'filled';
    else if ((parent.algoDone || parent.cancelRequested) && !open && !this.sendQueue.some((q) => q.parent === parent)) to = parent.cancelRequested ? 'cancelled' : legOutcome(parent) === 'rejected' ? 'cancelled' : 'expired';
    if (!to) return;
    if (parent.wakeTimer) this.deps.clock.clearTimeout(parent.wakeTimer);
    const quote = this.quotes.peek(parent.instrument);
    const events = this.parentStatus(parent, to, parent.lastReason);
    if (quote) events.push(...this.sampleIfNew(parent.leg, quote));
    this.append(events);
  }

  private onPoll(): void {
    this.pollTimer = undefined;
    const halt = this.deps.halt?.isHalted();
    // Cancelling a stopped run sends nothing the kill switch could stop.
    if (halt?.halted && !this.cancelling) this.haltSending(halt);
    if (this.deps.signal?.aborted && !this.interrupted) this.interrupt(abortReason(this.deps.signal));
    this.readControls();
    if (this.cancelling) this.retryCancels(this.cancelling);
    const now = this.deps.clock.now();
    let stale = false;
    for (const c of this.children.values()) {
      if (c.fillGapSince !== undefined) {
        if (c.filled >= (c.reportedFilled ?? 0)) c.fillGapSince = undefined;
        else if (now - c.fillGapSince >= ExecutionRuntime.FILL_GAP_MS) {
          c.fillGapSince = undefined;
          this.fetchTrades(c);
        }
      }
      if (isOpen(c.status) && c.brokerOrderId && now - c.lastUpdateAt > this.options.staleOrderMs) stale = true;
      // A filled bracket entry whose exits have not been reported: look for them in the book.
      if (c.request.orderClass === 'bracket' && !isOpen(c.status) && now - c.lastUpdateAt > this.options.staleOrderMs && awaitingProtection(this.parents.get(c.parentId)!)) {
        c.lastUpdateAt = now;
        stale = true;
      }
    }
    if (stale) {
      for (const c of this.children.values()) if (isOpen(c.status)) c.lastUpdateAt = now;
      this.requestBook();
    }
    if (!this.finished()) this.schedulePoll();
  }

  private haltSending(halt: { reason?: string; cancelOpen?: boolean }): void {
    if (this.halted) return;
    this.halted = { reason: halt.reason ?? 'kill switch' };
    this.alert('error', 'risk', `kill switch engaged${halt.reason ? `: ${halt.reason}` : ''}; no new orders`);
    if (halt.cancelOpen) for (const c of this.children.values()) this.cancelChild(c, CANCEL_REASON.killSwitch);
  }

  private schedulePoll(): void {
    if (!this.pollTimer) this.pollTimer = this.deps.clock.setTimeout(() => this.post({ kind: 'poll' }), this.options.pollMs);
  }

  private readControls(): void {
    // Read first: a control appended after this point gets a later number than `newest`.
    const newest = this.deps.log.lastSeq();
    const controls = this.deps.log.events({ runId: this.deps.runId, afterSeq: this.controlSeq, types: ['run.control'] });
    // The next poll looks only at what comes after: without this, every poll would scan the
    // run's whole log since its start (it grows by every order event).
    this.controlSeq = Math.max(this.controlSeq, newest);
    for (const e of controls) {
      this.controlSeq = Math.max(this.controlSeq, e.seq);
      const { action, leg } = e.payload as { action: 'pause' | 'resume' | 'cancel'; leg?: number };
      const targets = [...this.parents.values()].filter((p) => leg === undefined || p.leg.index === leg);
      for (const p of targets) {
        if (!isOpen(p.status)) continue;
        if (action === 'pause') this.pauseLeg(p);
        if (action === 'resume') this.resumeLeg(p);
        if (action === 'cancel') {
          p.cancelRequested = true;
          p.lastReason = CANCEL_REASON.user;
          for (const c of p.children) this.cancelChild(c, CANCEL_REASON.user);
          this.maybeFinishParent(p);
        }
      }
      if (leg === undefined && (action === 'pause' || action === 'resume')) {
        this.append([this.event('run.status', { status: action === 'pause' ? 'paused' : 'running', reason: `${action} requested` })]);
      }
    }
  }

  /**
   * A paused leg sends nothing, and its schedule and horizon stand still: its deadline is not
   * armed until it resumes. Its open orders stay at the broker.
   */
  private pauseLeg(parent: ParentOrder): void {
    if (parent.paused) return;
    parent.paused = true;
    parent.pausedAt = this.deps.clock.now();
    if (parent.deadlineTimer) this.deps.clock.clearTimeout(parent.deadlineTimer);
    if (parent.wakeTimer) this.deps.clock.clearTimeout(parent.wakeTimer);
    parent.deadlineTimer = parent.wakeTimer = undefined;
    const payload: LegPaused['payload'] = { leg: parent.leg.index, clientOrderId: parent.parentId };
    this.append([this.event('leg.paused', payload)]);
  }

  /** The pause's length moves the leg's deadline and schedule; the algorithm carries on where it stopped. */
  private resumeLeg(parent: ParentOrder): void {
    if (!parent.paused) return;
    const now = this.deps.clock.now();
    const pausedMs = Math.max(0, now - (parent.pausedAt ?? now));
    this.endPause(parent, pausedMs);
    this.armDeadline(parent);
    const payload: LegResumed['payload'] = { leg: parent.leg.index, clientOrderId: parent.parentId, pausedMs, totalPausedMs: parent.pausedMs, deadline: parent.deadline };
    this.append([this.event('leg.resumed', payload)]);
    this.wake(parent, 'resume');
  }

  private endPause(parent: ParentOrder, pausedMs: number): void {
    parent.paused = false;
    parent.pausedAt = undefined;
    parent.pausedMs += pausedMs;
    parent.deadline += pausedMs;
  }

  private interrupt(reason: string): void {
    if (this.interrupted) return;
    this.interrupted = reason;
    this.alert('error', 'engine', reason);
  }

  // ── exit legs of linked orders (see linked-exits.ts) ──────────────────────

  /**
   * Records an exit leg the broker placed for one of our bracket or OCO orders, the first time
   * the broker reports it: a child of the leg, created and accepted with the broker's id, then
   * moved on by the report itself. Returns undefined for an order that is not such a leg.
   */
  private adoptExit(order: BrokerOrder): ChildOrder | undefined {
    const linked = exitLegOf(order.clientOrderId, this.children);
    if (!linked) return undefined;
    const { entry, role } = linked;
    const parent = this.parents.get(entry.parentId)!;
    const request = exitRequest(entry.request, role, order.clientOrderId!, order.quantity);
    const child = newChild(parent, request, parent.children.length + 1, this.deps.clock.now(), { exitOf: entry.clientOrderId, exitRole: role });
    this.children.set(child.clientOrderId, child);
    this.append([this.event('order.created', { ...childCreatedPayload(parent, request, this.deps.broker), exitOf: entry.clientOrderId, exitRole: role }), ...this.childStatus(child, 'accepted', { brokerOrderId: order.brokerOrderId, reason: `${role === 'take_profit' ? 'take-profit' : 'stop-loss'} of ${entry.clientOrderId}, placed by the broker` })]);
    this.bindBrokerId(child, order.brokerOrderId);
    if (order.status === 'rejected') this.alert('error', 'broker', `${request.symbol}: the ${role === 'take_profit' ? 'take-profit' : 'stop-loss'} exit of ${entry.clientOrderId} was rejected${order.statusMessage ? `: ${order.statusMessage}` : ''}`, parent.leg.index);
    this.replayOrphans(order.brokerOrderId);
    return child;
  }

  /** The broker resized a linked order (exits follow the entry's fills and each other's). */
  private recordResize(child: ChildOrder, parent: ParentOrder, quantity: number): void {
    const payload: OrderResized['payload'] = { clientOrderId: child.clientOrderId, from: child.request.quantity, to: quantity, reason: 'resized by the broker with its linked order' };
    child.request.quantity = quantity;
    this.append([this.event('order.resized', payload)]);
    this.maybeFinishParent(parent);
  }

  // ── rebuild ────────────────────────────────────────────────────────────────

  /**
   * The run's state from its events. Times are market times (the engine's clock, simulated on the
   * paper broker at --speed), so a resumed leg keeps its start, horizon and schedule.
   */
  private rebuild(legs: Leg[]): void {
    const { log, runId } = this.deps;
    const events = log.events({ runId });
    const legByIndex = new Map(legs.map((l) => [l.index, l]));
    for (const e of events) {
      this.controlSeq = Math.max(this.controlSeq, e.seq);
      const at = marketTimeOf(e);
      if (e.type === 'order.created') {
        const p = e.payload as OrderCreated['payload'];
        if (!p.parentId) {
          const leg = legByIndex.get(p.leg)!;
          const factory = algorithms[leg.execution.algo]!;
          const instrument = this.instrumentOf(leg);
          this.parents.set(p.clientOrderId, {
            parentId: p.clientOrderId,
            leg,
            instrument,
            status: 'created',
            algo: factory(leg.execution, { leg, instrument, startAt: at }),
            children: [],
            filled: 0,
            filledValue: 0,
            startedAt: at,
            deadline: at + this.horizonOf(leg),
            arrivalPrice: p.arrivalPrice ?? leg.decisionPrice,
            // Set from the market sample recorded with the parent's start (below).
            volumeAtStart: -1,
            algoDone: false,
            paused: false,
            pausedMs: 0,
            cancelRequested: false,
            rejections: 0,
          });
        } else {
          const parent = this.parents.get(p.parentId)!;
          const child: ChildOrder = {
            clientOrderId: p.clientOrderId,
            parentId: p.parentId,
            leg: p.leg,
            seq: parent.children.length + 1,
            request: {
              clientOrderId: p.clientOrderId,
              symbol: p.symbol,
              exchange: p.exchange,
              side: p.side,
              type: p.type,
              quantity: p.quantity,
              limitPrice: p.limitPrice,
              triggerPrice: p.triggerPrice,
              timeInForce: p.timeInForce,
              product: p.product,
              ...(p.orderClass ? { orderClass: p.orderClass, takeProfit: p.takeProfit, stopLoss: p.stopLoss } : {}),
            },
            ...(p.exitOf ? { exitOf: p.exitOf, exitRole: p.exitRole } : {}),
            status: 'created',
            filled: 0,
            filledValue: 0,
            tradeIds: new Set(),
            placedAt: at,
            scheduledAt: at - parent.pausedMs,
            lastUpdateAt: at,
          };
          parent.children.push(child);
          this.children.set(child.clientOrderId, child);
          if (!child.exitOf) parent.lastPlacedAt = child.scheduledAt;
        }
      } else if (e.type === 'order.status') {
        const p = e.payload as OrderStatusChanged['payload'];
        const parent = this.parents.get(p.clientOrderId);
        if (parent) {
          parent.status = p.to;
          if (p.reason) parent.lastReason = p.reason;
          continue;
        }
        const child = this.children.get(p.clientOrderId);
        if (!child) continue;
        child.status = p.to;
        if (p.to === 'pending_cancel') child.cancelReason = p.reason;
        if (p.reason?.startsWith(cancelFailedReason(''))) child.cancelReason = undefined;
        if (p.brokerOrderId) this.bindBrokerId(child, p.brokerOrderId);
      } else if (e.type === 'fill.recorded') {
        const p = e.payload as FillRecorded['payload'];
        const child = this.children.get(p.clientOrderId);
        if (!child || child.tradeIds.has(p.tradeId)) continue;
        child.tradeIds.add(p.tradeId);
        child.filled += p.quantity;
        child.filledValue += p.quantity * p.price;
        const parent = this.parents.get(child.parentId)!;
        if (countsForLeg(child, parent)) {
          parent.filled += p.quantity;
          parent.filledValue += p.quantity * p.price;
        }
        if (!child.brokerOrderId) this.bindBrokerId(child, p.brokerOrderId);
      } else if (e.type === 'order.resized') {
        const p = e.payload as OrderResized['payload'];
        const child = this.children.get(p.clientOrderId);
        if (child) child.request.quantity = p.to;
      } else if (e.type === 'market.sampled') {
        const p = e.payload as { symbol: string; exchange: string; volume: number };
        for (const parent of this.parents.values()) {
          if (parent.leg.symbol === p.symbol && parent.leg.exchange === p.exchange && parent.volumeAtStart < 0) parent.volumeAtStart = p.volume;
        }
      } else if (e.type === 'leg.paused') {
        const p = e.payload as LegPaused['payload'];
        const parent = this.parents.get(p.clientOrderId);
        if (!parent) continue;
        parent.paused = true;
        parent.pausedAt = at;
      } else if (e.type === 'leg.resumed') {
        const p = e.payload as LegResumed['payload'];
        const parent = this.parents.get(p.clientOrderId);
        if (parent?.paused) this.endPause(parent, p.pausedMs);
      } else if (e.type === 'run.control') {
        // Pauses count from when the engine acted on them (leg.paused above), not from the request.
        const p = e.payload as { action: string; leg?: number };
        for (const parent of this.parents.values()) {
          if (p.leg !== undefined && parent.leg.index !== p.leg) continue;
          if (p.action === 'cancel') parent.cancelRequested = true;
        }
      }
    }
    for (const parent of this.parents.values()) parent.volumeAtStart = Math.max(0, parent.volumeAtStart);
    const missing = legs.filter((l) => !this.parents.has(parentOrderId(runId, l.index)));
    if (missing.length) throw new Error(`run ${runId}: ${missing.length} leg(s) have no parent order; the run was not started properly`);
  }

  // ── helpers ────────────────────────────────────────────────────────────────

  private instrumentOf(leg: Leg): Instrument {
    const instrument = this.deps.instruments.get(instrumentKey(leg.exchange, leg.symbol));
    if (!instrument) throw new Error(`no instrument for ${leg.exchange}:${leg.symbol}`);
    return instrument;
  }

  /** An event of this run at the engine's clock: the market time (the store adds the wall-clock time). */
  private event(type: string, payload: unknown): NewEvent {
    return { runId: this.deps.runId, type, payload, marketTs: this.deps.clock.now() };
  }

  private childStatus(child: ChildOrder, to: OrderStatus, extra: { brokerOrderId?: string; reason?: string; brokerStatus?: string } = {}): NewEvent[] {
    const from = child.status;
    if (from === to && !extra.brokerOrderId) return [];
    child.status = to;
    if (extra.reason) child.reason = extra.reason;
    const payload: OrderStatusChanged['payload'] = { clientOrderId: child.clientOrderId, from, to };
    if (extra.brokerOrderId !== undefined) payload.brokerOrderId = extra.brokerOrderId;
    if (extra.reason !== undefined) payload.reason = extra.reason;
    if (extra.brokerStatus !== undefined) payload.brokerStatus = extra.brokerStatus;
    return [this.event('order.status', payload)];
  }

  private parentStatus(parent: ParentOrder, to: OrderStatus, reason?: string): NewEvent[] {
    const from = parent.status;
    if (from === to) return [];
    parent.status = to;
    return [this.event('order.status', { clientOrderId: parent.parentId, from, to, ...(reason ? { reason } : {}) } satisfies OrderStatusChanged['payload'])];
  }

  /** Records the market as the algorithm saw it, at most once per sample interval per symbol. */
  private maybeSample(leg: Leg, quote: Quote): void {
    const last = this.lastSample.get(instrumentKey(leg.exchange, leg.symbol));
    if (quote.ts - (last?.ts ?? -Infinity) < this.options.sampleIntervalMs) return;
    this.append([this.sample(leg, quote)]);
  }

  /**
   * A sample of the market at a leg's start or end, unless that very quote is the last one
   * recorded for the instrument: a copy would tell the TCA nothing (it has the same time).
   */
  private sampleIfNew(leg: Leg, quote: Quote): NewEvent[] {
    const last = this.lastSample.get(instrumentKey(leg.exchange, leg.symbol));
    const same = last !== undefined && last.ts === quote.ts && last.bid === quote.bid && last.ask === quote.ask && last.last === quote.last && last.volume === quote.volume;
    return same ? [] : [this.sample(leg, quote)];
  }

  private sample(leg: Leg, quote: Quote): NewEvent {
    this.lastSample.set(instrumentKey(leg.exchange, leg.symbol), quote);
    return this.event('market.sampled', { symbol: leg.symbol, exchange: leg.exchange, ts: quote.ts, bid: quote.bid, ask: quote.ask, last: quote.last, volume: quote.volume });
  }

  private alert(level: 'info' | 'warn' | 'error', source: string, message: string, leg?: number): void {
    this.append([this.event('run.alert', { level, source, message, ...(leg === undefined ? {} : { leg }) })]);
  }

  private append(events: NewEvent[]): void {
    if (!events.length) return;
    const stored = this.deps.log.append(events);
    if (this.deps.afterFills) {
      for (const e of stored) if (e.type === 'fill.recorded') this.stepFills.push({ ...(e.payload as FillRecorded['payload']), seq: e.seq, runId: this.deps.runId });
    }
    this.deps.onEvents?.(stored);
  }

  private bookFills(): void {
    if (!this.stepFills.length || !this.deps.afterFills) return;
    const fills = this.stepFills;
    this.stepFills = [];
    this.append(this.deps.afterFills(fills, this.deps.clock.now()));
  }

  private lastSeq(): number {
    const last = this.deps.log.events({ runId: this.deps.runId });
    return last.length ? last[last.length - 1]!.seq : 0;
  }

  private outcome(): RunOutcome {
    const legs = [...this.parents.values()]
      .sort((a, b) => a.leg.index - b.leg.index)
      .map<LegResult>((p) => ({
        leg: p.leg.index,
        parentId: p.parentId,
        symbol: p.leg.symbol,
        exchange: p.leg.exchange,
        side: p.leg.side,
        quantity: p.leg.quantity,
        filled: p.filled,
        averagePrice: p.filled ? p.filledValue / p.filled : 0,
        outcome: legOutcome(p),
        reason: legOutcome(p) === 'complete' ? undefined : (p.lastReason ?? [...p.children].reverse().find((c) => c.reason)?.reason),
        clientOrderIds: p.children.map((c) => c.clientOrderId),
        protectiveOrders: p.children.filter((c) => isProtective(c, p)).map((c) => ({ clientOrderId: c.clientOrderId, role: c.exitRole!, status: c.status })),
      }));
    if (this.halted) return { status: 'interrupted', reason: `kill switch: ${this.halted.reason}`, legs };
    if (this.interrupted) return { status: 'interrupted', reason: this.interrupted, legs };
    return { status: legs.every((l) => l.outcome === 'complete') ? 'completed' : 'incomplete', legs };
  }
}

/** Why the run was stopped: the reason the signal was aborted with (see app/interrupt.ts). */
function abortReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'interrupted by the user';
}
