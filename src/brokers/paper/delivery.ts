import type { Clock, TimerHandle } from '../../domain/clock.js';
import type { BrokerEvent, BrokerEventListener } from '../broker.js';
import { toBrokerOrder, toBrokerTrade } from './broker-views.js';
import type { PaperOrder, PaperTradeRow } from './paper-records.js';

/**
 * The paper broker's update stream, like a broker's order socket: every order and trade update
 * reaches the subscribers the one-way latency after it happened, in the order it happened. A
 * `dropUpdate` fault loses an update (the order book still tells the truth). A timer runs only
 * while updates wait, and a listener that throws stops neither the others nor the market.
 */
export class UpdateDelivery {
  private readonly listeners = new Set<BrokerEventListener>();
  private queue: { at: number; event: BrokerEvent }[] = [];
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly latencyMs: number,
    private readonly faults: { dropsUpdate(): boolean },
    /** False once the broker closed or its market stopped: nothing more is delivered. */
    private readonly live: () => boolean,
  ) {}

  subscribe(listener: BrokerEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  order(order: PaperOrder): void {
    this.emit({ type: 'order', order: toBrokerOrder(order) });
  }

  trade(trade: PaperTradeRow): void {
    this.emit({ type: 'trade', trade: toBrokerTrade(trade) });
  }

  /** Forgets every undelivered update (the market stopped). */
  stop(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  /** Forgets every undelivered update and every subscriber (the broker closed). */
  close(): void {
    this.stop();
    this.listeners.clear();
  }

  private emit(event: BrokerEvent): void {
    if (this.faults.dropsUpdate()) return;
    this.queue.push({ at: this.clock.now() + this.latencyMs, event });
    this.schedule();
  }

  private schedule(): void {
    if (!this.live() || this.timer || this.queue.length === 0) return;
    const head = this.queue[0]!;
    this.timer = this.clock.setTimeout(() => this.deliver(), Math.max(0, head.at - this.clock.now()));
  }

  private deliver(): void {
    this.timer = undefined;
    if (!this.live()) return;
    const now = this.clock.now();
    let count = 0;
    while (count < this.queue.length && this.queue[count]!.at <= now) count++;
    const due = this.queue.splice(0, count);
    for (const { event } of due) {
      for (const listener of [...this.listeners]) {
        try {
          listener(event);
        } catch {
          // A listener's failure is the listener's problem; the market goes on.
        }
      }
    }
    this.schedule();
  }
}
