import type { BrokerEvent, BrokerOrder, BrokerTrade } from '../../brokers/broker.js';
import { isBrokerError } from '../../domain/errors/broker-error.js';
import type { NewEvent, OrderResized } from '../../domain/events/index.js';
import type { Fill } from '../../domain/fill.js';
import type { OrderStatus } from '../../domain/order.js';
import { canTransition } from '../../domain/order-state-machine.js';
import { awaitingProtection, countsForLeg, exitLegOf, exitRequest } from './linked-exits.js';
import type { OrderReports, RuntimeContext } from './runtime-context.js';
import { childCreatedPayload, isOpen, newChild, type ChildOrder, type ParentOrder } from './runtime-state.js';
import { childStatus } from './status-events.js';

/** How long fills reported by an order status may lag behind their trades before we fetch them. */
const FILL_GAP_MS = 1_000;

/**
 * What the broker reports about our child orders, turned into order-state and fill events: each
 * fill recorded exactly once (by trade id), statuses moved only along the order state machine,
 * reports that arrive before we know the broker's order id held until we do, exit legs the
 * broker placed for our linked orders adopted, and the order book re-read when the stream may
 * have missed something.
 */
export class OrderTracker implements OrderReports {
  /** Reports of orders not yet bound to a child (they can arrive before the placement's answer). */
  private readonly orphans = new Map<string, BrokerEvent[]>();
  private bookReadInFlight = false;
  /**
   * The children a poll looks at: those that may still change (open, a fill gap, a bracket
   * awaiting its exits). A poll comes four times a second for the whole run, so it must not
   * cost every child the run ever sent.
   */
  private readonly watching = new Set<ChildOrder>();
  /** How many of `run.childrenAdded` are in `watching` already. */
  private taken = 0;

  constructor(private readonly ctx: RuntimeContext) {}

  onBrokerEvent(event: BrokerEvent): void {
    const { run, broker } = this.ctx;
    switch (event.type) {
      case 'order': {
        const child = run.childFor(event.order.clientOrderId, event.order.brokerOrderId) ?? this.adoptExit(event.order);
        if (!child) return this.stashOrphan(event.order.brokerOrderId, event);
        return this.applyOrder(child, event.order);
      }
      case 'trade': {
        const child = run.childFor(event.trade.clientOrderId, event.trade.brokerOrderId);
        if (!child) return this.stashOrphan(event.trade.brokerOrderId, event);
        return this.recordTrade(child, event.trade);
      }
      case 'resync':
        this.ctx.alert('info', 'broker', `${broker.id}: ${event.reason}; re-reading the order book`);
        return this.requestBook();
      case 'disconnected':
        return this.ctx.alert('warn', 'broker', `${broker.id}: update stream disconnected (${event.reason}); reconnecting`);
      case 'error':
        return this.ctx.alert('error', 'broker', `${broker.id}: ${event.error.message}`);
    }
  }

  private stashOrphan(brokerOrderId: string | undefined, event: BrokerEvent): void {
    if (!brokerOrderId) return;
    const list = this.orphans.get(brokerOrderId) ?? [];
    list.push(event);
    this.orphans.set(brokerOrderId, list);
  }

  replayOrphans(brokerOrderId: string): void {
    const list = this.orphans.get(brokerOrderId);
    if (!list) return;
    this.orphans.delete(brokerOrderId);
    for (const event of list) this.onBrokerEvent(event);
  }

  /** Records a fill exactly once (by trade id), then moves the order and wakes its algorithm. */
  recordTrade(child: ChildOrder, trade: BrokerTrade): void {
    if (child.tradeIds.has(trade.tradeId)) return;
    const { run, broker, clock, parts } = this.ctx;
    this.ctx.failpoint('fill-received');
    const parent = run.parentOf(child);
    if (!child.brokerOrderId) run.bindBrokerId(child, trade.brokerOrderId);
    child.tradeIds.add(trade.tradeId);
    child.filled += trade.quantity;
    child.filledValue += trade.quantity * trade.price;
    child.lastUpdateAt = clock.now();
    if (countsForLeg(child, parent)) {
      run.addLegFill(parent, trade.quantity, trade.price);
    }
    const fill: Fill = {
      clientOrderId: child.clientOrderId,
      tradeId: trade.tradeId,
      brokerOrderId: trade.brokerOrderId,
      broker: broker.id,
      account: broker.account,
      symbol: child.request.symbol,
      exchange: child.request.exchange,
      side: child.request.side,
      quantity: trade.quantity,
      price: trade.price,
      ts: trade.ts,
    };
    // The trade's own time is in the payload; the event carries when the engine recorded it.
    const events: NewEvent[] = [this.ctx.event('fill.recorded', fill)];
    const next: OrderStatus = child.filled >= child.request.quantity ? 'filled' : 'partially_filled';
    if (child.status !== next && canTransition(child.status, next)) events.push(...childStatus(this.ctx, child, next));
    if (child.filled > child.request.quantity) {
      events.push(this.ctx.event('run.alert', { level: 'error', source: 'engine', message: `${child.clientOrderId}: broker reported ${child.filled} filled of ${child.request.quantity}`, leg: child.leg }));
    }
    this.ctx.record(events);
    this.ctx.failpoint('fill-recorded');
    if (!isOpen(child.status)) parts.legs.wake(parent, 'child_done');
    else parts.legs.wake(parent, 'fill');
    parts.legs.finishIfDone(parent);
  }

  applyOrder(child: ChildOrder, order: BrokerOrder): void {
    const { run, clock, parts } = this.ctx;
    const parent = run.parentOf(child);
    if (!child.brokerOrderId) run.bindBrokerId(child, order.brokerOrderId);
    child.lastUpdateAt = clock.now();
    if (order.quantity !== child.request.quantity && (child.request.orderClass || child.exitOf)) this.recordResize(child, parent, order.quantity);
    if (order.filledQuantity > child.filled) {
      // The status says more filled than the fills we hold. The trades usually follow on the
      // stream; if they have not arrived by the next poll, they are fetched (see poll).
      child.reportedFilled = Math.max(child.reportedFilled ?? 0, order.filledQuantity);
      this.watchFillGap(child);
    }
    let target = order.status;
    // Fill-driven statuses come from fills, so the filled quantity is always backed by trades.
    if (target === 'filled' || target === 'partially_filled') {
      if (child.filled >= child.request.quantity) target = 'filled';
      else if (child.filled > 0) target = 'partially_filled';
      else target = 'accepted';
    }
    if (target === child.status || !canTransition(child.status, target)) return;
    const wasOpen = isOpen(child.status);
    // A cancel we asked for keeps its cause (even when a fill came in while it was on its way);
    // the broker's words for it are in brokerStatus.
    const reason = target === 'cancelled' && child.cancelReason ? child.cancelReason : order.statusMessage;
    this.ctx.record(childStatus(this.ctx, child, target, { brokerOrderId: order.brokerOrderId, reason, brokerStatus: order.brokerStatus }));
    if (target === 'rejected') {
      parts.legs.noteRejection(parent, reason ?? 'rejected by the broker');
      this.ctx.alert('error', 'broker', `${child.request.symbol}: order rejected${reason ? `: ${reason}` : ''}`, child.leg);
    }
    if (wasOpen && !isOpen(target)) {
      parts.legs.wake(parent, 'child_done');
      parts.legs.finishIfDone(parent);
    }
  }

  /**
   * Records an exit leg the broker placed for one of our bracket or OCO orders, the first time
   * the broker reports it: a child of the leg, created and accepted with the broker's id, then
   * moved on by the report itself. Returns undefined for an order that is not such a leg.
   */
  private adoptExit(order: BrokerOrder): ChildOrder | undefined {
    const { run, broker, clock } = this.ctx;
    const linked = exitLegOf(order.clientOrderId, run.children);
    if (!linked) return undefined;
    const { entry, role } = linked;
    const parent = run.parentOf(entry);
    const request = exitRequest(entry.request, role, order.clientOrderId!, order.quantity);
    const child = newChild(parent, request, parent.children.length + 1, clock.now(), { exitOf: entry.clientOrderId, exitRole: role });
    run.addChild(child);
    const exit = role === 'take_profit' ? 'take-profit' : 'stop-loss';
    this.ctx.record([
      this.ctx.event('order.created', { ...childCreatedPayload(parent, request, broker), exitOf: entry.clientOrderId, exitRole: role }),
      ...childStatus(this.ctx, child, 'accepted', { brokerOrderId: order.brokerOrderId, reason: `${exit} of ${entry.clientOrderId}, placed by the broker` }),
    ]);
    run.bindBrokerId(child, order.brokerOrderId);
    if (order.status === 'rejected') this.ctx.alert('error', 'broker', `${request.symbol}: the ${exit} exit of ${entry.clientOrderId} was rejected${order.statusMessage ? `: ${order.statusMessage}` : ''}`, parent.leg.index);
    this.replayOrphans(order.brokerOrderId);
    // The last exit a filled entry waited for may be this one (a broker can report it after the entry's fill).
    this.ctx.parts.legs.finishIfDone(parent);
    return child;
  }

  /** The broker resized a linked order (exits follow the entry's fills and each other's). */
  private recordResize(child: ChildOrder, parent: ParentOrder, quantity: number): void {
    const payload: OrderResized['payload'] = { clientOrderId: child.clientOrderId, from: child.request.quantity, to: quantity, reason: 'resized by the broker with its linked order' };
    child.request.quantity = quantity;
    this.ctx.record([this.ctx.event('order.resized', payload)]);
    this.ctx.parts.legs.finishIfDone(parent);
  }

  handleBook(orders: BrokerOrder[], trades: BrokerTrade[]): void {
    const { run } = this.ctx;
    // Exit legs the broker placed while we were not listening are recorded before their trades.
    for (const o of orders) if (!run.childFor(o.clientOrderId, o.brokerOrderId)) this.adoptExit(o);
    for (const t of trades) {
      const child = run.childFor(t.clientOrderId, t.brokerOrderId);
      if (child) this.recordTrade(child, t);
    }
    for (const o of orders) {
      const child = run.childFor(o.clientOrderId, o.brokerOrderId);
      if (!child) continue;
      this.applyOrder(child, o);
      // A book read is already the catch-up path: fetch missing trades at once.
      if (child.fillGapSince !== undefined && child.filled < (child.reportedFilled ?? 0)) {
        child.fillGapSince = undefined;
        this.fetchTrades(child);
      }
    }
  }

  fetchTrades(child: ChildOrder): void {
    if (!child.brokerOrderId) return;
    this.ctx.begin();
    this.ctx.broker.trades(child.brokerOrderId).then(
      (trades) => this.ctx.settle({ kind: 'book', orders: [], trades }),
      (error: unknown) => this.ctx.settle({ kind: 'read-failed', what: `trades of ${child.clientOrderId}`, error, clientOrderId: child.clientOrderId }),
    );
  }

  async readBook(): Promise<{ orders: BrokerOrder[]; trades: BrokerTrade[] }> {
    const [orders, trades] = await Promise.all([this.ctx.broker.orders(), this.ctx.broker.trades()]);
    return { orders, trades };
  }

  /**
   * Adds to a read of the order book the orders of `children` it lacks, with their trades: the
   * book is today's, so orders of an earlier day are looked up one by one by our id. Returns the
   * children the broker has no trace of.
   */
  async completeBook(book: { orders: BrokerOrder[]; trades: BrokerTrade[] }, children: ChildOrder[]): Promise<ChildOrder[]> {
    const { broker } = this.ctx;
    const inBook = new Set(book.orders.map((o) => o.clientOrderId));
    const gone: ChildOrder[] = [];
    for (const child of children) {
      if (inBook.has(child.clientOrderId)) continue;
      const order = await broker.findOrderByClientId(child.clientOrderId);
      if (!order) {
        gone.push(child);
        continue;
      }
      book.orders.push(order);
      book.trades.push(...(await broker.trades(order.brokerOrderId)));
    }
    return gone;
  }

  /**
   * Re-reads the order book (after a reconnect, or when live orders have been silent). Orders
   * whose filled quantity is ahead of our fills then get their own trades fetched.
   */
  requestBook(): void {
    if (this.bookReadInFlight) return;
    this.bookReadInFlight = true;
    this.ctx.begin();
    this.ctx.broker.orders().then(
      (orders) => {
        this.bookReadInFlight = false;
        this.ctx.settle({ kind: 'book', orders, trades: [] });
      },
      (error: unknown) => {
        this.bookReadInFlight = false;
        this.ctx.settle({ kind: 'read-failed', what: 'the order book', error });
      },
    );
  }

  /** A failed read is retried by the next poll; a lost login stops the run (it is resumable). */
  onReadFailed(what: string, error: unknown, clientOrderId?: string): void {
    if (isBrokerError(error, 'auth')) return this.ctx.parts.controls.loginLost(error);
    const child = clientOrderId ? this.ctx.run.children.get(clientOrderId) : undefined;
    if (child && child.filled < (child.reportedFilled ?? 0)) this.watchFillGap(child);
    this.ctx.alert('warn', 'broker', `reading ${what} failed (${error instanceof Error ? error.message : String(error)}); retrying`);
  }

  /** The broker reports more filled than the trades we hold: the poll fetches them if they do not follow. */
  private watchFillGap(child: ChildOrder): void {
    child.fillGapSince ??= this.ctx.clock.now();
    this.watching.add(child);
  }

  /**
   * At each poll: fetches the trades of orders whose reported fills have been ahead of ours for
   * a while, and re-reads the book when live orders have been silent (or a filled bracket entry's
   * exits have not been reported).
   */
  poll(): void {
    const { run, clock, options } = this.ctx;
    const now = clock.now();
    let stale = false;
    for (; this.taken < run.childrenAdded.length; this.taken++) this.watching.add(run.childrenAdded[this.taken]!);
    for (const c of this.watching) {
      if (!isOpen(c.status) && c.fillGapSince === undefined && !(c.request.orderClass === 'bracket' && awaitingProtection(run.parentOf(c)))) {
        // Nothing more to watch for (a fill gap found later puts it back: see watchFillGap).
        this.watching.delete(c);
        continue;
      }
      if (c.fillGapSince !== undefined) {
        if (c.filled >= (c.reportedFilled ?? 0)) c.fillGapSince = undefined;
        else if (now - c.fillGapSince >= FILL_GAP_MS) {
          c.fillGapSince = undefined;
          this.fetchTrades(c);
        }
      }
      if (isOpen(c.status) && c.brokerOrderId && now - c.lastUpdateAt > options.staleOrderMs) stale = true;
      // A filled bracket entry whose exits have not been reported: look for them in the book.
      if (c.request.orderClass === 'bracket' && !isOpen(c.status) && now - c.lastUpdateAt > options.staleOrderMs && awaitingProtection(run.parentOf(c))) {
        c.lastUpdateAt = now;
        stale = true;
      }
    }
    // A broker whose updates cannot be lost has nothing to look for: its silent orders are resting.
    if (stale && !this.ctx.broker.capabilities.updatesComplete) {
      for (const c of this.watching) if (isOpen(c.status)) c.lastUpdateAt = now;
      this.requestBook();
    }
  }
}
