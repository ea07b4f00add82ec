import type { Clock } from '../../domain/clock.js';
import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerEvent, BrokerEventListener, BrokerOrder, BrokerTrade } from '../broker.js';
import { emitTo, subscribeTo } from './listeners.js';
import { UpdateTracker } from './update-tracker.js';

export interface OrderUpdateRelayOptions {
  clock: Clock;
  /** Today's order book and trade book, and one order's trades (the adapter's reads). */
  orders: () => Promise<BrokerOrder[]>;
  trades: (brokerOrderId?: string) => Promise<BrokerTrade[]>;
}

/**
 * What a broker's order-update stream becomes for the engine: order events and the fills behind
 * them, each reported once (duplicates and re-reads are tolerated), in the stream's order, and a
 * re-read of the order and trade books (`resync`) after a reconnect or a gap. Streams that carry
 * the order but not its fills (Kite, Upstox) have the new fills read from the trade book.
 */
export class OrderUpdateRelay {
  readonly listeners = new Set<BrokerEventListener>();
  private readonly tracker = new UpdateTracker();
  private readonly filledById = new Map<string, number>();
  /** Stream work runs one message at a time so events keep the stream's order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: OrderUpdateRelayOptions) {}

  /**
   * Adds a listener; the first one starts the stream (`start`), and when the last one leaves the
   * stream is stopped (`stop`). Returns the unsubscribe.
   */
  subscribe(listener: BrokerEventListener, stream: { start: () => void; stop: () => void }): () => void {
    return subscribeTo(this.listeners, listener, stream);
  }

  /**
   * Re-reads the books and reports whatever the stream did not. `quiet`: no `resync` event (a
   * stream that delivers nothing until it is subscribed catches up with what happened meanwhile).
   */
  resync(reason: string, options: { quiet?: boolean } = {}): Promise<void> {
    return this.enqueue(async () => {
      if (!options.quiet) this.emit({ type: 'resync', reason });
      const orders = await this.options.orders();
      const trades = await this.options.trades();
      for (const t of trades) if (this.tracker.tradeIsNew(t)) this.emit({ type: 'trade', trade: t });
      for (const o of orders) {
        this.filledById.set(o.brokerOrderId, Math.max(this.filledById.get(o.brokerOrderId) ?? 0, o.filledQuantity));
        if (this.tracker.orderChanged(o)) this.emit({ type: 'order', order: o });
      }
    });
  }

  /** An order as the stream reported it (mapped, or the mapping's failure). */
  order(map: () => BrokerOrder | undefined | Promise<BrokerOrder | undefined>): Promise<void> {
    return this.enqueue(async () => {
      let order: BrokerOrder | undefined;
      try {
        order = await map();
      } catch (err) {
        this.emit({ type: 'error', error: err as Error });
        return;
      }
      if (!order) return;
      const before = this.filledById.get(order.brokerOrderId) ?? 0;
      if (order.filledQuantity > before) {
        try {
          const trades = await this.options.trades(order.brokerOrderId);
          for (const t of trades) if (this.tracker.tradeIsNew(t)) this.emit({ type: 'trade', trade: t });
          this.filledById.set(order.brokerOrderId, order.filledQuantity);
        } catch (err) {
          this.emit({ type: 'error', error: err as Error });
          if (!isBrokerError(err, 'auth')) this.options.clock.setTimeout(() => void this.resync('fills could not be read after an order update'), 1_000);
        }
      }
      if (this.tracker.orderChanged(order)) this.emit({ type: 'order', order });
    });
  }

  /** A trade the stream itself carried (Fyers), reported unless a re-read already did. */
  trade(map: () => Promise<BrokerTrade | undefined>): Promise<void> {
    return this.enqueue(async () => {
      const trade = await map();
      if (trade && this.tracker.tradeIsNew(trade)) this.emit({ type: 'trade', trade });
    });
  }

  /** Waits for the work queued so far. */
  drained(): Promise<void> {
    return this.queue;
  }

  emit(event: BrokerEvent): void {
    emitTo(this.listeners, event);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.queue.then(task).catch((err: unknown) => this.emit({ type: 'error', error: err instanceof Error ? err : new Error(String(err)) }));
    this.queue = next;
    return next;
  }
}
