import { isTerminal, type OrderStatus } from '../../domain/order.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';

/**
 * Remembers what has already been reported so that a stream message, a re-read after a
 * reconnect and a re-read after a partial fill never report the same thing twice: an order is
 * new news when its status, filled quantity or quantity changed; a trade is new news once, by
 * trade id. A state older than one already reported (fewer shares filled, or live again after
 * it ended: a stream that delivers out of order) is not news either.
 */
export class UpdateTracker {
  private readonly orders = new Map<string, { signature: string; status: OrderStatus; filled: number }>();
  private readonly trades = new Set<string>();

  /** True (and remembered) if this order state has not been reported yet and is not older than what was. */
  orderChanged(order: BrokerOrder): boolean {
    const signature = `${order.status}|${order.brokerStatus}|${order.filledQuantity}|${order.quantity}|${order.limitPrice ?? ''}`;
    const known = this.orders.get(order.brokerOrderId);
    if (known?.signature === signature) return false;
    if (known && (order.filledQuantity < known.filled || (isTerminal(known.status) && !isTerminal(order.status)))) return false;
    this.orders.set(order.brokerOrderId, { signature, status: order.status, filled: order.filledQuantity });
    return true;
  }

  /** True (and remembered) the first time a trade id is seen. */
  tradeIsNew(trade: BrokerTrade): boolean {
    if (this.trades.has(trade.tradeId)) return false;
    this.trades.add(trade.tradeId);
    return true;
  }

  /** Marks trades as known without reporting them (e.g. fills from before we subscribed). */
  knowTrades(trades: readonly BrokerTrade[]): void {
    for (const t of trades) this.trades.add(t.tradeId);
  }
}
