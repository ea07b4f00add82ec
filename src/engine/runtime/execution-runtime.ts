import { DatabaseBusyError } from '../../domain/errors/database-busy.js';
import { newEvent, type NewEvent } from '../../domain/events/index.js';
import type { RecordedFill } from '../../domain/fill.js';
import type { Quote } from '../../domain/instrument.js';
import type { Leg } from '../../domain/plan.js';
import { writeWhenFree } from '../busy-retry.js';
import { BreakerWatch } from './breaker-watch.js';
import { CancelOpen, type CancelOpenOptions } from './cancel-open.js';
import { MarketSampler } from './market-sampler.js';
import { OrderCancels } from './order-cancels.js';
import { OrderTracker } from './order-tracker.js';
import { OutageWatch } from './outage-watch.js';
import { ParentScheduler } from './parent-scheduler.js';
import { QuoteCache } from './quote-cache.js';
import { rebuildRun } from './rebuild.js';
import { abortReason, RunControls } from './run-controls.js';
import type { Message, RuntimeContext, RuntimeParts } from './runtime-context.js';
import { DEFAULT_RUNTIME_OPTIONS, type RuntimeDeps, type RuntimeOptions } from './runtime-options.js';
import { runOutcome, type RunOutcome } from './run-outcome.js';
import { instrumentOf, isOpen, RunState } from './runtime-state.js';
import { SendQueue } from './send-queue.js';
import { parentStatus } from './status-events.js';
import { UnknownOutcomes } from './unknown-outcome.js';

export { DEFAULT_RUNTIME_OPTIONS, type RuntimeDeps, type RuntimeOptions } from './runtime-options.js';
export type { LegResult, RunOutcome } from './run-outcome.js';

/**
 * Works a run's parent orders to completion. All input goes through one mailbox processed in
 * order; each batch of messages is one step: its events commit in one transaction, and only
 * then do the broker calls it decided on leave the process, so every state change is on disk
 * before it is acted on. The runtime owns that loop; each concern is a part that keeps its own
 * state and hands its events and broker calls to the loop (runtime-context.ts): the leg
 * schedules (parent-scheduler.ts), sending (send-queue.ts), the broker's reports
 * (order-tracker.ts), cancels (order-cancels.ts), unknown outcomes (unknown-outcome.ts), run
 * controls (run-controls.ts), cancelling a stopped run (cancel-open.ts), the state rebuilt from
 * the events (rebuild.ts) and market samples (market-sampler.ts).
 */
export class ExecutionRuntime {
  private readonly options: RuntimeOptions;
  private readonly state = new RunState();
  private readonly ctx: RuntimeContext;
  private readonly quotes: QuoteCache;
  private readonly legs: ParentScheduler;
  private readonly sends: SendQueue;
  private readonly orders: OrderTracker;
  private readonly cancels: OrderCancels;
  private readonly unknowns: UnknownOutcomes;
  private readonly controls: RunControls;
  private readonly stoppedRun: CancelOpen;
  private readonly breakers: BreakerWatch;
  private readonly outage: OutageWatch;
  private mailbox: Message[] = [];
  private wakeMailbox?: () => void;
  private pending = 0;
  private unsubscribe?: () => void;
  private outbox: (() => void)[] = [];
  private stepFills: RecordedFill[] = [];

  constructor(private readonly deps: RuntimeDeps) {
    this.options = { ...DEFAULT_RUNTIME_OPTIONS, ...deps.options };
    this.quotes = new QuoteCache(deps.broker, deps.clock, this.options.quoteMaxAgeMs);
    const parts = {} as RuntimeParts;
    const ctx = (this.ctx = this.context(parts));
    this.legs = parts.legs = new ParentScheduler(ctx, this.quotes, new MarketSampler(ctx, this.options.sampleIntervalMs), deps.instruments);
    this.sends = parts.sends = new SendQueue(ctx, this.quotes, deps.guard, deps.halt);
    this.orders = parts.orders = new OrderTracker(ctx);
    this.cancels = parts.cancels = new OrderCancels(ctx);
    this.unknowns = parts.unknowns = new UnknownOutcomes(ctx);
    this.controls = parts.controls = new RunControls(ctx, deps.log, deps.halt, deps.signal);
    this.stoppedRun = new CancelOpen(ctx);
    this.breakers = parts.breakers = new BreakerWatch(ctx, this.options.breakers);
    this.outage = new OutageWatch(ctx);
  }

  /** What the parts may do, each through this loop. */
  private context(parts: RuntimeParts): RuntimeContext {
    const { runId, broker, clock } = this.deps;
    return {
      runId,
      broker,
      clock,
      options: this.options,
      run: this.state,
      parts,
      record: (events) => this.append(events),
      event: (type, payload) => newEvent(runId, type, payload, clock.now()),
      alert: (level, source, message, leg) => this.append([newEvent(runId, 'run.alert', { level, source, message, ...(leg === undefined ? {} : { leg }) }, clock.now())]),
      dispatch: (call) => this.dispatch(call),
      begin: () => {
        this.pending++;
      },
      settle: (message) => {
        this.pending--;
        this.post(message);
      },
      post: (message) => this.post(message),
      failpoint: (name) => this.deps.failpoint?.(name),
    };
  }

  /** Starts every leg of a freshly planned run and works them to the end. */
  run(legs: Leg[]): Promise<RunOutcome> {
    return this.stopWhenBusy(() => this.start(legs));
  }

  private async start(legs: Leg[]): Promise<RunOutcome> {
    this.controls.readAfter(this.deps.log.events({ runId: this.deps.runId }).at(-1)?.seq ?? 0);
    this.attach();
    this.quotes.watch(legs.map((l) => ({ symbol: l.symbol, exchange: l.exchange })));
    const quotes: Quote[] = [];
    for (const leg of legs) quotes.push(await this.quotes.get(instrumentOf(this.deps.instruments, leg)));
    // Every leg starts in one transaction; each leg's events are appended as it starts rather
    // than held until the end (thousands of legs' events would outlive many young-GC cycles).
    await this.commit(() => legs.forEach((leg, i) => this.append(this.legs.start(leg, quotes[i]!))));
    this.deps.failpoint?.('parents-started');
    // Through the mailbox, so every leg's first decision commits in one step, not one each.
    for (const parent of this.state.parents.values()) this.post({ kind: 'wake', parentId: parent.parentId, reason: 'start' });
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
    const unresolved = [...this.state.children.values()].filter((c) => c.status === 'pending_submit' || c.status === 'unknown');
    for (const child of unresolved) this.unknowns.resolve(child, 'the process stopped before the broker answered');
    const book = await this.orders.readBook();
    await this.commit(() => {
      this.orders.handleBook(book.orders, book.trades);
      for (const parent of this.state.parents.values()) {
        if (isOpen(parent.status) || parent.status === 'created') {
          if (parent.status === 'created') this.append(parentStatus(this.ctx, parent, 'accepted'));
          // `ptexec resume` continues the run: a leg paused when its process stopped is resumed,
          // as the same command resumes a live one; the pause moved its horizon until now.
          if (parent.paused) this.legs.resume(parent);
          else {
            this.legs.armDeadline(parent);
            this.legs.wake(parent, 'resume');
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
      this.state.interrupted = `${err.message}; stopped waiting for it. Run ptexec resume ${this.deps.runId} once it has finished`;
      return this.outcome();
    }
  }

  /**
   * Records what the broker did, after the run ended, with the orders it left working (a
   * bracket's exits): fills, status changes, resizes, and exits not yet recorded. Sends nothing.
   */
  async catchUp(legs: Leg[]): Promise<void> {
    this.rebuild(legs);
    const book = await this.orders.readBook();
    await this.orders.completeBook(book, [...this.state.children.values()].filter((c) => isOpen(c.status)));
    await this.commit(() => this.orders.handleBook(book.orders, book.trades));
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
  async cancelOpen(legs: Leg[], options: CancelOpenOptions): Promise<{ outcome: RunOutcome; stillOpen: string[] }> {
    const outcome = await this.stopWhenBusy(() => this.cancelAll(legs, options));
    return { outcome, stillOpen: this.stoppedRun.stillOpen() };
  }

  private async cancelAll(legs: Leg[], options: CancelOpenOptions): Promise<RunOutcome> {
    this.rebuild(legs);
    const targets = this.stoppedRun.begin(options);
    this.attach();
    const book = await this.orders.readBook();
    const gone = await this.orders.completeBook(book, this.stoppedRun.openInScope());
    await this.commit(() => this.stoppedRun.cancelNow(targets, book, gone));
    return this.loop();
  }

  private rebuild(legs: Leg[]): void {
    const { log, runId, instruments } = this.deps;
    const lastSeq = rebuildRun(this.state, log.events({ runId }), legs, { runId, instruments, defaultHorizonMs: this.options.defaultHorizonMs, broker: this.deps.broker, volumeProfiles: this.options.volumeProfiles });
    this.controls.readAfter(lastSeq);
    this.breakers.remember(log.events({ runId, types: ['run.breaker_tripped'] }));
  }

  // ── the loop ───────────────────────────────────────────────────────────────

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
    this.controls.schedulePoll();
  }

  private post(message: Message): void {
    this.mailbox.push(message);
    const wake = this.wakeMailbox;
    this.wakeMailbox = undefined;
    wake?.();
  }

  private async loop(): Promise<RunOutcome> {
    try {
      // Every step below ends by draining the send queue, so only what was queued before the loop
      // needs a drain of its own (a step per message, not two).
      const sending = this.commit(() => this.sends.drain());
      if (sending) await sending;
      for (;;) {
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
          // Fills arrive only with the broker's reports: the run-wide breakers need no other look.
          if (batch.some(reportsFills)) this.breakers.check();
          this.sends.drain();
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
    this.controls.clearTimer();
    this.sends.clearTimer();
    this.legs.clearTimers();
    this.outage.clearTimer();
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
    const run = this.state;
    if (run.halted || run.interrupted) {
      // Stop once nothing is in flight: open orders stay at the broker unless a cancel was asked
      // for, in which case wait for the broker to confirm it.
      return [...run.children.values()].every((c) => c.status !== 'pending_cancel' && c.status !== 'pending_submit');
    }
    if (run.cancelling) return this.stoppedRun.done();
    return run.allLegsEnded();
  }

  private handle(message: Message): void {
    switch (message.kind) {
      case 'broker':
        if (message.event.type === 'error') this.outage.noteError(message.event.error);
        return this.orders.onBrokerEvent(message.event);
      case 'wake':
        return this.legs.onWake(message.parentId, message.reason, message.quoted);
      case 'deadline':
        return this.legs.onDeadline(message.parentId);
      case 'poll':
        return this.onPoll();
      case 'sent':
        return this.sends.onSent(message.clientOrderId, message.brokerOrderId, message.error);
      case 'resolved':
        return this.unknowns.onResolved(message.clientOrderId, message.order, message.trades);
      case 'book':
        return this.orders.handleBook(message.orders, message.trades);
      case 'cancel-failed':
        return this.cancels.onCancelFailed(message.clientOrderId, message.error);
      case 'cancel-checked':
        return this.cancels.onCancelChecked(message.clientOrderId, message.why, message.order);
      case 'read-failed':
        return this.orders.onReadFailed(message.what, message.error, message.clientOrderId);
      case 'stop':
        return this.controls.interrupt(message.reason);
      case 'cancel-sent':
      case 'drain':
        // Nothing to do but the drain every step ends with: the broker has the cancel, or the
        // send queue's rate-limit pause is over.
        return;
    }
  }

  private onPoll(): void {
    this.controls.poll();
    if (this.state.cancelling) this.stoppedRun.retry();
    this.orders.poll();
    if (!this.finished()) this.controls.schedulePoll();
  }

  // ── recording ──────────────────────────────────────────────────────────────

  private append(events: NewEvent[]): void {
    if (!events.length) return;
    const stored = this.deps.log.append(events);
    if (this.deps.afterFills) {
      for (const e of stored) if (e.type === 'fill.recorded') this.stepFills.push({ ...e.payload, seq: e.seq, runId: this.deps.runId });
    }
    this.deps.onEvents?.(stored);
  }

  private bookFills(): void {
    if (!this.stepFills.length || !this.deps.afterFills) return;
    const fills = this.stepFills;
    this.stepFills = [];
    this.append(this.deps.afterFills(fills, this.deps.clock.now()));
  }

  private outcome(): RunOutcome {
    return runOutcome(this.state);
  }
}

function reportsFills(message: Message): boolean {
  return message.kind === 'broker' || message.kind === 'book' || message.kind === 'resolved' || message.kind === 'cancel-checked';
}
