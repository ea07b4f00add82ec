import type { Clock } from '../../domain/clock.js';
import type { BrokerOrder, BrokerTrade } from '../broker.js';
import type { IbkrClient } from './ibkr-client.js';
import { type IbkrOrderRow, type IbkrPlacement, type IbkrTradeRow, mapIbkrOrder, mapIbkrTrade } from './ibkr-mapping.js';
import { IBKR_BOOK_READ_INTERVAL_MS } from './wire-facts.js';

/**
 * IBKR's order and trade books as the adapter knows them. The gateway lets each book be read once
 * every 5 s, so the adapter keeps both: rows read from `/iserver/account/orders` and
 * `/iserver/account/trades`, the WebSocket's `sor` and `str` updates (which may carry only what
 * changed: they are merged into the row), and the acknowledgements of its own placements. A read
 * goes to the gateway when the pace allows it (always, when pacing is off); otherwise the kept
 * book answers, which the stream keeps current.
 */
export class IbkrOrderBook {
  private readonly rows = new Map<string, IbkrOrderRow>();
  private readonly tickets = new Map<string, IbkrPlacement>();
  private readonly executions = new Map<string, IbkrTradeRow>();
  private lastOrdersRead = Number.NEGATIVE_INFINITY;
  private lastTradesRead = Number.NEGATIVE_INFINITY;
  private primed = false;

  constructor(
    private readonly client: IbkrClient,
    private readonly clock: Clock,
    /** Keep the gateway's one read per 5 s of each book. */
    private readonly paced: boolean,
    private readonly readIntervalMs = IBKR_BOOK_READ_INTERVAL_MS,
  ) {}

  /** The pre-flight read the order book needs before it answers (its first answer may be empty). */
  async prime(): Promise<void> {
    await this.readOrders();
    this.primed = true;
  }

  /** An order the adapter placed, as acknowledged, until the book or the stream reports it. */
  placed(orderId: string, ticket: IbkrPlacement, status: string | undefined, symbol: string, listing: string): void {
    this.tickets.set(orderId, ticket);
    if (this.rows.has(orderId)) return;
    this.rows.set(orderId, {
      orderId,
      conid: ticket.conid,
      ticker: symbol,
      listingExchange: listing,
      side: ticket.side,
      origOrderType: ticket.orderType,
      totalSize: ticket.quantity,
      filledQuantity: 0,
      remainingQuantity: ticket.quantity,
      price: ticket.orderType === 'STP' ? undefined : ticket.price,
      auxPrice: ticket.orderType === 'STP' ? ticket.price : ticket.auxPrice,
      status: status ?? 'PendingSubmit',
      order_ref: ticket.cOID,
      timeInForce: ticket.tif,
    });
  }

  modified(orderId: string, ticket: IbkrPlacement): void {
    this.tickets.set(orderId, ticket);
  }

  ticket(orderId: string): IbkrPlacement | undefined {
    return this.tickets.get(orderId);
  }

  row(orderId: string): IbkrOrderRow | undefined {
    return this.rows.get(orderId);
  }

  /** A row or a partial update; returns the order as it now stands. */
  merge(update: IbkrOrderRow): IbkrOrderRow {
    const id = String(update.orderId);
    const row = { ...this.rows.get(id), ...dropUndefined(update), orderId: id } as IbkrOrderRow;
    this.rows.set(id, row);
    return row;
  }

  addExecution(row: IbkrTradeRow): void {
    this.executions.set(row.execution_id, row);
  }

  /**
   * The book; `fresh` reads the gateway's even when the pace makes it wait (an order whose
   * placement answer was lost must be looked for where IBKR keeps it, never only in ours).
   */
  async orders(fresh = false, signal?: AbortSignal): Promise<BrokerOrder[]> {
    if (fresh && !this.mayRead(this.lastOrdersRead)) await this.clock.sleep(this.lastOrdersRead + this.readIntervalMs - this.clock.now(), signal);
    if (signal?.aborted) return [];
    if (fresh || this.mayRead(this.lastOrdersRead)) await this.readOrders();
    const now = this.clock.now();
    return [...this.rows.values()].map((r) => mapIbkrOrder(r, now)).filter((o): o is BrokerOrder => o !== undefined);
  }

  /** The trades of one order, or of the day. */
  async trades(brokerOrderId?: string): Promise<BrokerTrade[]> {
    if (this.mayRead(this.lastTradesRead)) {
      this.lastTradesRead = this.clock.now();
      for (const t of (await this.client.json<IbkrTradeRow[]>({ method: 'GET', path: '/iserver/account/trades' })) ?? []) this.addExecution(t);
    }
    const byRef = new Map<string, string>();
    for (const r of this.rows.values()) if (r.order_ref) byRef.set(r.order_ref, String(r.orderId));
    const now = this.clock.now();
    const out: BrokerTrade[] = [];
    for (const t of this.executions.values()) {
      const orderId = t.order_id !== undefined ? String(t.order_id) : t.order_ref ? byRef.get(t.order_ref) : undefined;
      if (!orderId || (brokerOrderId !== undefined && orderId !== brokerOrderId)) continue;
      const trade = mapIbkrTrade(t, orderId, now);
      if (trade) out.push(trade);
    }
    return out;
  }

  /** The executions of the last `days` days (1–7), read from the gateway (settlement needs them). */
  async recentExecutions(days: number): Promise<IbkrTradeRow[]> {
    return (await this.client.json<IbkrTradeRow[]>({ method: 'GET', path: '/iserver/account/trades', query: [['days', String(days)]] })) ?? [];
  }

  private mayRead(last: number): boolean {
    return !this.paced || this.clock.now() - last >= this.readIntervalMs;
  }

  private async readOrders(): Promise<void> {
    this.lastOrdersRead = this.clock.now();
    let answer = await this.client.json<{ orders?: IbkrOrderRow[]; snapshot?: boolean }>({ method: 'GET', path: '/iserver/account/orders' });
    // The first read of a session only starts the book (a pre-flight); read again unless the pace forbids it.
    if (answer?.snapshot === false && !this.paced && this.primed) answer = await this.client.json({ method: 'GET', path: '/iserver/account/orders' });
    for (const row of answer?.orders ?? []) this.merge(row);
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
