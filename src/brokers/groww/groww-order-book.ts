import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import type { OrderType } from '../../domain/order.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import type { GrowwClient } from './groww-client.js';
import { type GrowwOrder, type GrowwTrade, mapGrowwOrder, mapGrowwTrade, ourOrderType } from './groww-mapping.js';
import { fromReferenceId, toReferenceId } from './groww-reference.js';
import { GROWW_ORDER_PAGE, GROWW_TRADE_PAGE } from './wire-facts.js';

/**
 * Groww's order book and trades (cash segment), and what the adapter remembers of each order to
 * act on it later: its type (a modify must name it) and its reference (our client order id,
 * which trades do not carry).
 */
export class GrowwOrderBook {
  private readonly typeById = new Map<string, OrderType>();
  private readonly clientIdById = new Map<string, string>();

  constructor(
    private readonly client: GrowwClient,
    private readonly clock: Clock,
  ) {}

  placed(brokerOrderId: string, type: OrderType, clientOrderId: string): void {
    this.typeById.set(brokerOrderId, type);
    this.clientIdById.set(brokerOrderId, clientOrderId);
  }

  retype(brokerOrderId: string, type: OrderType): void {
    this.typeById.set(brokerOrderId, type);
  }

  /** Today's orders, every page of `GET /v1/order/list`. */
  async rows(): Promise<GrowwOrder[]> {
    const rows: GrowwOrder[] = [];
    for (let page = 0; ; page++) {
      const data = await this.client.payload<{ order_list?: GrowwOrder[] }>({
        method: 'GET',
        path: '/v1/order/list',
        cls: 'non_trading',
        query: [
          ['segment', 'CASH'],
          ['page', String(page)],
          ['page_size', String(GROWW_ORDER_PAGE)],
        ],
      });
      const list = data?.order_list ?? [];
      rows.push(...list);
      if (list.length < GROWW_ORDER_PAGE) break;
    }
    return rows;
  }

  async orders(): Promise<BrokerOrder[]> {
    return this.map(await this.rows());
  }

  /**
   * The order carrying our reference (`GET /v1/order/status/reference/{id}`), in full from its
   * detail; undefined when Groww has none.
   */
  async findByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    let status: { groww_order_id?: string } | null;
    try {
      status = await this.client.payload<{ groww_order_id?: string } | null>({
        method: 'GET',
        path: `/v1/order/status/reference/${encodeURIComponent(toReferenceId(clientOrderId))}`,
        cls: 'non_trading',
        lookup: true,
        query: [['segment', 'CASH']],
      });
    } catch (err) {
      if (isBrokerError(err, 'not_found')) return undefined;
      throw err;
    }
    if (!status?.groww_order_id) return undefined;
    return this.detail(status.groww_order_id);
  }

  async detail(brokerOrderId: string): Promise<BrokerOrder> {
    const row = await this.client.payload<GrowwOrder>({ method: 'GET', path: `/v1/order/detail/${encodeURIComponent(brokerOrderId)}`, cls: 'non_trading', lookup: true, query: [['segment', 'CASH']] });
    const [order] = this.map([{ ...row, groww_order_id: row.groww_order_id ?? brokerOrderId }]);
    if (!order) throw new BrokerError('protocol', `GET /v1/order/detail/${brokerOrderId}: not a cash-segment equity order`, 'groww');
    return order;
  }

  /** The trades of one order, every page of `GET /v1/order/trades/{id}`. */
  async tradesOf(brokerOrderId: string): Promise<BrokerTrade[]> {
    const rows: GrowwTrade[] = [];
    for (let page = 0; ; page++) {
      const data = await this.client.payload<{ trade_list?: GrowwTrade[] }>({
        method: 'GET',
        path: `/v1/order/trades/${encodeURIComponent(brokerOrderId)}`,
        cls: 'non_trading',
        lookup: true,
        query: [
          ['segment', 'CASH'],
          ['page', String(page)],
          ['page_size', String(GROWW_TRADE_PAGE)],
        ],
      });
      const list = data?.trade_list ?? [];
      rows.push(...list);
      if (list.length < GROWW_TRADE_PAGE) break;
    }
    const now = this.clock.now();
    return rows.map((t) => mapGrowwTrade(t, this.clientIdById.get(String(t.groww_order_id)), now)).filter((t): t is BrokerTrade => t !== undefined);
  }

  /** Groww has no day trade book: the trades of every order that traded. */
  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    if (brokerOrderId) return this.tradesOf(brokerOrderId);
    const out: BrokerTrade[] = [];
    for (const o of await this.orders()) if (o.filledQuantity > 0) out.push(...(await this.tradesOf(o.brokerOrderId)));
    return out;
  }

  /** The type of an order, from memory or else from its detail. */
  async typeOf(brokerOrderId: string): Promise<OrderType> {
    const known = this.typeById.get(brokerOrderId);
    if (known) return known;
    return (await this.detail(brokerOrderId)).type;
  }

  map(rows: GrowwOrder[]): BrokerOrder[] {
    const now = this.clock.now();
    const out: BrokerOrder[] = [];
    for (const row of rows) {
      const id = String(row.groww_order_id);
      const type = ourOrderType(row.order_type);
      if (type) this.typeById.set(id, type);
      const clientId = fromReferenceId(row.order_reference_id);
      if (clientId) this.clientIdById.set(id, clientId);
      const order = mapGrowwOrder(row, now);
      if (order) out.push(order);
    }
    return out;
  }
}
