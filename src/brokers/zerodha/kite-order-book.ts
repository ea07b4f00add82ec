import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import type { KiteClient } from './kite-client.js';
import { type KiteOrder, type KiteTrade, mapKiteOrder, mapKiteTrade } from './kite-mapping.js';

/**
 * Kite's order and trade books, and what the adapter must remember of each order to act on it
 * later: its variety (every modify and cancel URL names it) and its tag (our client order id,
 * which Kite's trades do not carry). Both are learnt from placements and from every order row read.
 */
export class KiteOrderBook {
  private readonly varietyById = new Map<string, string>();
  private readonly tagById = new Map<string, string>();

  constructor(
    private readonly client: KiteClient,
    private readonly clock: Clock,
  ) {}

  /** An order just placed: its variety and tag are known before any book lists it. */
  placed(brokerOrderId: string, variety: string, clientOrderId: string): void {
    this.varietyById.set(brokerOrderId, variety);
    this.tagById.set(brokerOrderId, clientOrderId);
  }

  async orders(): Promise<BrokerOrder[]> {
    const rows = await this.client.data<KiteOrder[]>({ method: 'GET', path: '/orders', cls: 'other' });
    return this.mapOrders(rows ?? []);
  }

  /** Every state an order went through (`GET /orders/{id}`), oldest first. */
  async history(brokerOrderId: string): Promise<BrokerOrder[]> {
    const rows = await this.client.data<KiteOrder[]>({ method: 'GET', path: `/orders/${encodeURIComponent(brokerOrderId)}`, cls: 'other', lookup: true });
    return this.mapOrders(rows ?? []);
  }

  /** The trades of one order, or of the day; an order not yet seen is looked up for its tag first. */
  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    const path = brokerOrderId ? `/orders/${encodeURIComponent(brokerOrderId)}/trades` : '/trades';
    const rows = (await this.client.data<KiteTrade[]>({ method: 'GET', path, cls: 'other', lookup: brokerOrderId !== undefined })) ?? [];
    if (rows.some((t) => !this.tagById.has(String(t.order_id)))) await this.orders();
    const now = this.clock.now();
    return rows.map((t) => mapKiteTrade(t, this.tagById.get(String(t.order_id)), now)).filter((t): t is BrokerTrade => t !== undefined);
  }

  /** The variety of an order, from memory or else from its history. */
  async varietyOf(brokerOrderId: string): Promise<string> {
    const known = this.varietyById.get(brokerOrderId);
    if (known) return known;
    const history = await this.client.data<KiteOrder[]>({ method: 'GET', path: `/orders/${encodeURIComponent(brokerOrderId)}`, cls: 'other', lookup: true });
    for (const row of history ?? []) this.remember(row);
    const variety = this.varietyById.get(brokerOrderId);
    if (!variety) throw new BrokerError('not_found', `order ${brokerOrderId} is not in the Kite order book`, 'zerodha');
    return variety;
  }

  remember(row: KiteOrder): void {
    const id = String(row.order_id);
    if (row.variety) this.varietyById.set(id, row.variety);
    const tag = row.tag ?? row.tags?.[0];
    if (tag) this.tagById.set(id, tag);
  }

  private mapOrders(rows: KiteOrder[]): BrokerOrder[] {
    const now = this.clock.now();
    const out: BrokerOrder[] = [];
    for (const row of rows) {
      this.remember(row);
      const order = mapKiteOrder(row, now);
      if (order) out.push(order);
    }
    return out;
  }
}
