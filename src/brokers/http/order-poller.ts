import type { Clock, TimerHandle } from '../../domain/clock.js';
import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerEvent, BrokerOrder, BrokerTrade } from '../broker.js';
import { UpdateTracker } from './update-tracker.js';

export interface PollSource {
  orders(): Promise<BrokerOrder[]>;
  tradesOf(brokerOrderId: string): Promise<BrokerTrade[]>;
}

/**
 * Order updates by polling a broker's order list, for brokers whose order-update feed ptexec
 * cannot use (Groww's is reachable only through its Python SDK; Schwab's streamer messages are
 * not documented field by field). Each pass reads the list (one non-trading call),
 * reads the trades of every order whose filled quantity grew, and reports what is new: each
 * trade once by its id, each order state once; a stale answer (fewer shares filled than already
 * seen, a finished order shown live again) is no news (UpdateTracker). After a failed
 * pass it says `disconnected`, keeps polling, and the first good pass after it says `resync`.
 */
export class OrderPoller {
  private readonly tracker = new UpdateTracker();
  private readonly filledById = new Map<string, number>();
  private timer?: TimerHandle;
  private running = false;
  private failing = false;
  private inflight: Promise<void> = Promise.resolve();

  constructor(
    private readonly source: PollSource,
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly emit: (event: BrokerEvent) => void,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One pass now (after the one in flight); `reason` set = announce it as a resync. */
  pass(reason?: string): Promise<void> {
    this.inflight = this.inflight.then(() => this.once(reason));
    return this.inflight;
  }

  /** Waits for the pass in flight (closing). */
  idle(): Promise<void> {
    return this.inflight;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = this.clock.setTimeout(() => {
      void this.pass().then(() => this.schedule(this.intervalMs));
    }, ms);
  }

  private async once(reason?: string): Promise<void> {
    try {
      const orders = await this.source.orders();
      if (reason || this.failing) this.emit({ type: 'resync', reason: reason ?? 'the order list answers again' });
      this.failing = false;
      for (const o of orders) await this.report(o);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (!this.failing) {
        this.failing = true;
        this.emit({ type: 'disconnected', reason: `order polling failed (${error.message}); retrying every ${this.intervalMs} ms` });
        this.emit({ type: 'error', error });
      }
      if (isBrokerError(err, 'auth')) this.stop();
    }
  }

  private async report(order: BrokerOrder): Promise<void> {
    const filledBefore = this.filledById.get(order.brokerOrderId) ?? 0;
    if (order.filledQuantity > filledBefore) {
      const trades = await this.source.tradesOf(order.brokerOrderId);
      for (const t of trades) if (this.tracker.tradeIsNew(t)) this.emit({ type: 'trade', trade: t });
      this.filledById.set(order.brokerOrderId, order.filledQuantity);
    }
    if (this.tracker.orderChanged(order)) this.emit({ type: 'order', order });
  }
}
