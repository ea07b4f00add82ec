import type { PaperOrder } from './paper-records.js';

/** `EXCHANGE:SYMBOL`, the key of a symbol's orders. */
export function symbolKey(order: Pick<PaperOrder, 'exchange' | 'symbol'>): string {
  return `${order.exchange}:${order.symbol}`;
}

/**
 * The account's working orders in memory, by id and by symbol (the matching pass walks a
 * symbol's orders). Every order added or removed is reported to `changed` (the account re-books
 * the cash it blocks); `emptied` hears when the last one went.
 */
export class OpenOrders {
  private byId = new Map<string, PaperOrder>();
  private bySymbol = new Map<string, Map<string, PaperOrder>>();

  constructor(
    private readonly changed: (order: PaperOrder) => void,
    private readonly emptied: () => void,
  ) {}

  get size(): number {
    return this.byId.size;
  }

  get(brokerOrderId: string): PaperOrder | undefined {
    return this.byId.get(brokerOrderId);
  }

  has(brokerOrderId: string): boolean {
    return this.byId.has(brokerOrderId);
  }

  /** Every open order, in the order they were opened. */
  all(): IterableIterator<PaperOrder> {
    return this.byId.values();
  }

  /** Each symbol's open orders (never an empty group). */
  symbols(): IterableIterator<Map<string, PaperOrder>> {
    return this.bySymbol.values();
  }

  ofSymbol(key: string): Map<string, PaperOrder> | undefined {
    return this.bySymbol.get(key);
  }

  add(order: PaperOrder): void {
    this.byId.set(order.brokerOrderId, order);
    const key = symbolKey(order);
    let orders = this.bySymbol.get(key);
    if (!orders) {
      orders = new Map();
      this.bySymbol.set(key, orders);
    }
    orders.set(order.brokerOrderId, order);
    this.changed(order);
  }

  remove(order: PaperOrder): void {
    this.byId.delete(order.brokerOrderId);
    const key = symbolKey(order);
    const orders = this.bySymbol.get(key);
    orders?.delete(order.brokerOrderId);
    if (orders && orders.size === 0) this.bySymbol.delete(key);
    this.changed(order);
    if (this.byId.size === 0) this.emptied();
  }

  /** Re-files an order whose fields changed (a modification). */
  replace(order: PaperOrder): void {
    this.remove(order);
    this.add(order);
  }

  clear(): void {
    this.byId = new Map();
    this.bySymbol = new Map();
  }
}
