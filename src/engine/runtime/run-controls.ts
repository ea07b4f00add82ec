import type { BrokerError } from '../../domain/errors/broker-error.js';
import type { TimerHandle } from '../../domain/clock.js';
import type { EventLog } from '../ports.js';
import { CANCEL_REASON } from './cancel-reasons.js';
import type { HaltState } from './guards.js';
import type { Controls, RuntimeContext } from './runtime-context.js';
import { isOpen, type ParentOrder } from './runtime-state.js';

/** Why the run was stopped: the reason the signal was aborted with (see app/interrupt.ts). */
export function abortReason(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'interrupted by the user';
}

/**
 * What stops or steers a run from outside its orders: the kill switch and the stop signal
 * (checked at every poll), and the `run.control` requests another process appends (pause,
 * resume, cancel; the whole run or one leg). A halted or interrupted run sends nothing more and
 * ends resumable.
 */
export class RunControls implements Controls {
  /** Controls up to this sequence number have been acted on. */
  private controlSeq = 0;
  private pollTimer?: TimerHandle;

  constructor(
    private readonly ctx: RuntimeContext,
    private readonly log: EventLog,
    private readonly halt: HaltState | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Only controls recorded after `seq` are acted on (earlier ones were, or were rebuilt). */
  readAfter(seq: number): void {
    this.controlSeq = Math.max(this.controlSeq, seq);
  }

  /** The poll timer fired: the kill switch, the stop signal and new control requests. */
  poll(): void {
    this.pollTimer = undefined;
    const halt = this.halt?.isHalted();
    // Cancelling a stopped run sends nothing the kill switch could stop.
    if (halt?.halted && !this.ctx.run.cancelling) this.haltSending(halt);
    if (this.signal?.aborted && !this.ctx.run.interrupted) this.interrupt(abortReason(this.signal));
    this.readControls();
  }

  schedulePoll(): void {
    if (!this.pollTimer) this.pollTimer = this.ctx.clock.setTimeout(() => this.ctx.post({ kind: 'poll' }), this.ctx.options.pollMs);
  }

  clearTimer(): void {
    if (this.pollTimer) this.ctx.clock.clearTimeout(this.pollTimer);
  }

  haltSending(halt: { reason?: string; cancelOpen?: boolean }): void {
    const { run, parts } = this.ctx;
    if (run.halted) return;
    run.halted = { reason: halt.reason ?? 'kill switch' };
    this.ctx.alert('error', 'risk', `kill switch engaged${halt.reason ? `: ${halt.reason}` : ''}; no new orders`);
    if (halt.cancelOpen) for (const c of run.children.values()) parts.cancels.cancel(c, CANCEL_REASON.killSwitch);
  }

  interrupt(reason: string): void {
    if (this.ctx.run.interrupted) return;
    this.ctx.run.interrupted = reason;
    this.ctx.alert('error', 'engine', reason);
  }

  /** The broker no longer accepts our session: the run stops, resumably, saying how to log in again. */
  loginLost(error: BrokerError): void {
    this.interrupt(`${error.broker}: ${error.message}; log in again (ptexec brokers login ${error.broker}) and run ptexec resume ${this.ctx.runId}`);
  }

  private readControls(): void {
    const { runId, run } = this.ctx;
    // Read first: a control appended after this point gets a later number than `newest`.
    const newest = this.log.lastSeq();
    const controls = this.log.events({ runId, afterSeq: this.controlSeq, types: ['run.control'] });
    // The next poll looks only at what comes after: without this, every poll would scan the
    // run's whole log since its start (it grows by every order event).
    this.controlSeq = Math.max(this.controlSeq, newest);
    for (const e of controls) {
      this.controlSeq = Math.max(this.controlSeq, e.seq);
      const { action, leg } = e.payload;
      for (const p of run.parents.values()) {
        if (leg === undefined || p.leg.index === leg) this.apply(action, p);
      }
      if (leg === undefined && (action === 'pause' || action === 'resume')) {
        this.ctx.record([this.ctx.event('run.status', { status: action === 'pause' ? 'paused' : 'running', reason: `${action} requested` })]);
      }
    }
  }

  private apply(action: 'pause' | 'resume' | 'cancel', p: ParentOrder): void {
    const { legs, cancels } = this.ctx.parts;
    if (!isOpen(p.status)) return;
    if (action === 'pause') legs.pause(p);
    if (action === 'resume') legs.resume(p);
    if (action === 'cancel') {
      p.cancelRequested = true;
      p.lastReason = CANCEL_REASON.user;
      for (const c of p.children) cancels.cancel(c, CANCEL_REASON.user);
      legs.finishIfDone(p);
    }
  }
}
