import type { Clock, TimerHandle } from '../../domain/clock.js';

/**
 * FIX heartbeats on a logged-on session: a Heartbeat when we have sent nothing for an interval,
 * a TestRequest when the counterparty has been silent for an interval and a fifth, and the end of
 * the connection when that TestRequest goes unanswered for another interval.
 */
export class HeartbeatMonitor {
  private timer?: TimerHandle;
  private lastSentAt = 0;
  private lastReceivedAt = 0;
  private testRequestSentAt?: number;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly actions: { heartbeat(): void; testRequest(): void; timedOut(): void },
  ) {}

  start(): void {
    this.lastReceivedAt = this.clock.now();
    this.testRequestSentAt = undefined;
    this.schedule();
  }

  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  sent(): void {
    this.lastSentAt = this.clock.now();
  }

  /** Anything from the counterparty answers a pending TestRequest. */
  received(): void {
    this.lastReceivedAt = this.clock.now();
    this.testRequestSentAt = undefined;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => this.check(), Math.max(10, Math.round(this.intervalMs / 5)));
  }

  private check(): void {
    this.timer = undefined;
    const now = this.clock.now();
    if (now - this.lastSentAt >= this.intervalMs) this.actions.heartbeat();
    if (this.testRequestSentAt !== undefined) {
      if (now - this.testRequestSentAt >= this.intervalMs) return this.actions.timedOut();
    } else if (now - this.lastReceivedAt >= this.intervalMs * 1.2) {
      this.testRequestSentAt = now;
      this.actions.testRequest();
    }
    this.schedule();
  }
}
