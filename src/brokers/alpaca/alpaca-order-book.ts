import type { Clock } from '../../domain/clock.js';
import type { Exchange } from '../../domain/instrument.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import type { AlpacaClient } from './alpaca-client.js';
import { type AlpacaFill, type AlpacaOrder, mapAlpacaChain, mapAlpacaFill } from './alpaca-mapping.js';

/**
 * Alpaca's order and fill books, read through the client and reported as ptexec knows its
 * orders: a replacement (Alpaca's PATCH creates a new order with a new id, the old one ends
 * `replaced`) is reported under the first order's id and our client id, with the fills of the
 * whole chain. The chain is learnt from `replaces` / `replaced_by` on every row read, so it
 * survives a restart.
 */
export class AlpacaOrderBook {
  private readonly rows = new Map<string, AlpacaOrder>();
  /** Replacement id → the id it replaced. */
  private readonly replaced = new Map<string, string>();
  /** Replaced id → its replacement. */
  private readonly replacement = new Map<string, string>();
  /** Order ids of fills the order book was read for once already. */
  private readonly soughtOrders = new Set<string>();

  constructor(
    private readonly client: AlpacaClient,
    private readonly exchangeOf: (symbol: string) => Promise<Exchange>,
    private readonly clock: Clock,
  ) {}

  remember(row: AlpacaOrder): void {
    this.rows.set(row.id, row);
    if (row.replaces) this.link(row.replaces, row.id);
    if (row.replaced_by) this.link(row.id, row.replaced_by);
  }

  rootOf(id: string): string {
    let at = id;
    for (let guard = 0; this.replaced.has(at) && guard < 1_000; guard++) at = this.replaced.get(at)!;
    return at;
  }

  /** The order of a chain that stands now (what a cancel or a further replace must name). */
  standing(id: string): AlpacaOrder | undefined {
    let at = this.rootOf(id);
    for (let guard = 0; this.replacement.has(at) && guard < 1_000; guard++) at = this.replacement.get(at)!;
    return this.rows.get(at);
  }

  /** Today's orders (the newest 500 of every status), one per chain. */
  async orders(): Promise<BrokerOrder[]> {
    const rows = await this.client.json<AlpacaOrder[]>({ method: 'GET', path: '/v2/orders', cls: 'api', query: [['status', 'all'], ['limit', '500']] });
    for (const row of rows ?? []) this.remember(row);
    const roots = [...new Set((rows ?? []).map((r) => this.rootOf(r.id)))];
    const out: BrokerOrder[] = [];
    for (const root of roots) {
      const order = await this.chainOrder(root);
      if (order) out.push(order);
    }
    return out;
  }

  /** The order carrying our client id, followed to its standing replacement. */
  async byClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const row = await this.client.json<AlpacaOrder | undefined>({ method: 'GET', path: '/v2/orders:by_client_order_id', cls: 'api', lookup: true, query: [['client_order_id', clientOrderId]] }).catch((err: unknown) => {
      if ((err as { kind?: string }).kind === 'not_found') return undefined;
      throw err;
    });
    if (!row?.id) return undefined;
    this.remember(row);
    for (let next = row.replaced_by, guard = 0; next && guard < 100; guard++) {
      const known = this.rows.get(next);
      const r = known ?? (await this.client.json<AlpacaOrder>({ method: 'GET', path: `/v2/orders/${encodeURIComponent(next)}`, cls: 'api', lookup: true }));
      this.remember(r);
      next = r.replaced_by ?? undefined;
    }
    return this.chainOrder(this.rootOf(row.id));
  }

  /** Today's fills (the FILL activities of the trading day), of one order's chain or all. */
  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    const day = tradingDate('NYSE', this.clock.now());
    const fills = await this.client.json<AlpacaFill[]>({ method: 'GET', path: '/v2/account/activities/FILL', cls: 'api', query: [['date', day], ['direction', 'asc'], ['page_size', '100']] });
    // A fill of an order not seen yet: read the book once for it (orders placed elsewhere, or before the newest 500, stay unknown).
    const unseen = (fills ?? []).filter((f) => !this.rows.has(f.order_id) && !this.soughtOrders.has(f.order_id));
    if (unseen.length > 0) {
      await this.orders();
      for (const f of unseen) this.soughtOrders.add(f.order_id);
    }
    const root = brokerOrderId === undefined ? undefined : this.rootOf(brokerOrderId);
    const out: BrokerTrade[] = [];
    for (const f of fills ?? []) {
      const id = this.rootOf(f.order_id);
      if (root !== undefined && id !== root) continue;
      out.push(mapAlpacaFill(f, await this.exchangeOf(f.symbol), { id, clientOrderId: this.rows.get(id)?.client_order_id }));
    }
    return out;
  }

  /** One chain as an order, from the rows known (undefined while its first order is unknown). */
  async chainOrder(root: string): Promise<BrokerOrder | undefined> {
    const chain: AlpacaOrder[] = [];
    for (let at: string | undefined = root, guard = 0; at && guard < 1_000; guard++) {
      const row = this.rows.get(at);
      if (!row) break;
      chain.push(row);
      at = this.replacement.get(at);
    }
    if (chain.length === 0) return undefined;
    return mapAlpacaChain(chain, await this.exchangeOf(chain[0]!.symbol), this.clock.now());
  }

  private link(from: string, to: string): void {
    this.replacement.set(from, to);
    this.replaced.set(to, from);
  }
}
