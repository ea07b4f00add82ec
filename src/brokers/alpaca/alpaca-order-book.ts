import type { Clock } from '../../domain/clock.js';
import type { Exchange } from '../../domain/instrument.js';
import { tradingDate } from '../../market/exchange-time.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import type { AlpacaClient } from './alpaca-client.js';
import { type AlpacaFill, type AlpacaOrder, mapAlpacaChain, mapAlpacaFill } from './alpaca-mapping.js';
import { isLinkedRow, legClientId } from './alpaca-order-classes.js';

/**
 * Alpaca's order and fill books, read through the client and reported as ptexec knows its
 * orders: a replacement (Alpaca's PATCH creates a new order with a new id, the old one ends
 * `replaced`) is reported under the first order's id and our client id, with the fills of the
 * whole chain. The chain is learnt from `replaces` / `replaced_by` on every row read, so it
 * survives a restart. The exit legs of a bracket or OCO are learnt from the `legs` nested under
 * their parent and reported under `<our id>TP` / `<our id>SL` (alpaca-order-classes.ts): the
 * book is read with `nested=true`, so a restart finds them again under the same ids.
 */
export class AlpacaOrderBook {
  private readonly rows = new Map<string, AlpacaOrder>();
  /** Replacement id → the id it replaced. */
  private readonly replaced = new Map<string, string>();
  /** Replaced id → its replacement. */
  private readonly replacement = new Map<string, string>();
  /** Order ids of fills the order book was read for once already. */
  private readonly soughtOrders = new Set<string>();
  /** Exit leg id → the first id of its parent's chain. */
  private readonly legParent = new Map<string, string>();
  /** Parents whose legs have been read. */
  private readonly parentsWithLegs = new Set<string>();

  constructor(
    private readonly client: AlpacaClient,
    private readonly exchangeOf: (symbol: string) => Promise<Exchange>,
    private readonly clock: Clock,
  ) {}

  remember(row: AlpacaOrder): void {
    this.rows.set(row.id, row);
    if (row.replaces) this.link(row.replaces, row.id);
    if (row.replaced_by) this.link(row.id, row.replaced_by);
    if (!row.legs?.length) return;
    const parent = this.rootOf(row.id);
    this.parentsWithLegs.add(parent);
    for (const leg of row.legs) {
      this.remember(leg);
      this.legParent.set(this.rootOf(leg.id), parent);
    }
  }

  /** The client id an order's chain is reported under: ours, or `<ours>TP` / `<ours>SL` for an exit leg. */
  clientIdOf(id: string): string | undefined {
    const root = this.rootOf(id);
    const parent = this.legParent.get(root);
    if (parent === undefined) return this.rows.get(root)?.client_order_id;
    const parentClientId = this.rows.get(parent)?.client_order_id;
    const leg = this.standing(root);
    return parentClientId && leg ? legClientId(parentClientId, leg) : undefined;
  }

  /** Whether the order is a member of a bracket or OCO (its parent or one of its legs). */
  isLinked(id: string): boolean {
    const root = this.rootOf(id);
    const row = this.rows.get(root);
    return this.legParent.has(root) || (row !== undefined && isLinkedRow(row));
  }

  /** Whether a row of a bracket or OCO is placed in its group already (its legs, or its parent, known). */
  groupKnown(id: string): boolean {
    const root = this.rootOf(id);
    const row = this.rows.get(root);
    if (!row || !isLinkedRow(row)) return true;
    return this.legParent.has(root) || this.parentsWithLegs.has(root);
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

  /** Today's orders (the newest 500 of every status, exit legs nested under their parent), one per chain. */
  async orders(): Promise<BrokerOrder[]> {
    const rows = await this.client.json<AlpacaOrder[]>({ method: 'GET', path: '/v2/orders', cls: 'api', query: [['status', 'all'], ['limit', '500'], ['nested', 'true']] });
    for (const row of rows ?? []) this.remember(row);
    const all = (rows ?? []).flatMap((r) => [r, ...(r.legs ?? [])]);
    const roots = [...new Set(all.map((r) => this.rootOf(r.id)))];
    const out: BrokerOrder[] = [];
    for (const root of roots) {
      const order = await this.chainOrder(root);
      if (order) out.push(order);
    }
    return out;
  }

  /**
   * The order carrying our client id, followed to its standing replacement. An exit leg carries
   * Alpaca's id, not ours: `<id>TP` / `<id>SL` is found among the legs of the parent `<id>`.
   */
  async byClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    const row = await this.lookUpClientId(clientOrderId);
    if (!row?.id) return this.legByClientId(clientOrderId);
    this.remember(row);
    for (let next = row.replaced_by, guard = 0; next && guard < 100; guard++) {
      const known = this.rows.get(next);
      const r = known ?? (await this.client.json<AlpacaOrder>({ method: 'GET', path: `/v2/orders/${encodeURIComponent(next)}`, cls: 'api', lookup: true }));
      this.remember(r);
      next = r.replaced_by ?? undefined;
    }
    return this.chainOrder(this.rootOf(row.id));
  }

  private lookUpClientId(clientOrderId: string): Promise<AlpacaOrder | undefined> {
    return this.client.json<AlpacaOrder | undefined>({ method: 'GET', path: '/v2/orders:by_client_order_id', cls: 'api', lookup: true, query: [['client_order_id', clientOrderId]] }).catch((err: unknown) => {
      if ((err as { kind?: string }).kind === 'not_found') return undefined;
      throw err;
    });
  }

  private async legByClientId(clientOrderId: string): Promise<BrokerOrder | undefined> {
    if (clientOrderId.length <= 2) return undefined;
    const parent = await this.lookUpClientId(clientOrderId.slice(0, -2));
    if (!parent?.id || !isLinkedRow(parent)) return undefined;
    this.remember(await this.client.json<AlpacaOrder>({ method: 'GET', path: `/v2/orders/${encodeURIComponent(parent.id)}`, cls: 'api', lookup: true, query: [['nested', 'true']] }));
    for (const [leg, of] of this.legParent) {
      if (of === this.rootOf(parent.id) && this.clientIdOf(leg) === clientOrderId) return this.chainOrder(leg);
    }
    return undefined;
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
      out.push(mapAlpacaFill(f, await this.exchangeOf(f.symbol), { id, clientOrderId: this.clientIdOf(id) }));
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
    return mapAlpacaChain(chain, await this.exchangeOf(chain[0]!.symbol), this.clock.now(), this.clientIdOf(root));
  }

  private link(from: string, to: string): void {
    this.replacement.set(from, to);
    this.replaced.set(to, from);
  }
}
