import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import type { UpstoxClient } from './upstox-client.js';
import { mapUpstoxOrder, mapUpstoxTrade, type UpstoxOrder, type UpstoxPlacement, type UpstoxTrade } from './upstox-mapping.js';

/**
 * Upstox's order and trade books, and what the adapter must remember of each order: its tag
 * (our client order id), which Upstox's trades do not carry, and its last known terms (a modify
 * restates type, validity and prices). Learnt from placements and from every order row read.
 */
export class UpstoxOrderBook {
  private readonly tagById = new Map<string, string>();
  private readonly rowById = new Map<string, UpstoxOrder>();

  constructor(
    private readonly client: UpstoxClient,
    private readonly clock: Clock,
  ) {}

  placed(brokerOrderId: string, placement: UpstoxPlacement): void {
    this.tagById.set(brokerOrderId, placement.tag);
    const { quantity, validity, price, order_type, trigger_price, disclosed_quantity, transaction_type } = placement;
    this.rowById.set(brokerOrderId, { order_id: brokerOrderId, status: 'put order req received', exchange: '', quantity, validity, price, order_type, trigger_price, disclosed_quantity, transaction_type, tag: placement.tag });
  }

  /** The order's terms as last seen, else as Upstox reports them now. */
  async current(brokerOrderId: string): Promise<UpstoxOrder> {
    return this.rowById.get(brokerOrderId) ?? this.details(brokerOrderId);
  }

  async orders(): Promise<BrokerOrder[]> {
    const rows = await this.client.data<UpstoxOrder[]>({ method: 'GET', path: '/v2/order/retrieve-all', cls: 'other', apiVersion: true });
    return this.mapOrders(rows ?? []);
  }

  /** Every state an order went through (`GET /v2/order/history`), oldest first. */
  async history(brokerOrderId: string): Promise<BrokerOrder[]> {
    const rows = await this.client.data<UpstoxOrder[]>({ method: 'GET', path: '/v2/order/history', cls: 'other', apiVersion: true, lookup: true, query: [['order_id', brokerOrderId]] });
    return this.mapOrders(rows ?? []);
  }

  /** The order as it stands (`GET /v2/order/details`), as Upstox sends it. */
  async details(brokerOrderId: string): Promise<UpstoxOrder> {
    const row = await this.client.data<UpstoxOrder | null>({ method: 'GET', path: '/v2/order/details', cls: 'other', lookup: true, query: [['order_id', brokerOrderId]] });
    if (!row?.order_id) throw new BrokerError('not_found', `order ${brokerOrderId} is not in the Upstox order book`, 'upstox');
    this.remember(row);
    return row;
  }

  /** The trades of one order, or of the day; an order not yet seen is looked up for its tag first. */
  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    const rows = brokerOrderId
      ? await this.client.data<UpstoxTrade[]>({ method: 'GET', path: '/v2/order/trades', cls: 'other', apiVersion: true, lookup: true, query: [['order_id', brokerOrderId]] })
      : await this.client.data<UpstoxTrade[]>({ method: 'GET', path: '/v2/order/trades/get-trades-for-day', cls: 'other', apiVersion: true });
    if ((rows ?? []).some((t) => !this.tagById.has(String(t.order_id)))) await this.orders();
    const now = this.clock.now();
    return (rows ?? []).map((t) => mapUpstoxTrade(t, this.tagById.get(String(t.order_id)), now)).filter((t): t is BrokerTrade => t !== undefined);
  }

  remember(row: UpstoxOrder): void {
    if (row.tag) this.tagById.set(String(row.order_id), row.tag);
    this.rowById.set(String(row.order_id), row);
  }

  private mapOrders(rows: UpstoxOrder[]): BrokerOrder[] {
    const now = this.clock.now();
    const out: BrokerOrder[] = [];
    for (const row of rows) {
      this.remember(row);
      const order = mapUpstoxOrder(row, now);
      if (order) out.push(order);
    }
    return out;
  }
}
