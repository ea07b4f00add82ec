import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { TimerHandle } from '../../domain/clock.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * A broker that stays down stops the run, resumably, as a lost session does — only when the run
 * is given `brokerDownAfterMs` (a group run with failover: what the run has not sent can then
 * move to another account). When the broker reports itself unwell (its circuit breaker opened),
 * the watch waits that long and asks the broker once more (its funds, a read retried as reads
 * are); still no answer, and the run stops. An answer means it is back: nothing happens, and the
 * next opening starts a new wait. Without the option a run waits for its broker, retrying.
 */
export class OutageWatch {
  private timer?: TimerHandle;

  constructor(private readonly ctx: RuntimeContext) {}

  /** The broker reported an error on its own (its circuit breaker opened: not an answer to one call): an `unavailable` one starts the wait. */
  noteError(error: Error): void {
    const after = this.ctx.options.brokerDownAfterMs;
    const { run } = this.ctx;
    if (after === undefined || this.timer || run.interrupted || run.halted || !isBrokerError(error, 'unavailable')) return;
    this.timer = this.ctx.clock.setTimeout(() => this.check(), after);
  }

  /** The wait is over: one more look at the broker decides (its answer comes back through the mailbox). */
  private check(): void {
    this.timer = undefined;
    const { broker, run, runId, options } = this.ctx;
    if (run.interrupted || run.halted) return;
    this.ctx.begin();
    broker.funds().then(
      () => this.ctx.settle({ kind: 'drain' }),
      (err: unknown) => {
        // Not a broker that is down, or nothing left to stop (the run ended while it was asked).
        if ((!isBrokerError(err, 'unavailable') && !isBrokerError(err, 'auth')) || run.allLegsEnded()) return this.ctx.settle({ kind: 'drain' });
        const seconds = Math.round((options.brokerDownAfterMs ?? 0) / 1000);
        this.ctx.settle({ kind: 'stop', reason: `${broker.id} is down: still no answer ${seconds} s after its circuit breaker opened (${err.message}); run ptexec resume ${runId} when the broker is back` });
      },
    );
  }

  clearTimer(): void {
    if (this.timer) this.ctx.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
