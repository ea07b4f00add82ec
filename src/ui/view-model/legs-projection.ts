import type { PayloadOf, RouteNote, StoredEventOf } from '../../domain/events/index.js';
import { fillAdvancesLeg } from '../../domain/fill.js';
import { isTerminal, type OrderStatus } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import type { AlertLog } from './alert-log.js';
import type { LegView } from './dashboard-model.js';
import { legView } from './leg-figures.js';
import { horizonMs } from './leg-horizon.js';
import { legOrder } from './leg-order.js';
import { type LegState, marketKey, type MarketState, newLegState } from './leg-state.js';
import type { MarketClock } from './market-clock.js';

interface OrderState {
  leg: number;
  parent: boolean;
  status: OrderStatus;
  symbol: string;
  /** Why ptexec asked for its cancel, while that cancel may still take effect. */
  cancelReason?: string;
}

/** How the engine records a cancel that failed, the order then taken as still working. */
const CANCEL_FAILED = 'cancel failed: ';

/**
 * The legs of the run and their orders, projected from the plan, the order and fill events, the
 * legs' pauses and the market samples (for arrival volume and the mark). Rejections are raised as
 * alerts on the log it is given.
 */
export class LegsProjection {
  private readonly legs = new Map<number, LegState>();
  private readonly orders = new Map<string, OrderState>();
  private readonly market = new Map<string, MarketState>();
  /** Legs by symbol, in the order they were first heard of: a fill of an order not seen finds its leg without a scan. */
  private readonly byInstrument = new Map<string, LegState[]>();
  /** Started legs whose instrument has no sample yet, by instrument: the next sample is their volume baseline. */
  private readonly awaitingBaseline = new Map<string, Set<LegState>>();
  /** Legs changed since their views were last made; the legs in plan order, and their views in the same order. */
  private readonly touched = new Set<LegState>();
  private ordered: LegState[] = [];
  private shown: LegView[] = [];
  /** Each leg's place in `ordered` (and `shown`). */
  private readonly position = new Map<LegState, number>();
  /** The time of the latest market sample, and its exchange: the zone the market clock is read in. */
  private sampleTs: number | null = null;
  private routes: readonly RouteNote[] = [];
  private marketExchange: string | null = null;

  constructor(
    private readonly clock: MarketClock,
    private readonly alerts: AlertLog,
  ) {}

  /** A leg, to read or to change: its view is drawn again at the next frame. */
  get(index: number): LegState | undefined {
    return this.touch(this.legs.get(index));
  }

  /**
   * The legs as the table shows them, in plan order. A leg's view is made again only when an
   * event changed the leg or its instrument's sample since the last call: a frame of a run of
   * 50,000 legs does not rebuild 50,000 views. The list is the same array from call to call,
   * changed in place (a new list of 50,000 views each frame is garbage V8 keeps until a full
   * collection, and grew the heap by hundreds of MiB over a replay); it is read until the next call.
   */
  views(): readonly LegView[] {
    if (this.ordered.length !== this.legs.size) {
      const before = this.shown;
      const place = new Map(this.position);
      this.ordered = this.inOrder();
      this.shown = new Array<LegView>(this.ordered.length);
      this.position.clear();
      this.ordered.forEach((leg, i) => {
        this.position.set(leg, i);
        const was = place.get(leg);
        if (was === undefined) this.touched.add(leg);
        else this.shown[i] = before[was]!;
      });
    }
    for (const leg of this.touched) this.shown[this.position.get(leg)!] = legView(leg, this.sampleOf(leg));
    this.touched.clear();
    return this.shown;
  }

  private touch(leg: LegState | undefined): LegState | undefined {
    if (leg) this.touched.add(leg);
    return leg;
  }

  /** The legs in plan order. */
  inOrder(): LegState[] {
    return [...this.legs.values()].sort((a, b) => a.index - b.index);
  }

  all(): IterableIterator<LegState> {
    return this.legs.values();
  }

  /** The latest market sample of a leg's instrument. */
  sampleOf(leg: LegState): MarketState | undefined {
    return this.market.get(leg.marketKey);
  }

  /** The leg an order belongs to and whether it is the leg's parent order, if the order is known. */
  orderOf(clientOrderId: string): { leg: number; parent: boolean } | undefined {
    const order = this.orders.get(clientOrderId);
    return order ? { leg: order.leg, parent: order.parent } : undefined;
  }

  /** The exchange of the latest market sample; before any, the first leg's. */
  clockExchange(): string | null {
    if (this.marketExchange !== null) return this.marketExchange;
    let first: LegState | undefined;
    for (const leg of this.legs.values()) if (leg.exchange && (!first || leg.index < first.index)) first = leg;
    return first?.exchange ?? null;
  }

  /** A group's run: why the router gave each leg to this account (`run.created`'s `routes`), by instrument and side. */
  onRoutes(routes: readonly RouteNote[]): void {
    this.routes = routes;
    for (const leg of this.legs.values()) leg.route ??= this.routeOf(leg);
  }

  onPlanned(p: PayloadOf<'run.planned'>): void {
    for (const l of p.legs) {
      const leg = this.legFor(l.index, l.symbol, l.exchange, l.side);
      leg.route ??= this.routeOf(leg);
      leg.quantity = l.quantity;
      leg.decisionPrice = l.decisionPrice;
      leg.algo = l.execution.algo || leg.algo;
      leg.order = legOrder(l.execution);
      leg.horizonMs = horizonMs(l.execution.params) ?? leg.horizonMs;
    }
  }

  onOrderCreated(event: StoredEventOf<'order.created'>): void {
    const p = event.payload;
    const { clientOrderId, parentId, symbol } = p;
    const leg = this.legFor(p.leg, symbol, p.exchange, p.side);
    this.orders.set(clientOrderId, { leg: p.leg, parent: parentId === undefined, status: 'created', symbol });
    if (parentId === undefined) {
      leg.parentId = clientOrderId;
      leg.parentStatus = 'created';
      if (leg.quantity === 0) leg.quantity = p.quantity;
      leg.algo = p.algo || leg.algo;
      leg.arrivalPrice = p.arrivalPrice ?? leg.arrivalPrice;
      leg.decisionPrice ??= p.decisionPrice ?? null;
      leg.startedAt ??= this.clock.timeOf(event);
      leg.volumeBaseline ??= this.sampleOf(leg)?.volume ?? null;
    } else {
      leg.openChildren += 1;
      leg.sentOrders += 1;
      // A leg worked without a parent record still gets its arrival price from its first child.
      leg.arrivalPrice ??= p.arrivalPrice ?? null;
      leg.startedAt ??= this.clock.timeOf(event);
    }
    if (leg.volumeBaseline === null) {
      const waiting = this.awaitingBaseline.get(leg.marketKey);
      if (waiting) waiting.add(leg);
      else this.awaitingBaseline.set(leg.marketKey, new Set([leg]));
    }
  }

  onOrderStatus(event: StoredEventOf<'order.status'>): void {
    const { clientOrderId, to: next } = event.payload;
    const order = this.orders.get(clientOrderId);
    if (!order) return;
    const leg = this.get(order.leg);
    const wasOpen = !isTerminal(order.status);
    order.status = next;
    let reason = event.payload.reason || undefined;
    // A cancel ptexec asked for is shown with its cause (the next slice, the horizon, the user),
    // not with the broker's words for it; a failed cancel is no longer a cause.
    if (next === 'pending_cancel') order.cancelReason = reason;
    else if (reason?.startsWith(CANCEL_FAILED)) order.cancelReason = undefined;
    else if (next === 'cancelled' && order.cancelReason) reason = order.cancelReason;
    if (!leg) return;
    if (order.parent) leg.parentStatus = next;
    else if (wasOpen && isTerminal(next)) leg.openChildren = Math.max(0, leg.openChildren - 1);
    if (!order.parent && next === 'rejected' && wasOpen) leg.rejectedOrders += 1;
    if (reason) leg.lastReason = reason;
    if (next === 'rejected') {
      this.alerts.push(event, 'error', 'order', `${leg.symbol} ${order.parent ? 'order' : 'child order'} rejected${reason ? `: ${reason}` : ''}`, leg.index);
    }
  }

  /** Adds a fill to its leg (by its order, else by its instrument); returns the leg, if any. */
  onFill(event: StoredEventOf<'fill.recorded'>): LegState | undefined {
    const { quantity, price, symbol, exchange, side } = event.payload;
    const order = this.orders.get(event.payload.clientOrderId);
    const leg = this.touch(order ? this.legs.get(order.leg) : this.legBySymbol(exchange, symbol));
    if (leg && fillAdvancesLeg(leg.side, side)) {
      leg.filled += quantity;
      leg.filledValue += quantity * price;
    }
    return leg;
  }

  onLegPaused(event: StoredEventOf<'leg.paused'>): void {
    const leg = this.get(event.payload.leg);
    if (leg && leg.pausedAt === null) leg.pausedAt = this.clock.timeOf(event);
  }

  onLegResumed(event: StoredEventOf<'leg.resumed'>): void {
    const leg = this.get(event.payload.leg);
    if (!leg || leg.pausedAt === null) return;
    leg.pausedMs += event.payload.pausedMs ?? Math.max(0, this.clock.timeOf(event) - leg.pausedAt);
    leg.pausedAt = null;
  }

  onMarket(event: StoredEventOf<'market.sampled'>): void {
    const { symbol, exchange, bid, ask, last, volume } = event.payload;
    const ts = event.payload.ts ?? this.clock.timeOf(event);
    this.market.set(marketKey(exchange, symbol), { ts, bid, ask, last, volume });
    if (this.sampleTs === null || ts >= this.sampleTs) {
      this.sampleTs = ts;
      this.marketExchange = exchange || this.marketExchange;
    }
    // The sample is the legs' mark and participation: their views change.
    for (const leg of this.byInstrument.get(symbol) ?? []) if (leg.exchange === exchange) this.touched.add(leg);
    const key = marketKey(exchange, symbol);
    const waiting = this.awaitingBaseline.get(key);
    if (!waiting) return;
    this.awaitingBaseline.delete(key);
    for (const leg of waiting) if (leg.startedAt !== null && leg.volumeBaseline === null) leg.volumeBaseline = volume;
  }

  private legFor(index: number, symbol: string, exchange: string, side: Side): LegState {
    let leg = this.get(index);
    if (!leg) {
      leg = newLegState(index, symbol, exchange, side);
      this.legs.set(index, leg);
      const bySymbol = this.byInstrument.get(symbol);
      if (bySymbol) bySymbol.push(leg);
      else this.byInstrument.set(symbol, [leg]);
      this.touched.add(leg);
    }
    return leg;
  }

  /** The first leg heard of for the instrument (any exchange when the fill names none). */
  private legBySymbol(exchange: string, symbol: string): LegState | undefined {
    return this.byInstrument.get(symbol)?.find((leg) => !exchange || leg.exchange === exchange);
  }

  private routeOf(leg: LegState): string | null {
    return this.routes.find((r) => r.symbol === leg.symbol && r.exchange === leg.exchange && r.side === leg.side)?.why ?? null;
  }
}
