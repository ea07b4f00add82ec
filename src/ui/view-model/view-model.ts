import { exhaustive, type PayloadOf, type StoredEvent, type StoredEventOf } from '../../domain/events/index.js';
import { fillAdvancesLeg } from '../../domain/fill.js';
import type { Currency } from '../../domain/money.js';
import { legStatus } from '../../domain/leg-status.js';
import { isTerminal, type OrderStatus } from '../../domain/order.js';
import type { RiskReason } from '../../domain/risk-reason.js';
import { ENDED_RUN, isRunStatus } from '../../domain/run-status.js';
import { sideSign, type Side } from '../../domain/side.js';
import type {
  AlertLevel,
  AlertView,
  DashboardSnapshot,
  FillView,
  LegView,
  RunPhase,
  SettlementRowView,
  SettlementState,
  TotalsView,
} from './dashboard-model.js';
import { horizonMs } from './leg-horizon.js';
import { type LegOrder, legOrder, ORDER_NAME } from './leg-order.js';

/**
 * The market calendar functions the view model needs for the settlement panel and the session
 * label. The command wires the engine's calendar in; without one, settlement dates read as
 * unknown rather than guessed.
 */
export interface DashboardCalendar {
  tradingDate(exchange: string, ts: number): string;
  addBusinessDays(exchange: string, isoDate: string, days: number): string;
  /** The session at an instant, as a name or as the engine calendar's `{ state }` object. */
  sessionState?(exchange: string, ts: number): string | { state: string };
}

export interface ViewModelOptions {
  calendar?: DashboardCalendar;
  /** How many alerts the model keeps (the panel shows the newest few). */
  alertLimit?: number;
}

interface LegState {
  index: number;
  symbol: string;
  exchange: string;
  side: Side;
  algo: string;
  quantity: number;
  decisionPrice: number | null;
  arrivalPrice: number | null;
  horizonMs: number | null;
  parentId: string | null;
  parentStatus: OrderStatus | null;
  filled: number;
  filledValue: number;
  openChildren: number;
  /** Orders the leg sent, and how many of them the broker rejected. */
  sentOrders: number;
  rejectedOrders: number;
  lastReason: string | null;
  startedAt: number | null;
  /** Market cumulative volume when the leg started; null until a sample is seen. */
  volumeBaseline: number | null;
  /** The order the leg is sent as, when its line names one (stop, bracket, …). */
  order: LegOrder | null;
  /** Market time the leg's current pause began, and the length of its ended pauses. */
  pausedAt: number | null;
  pausedMs: number;
}

interface OrderState {
  leg: number;
  parent: boolean;
  status: OrderStatus;
  symbol: string;
  /** Why ptexec asked for its cancel, while that cancel may still take effect. */
  cancelReason?: string;
}

interface TradeSettlement {
  exchange: string;
  date: string | null;
  side: Side;
  value: number;
  state: SettlementState;
}

interface MarketState {
  ts: number;
  bid: number | null;
  ask: number | null;
  last: number | null;
  volume: number | null;
}

const MINUTE_MS = 60_000;
/** How the engine records a cancel that failed, the order then taken as still working. */
const CANCEL_FAILED = 'cancel failed: ';
/** A market clock further than this from the wall clock is not the wall clock: it is simulated. */
const SIMULATED_AFTER_MS = 2_000;

/**
 * The dashboard's state, built only from stored events (so a live run, an attached `watch` and a
 * replay of a finished run show the same thing). `apply` is cheap and allocation-light because it
 * runs for every event (thousands per second); `snapshot` does the arithmetic and runs per frame.
 *
 * Two clocks: an event's `ts` is the wall-clock time it was recorded (how long a run has been
 * quiet, when the kill switch was pulled); its market time is the engine's clock, which on the
 * paper broker at `--speed` is simulated and runs ahead. Run times, elapsed and remaining time,
 * alerts and fills are on the market clock, which the model runs on at the run's speed between
 * events.
 */
export class DashboardViewModel {
  private runId: string | null = null;
  private account: string | null = null;
  private readonly brokers: string[] = [];
  private dryRun = false;
  private currency: Currency = 'INR';
  private status: RunPhase = 'waiting';
  private statusReason: string | null = null;
  private createdAt: number | null = null;
  private startedAt: number | null = null;
  private endedAt: number | null = null;
  /** The run's own pauses (run status `paused`): when the current one began, and the ended ones' length. */
  private runPausedAt: number | null = null;
  private runPausedMs = 0;
  private readonly legs = new Map<number, LegState>();
  private readonly orders = new Map<string, OrderState>();
  private readonly market = new Map<string, MarketState>();
  /** The time of the latest market sample, and its exchange: the zone the market clock is read in. */
  private sampleTs: number | null = null;
  private marketExchange: string | null = null;
  private halted = false;
  private haltReason: string | null = null;
  private haltedSince: number | null = null;
  private alerts: AlertView[] = [];
  private newAlerts: AlertView[] = [];
  private newFills: FillView[] = [];
  private readonly settlements = new Map<string, SettlementRowView>();
  /** Per trade (broker|tradeId): where it settles, so scheduled/resolved events can move it. */
  private readonly trades = new Map<string, TradeSettlement>();
  /** Charges allocated per trade of this run by the latest booking of its contract note. */
  private readonly tradeCharges = new Map<string, number>();
  private readonly runTrades = new Set<string>();
  /** Note totals for bookings that carry no per-trade allocation. */
  private readonly noteCharges = new Map<string, number>();
  private readonly tradingDates = new Map<string, string>();
  private readonly settleDates = new Map<string, string>();
  private charges = 0;
  private fills = 0;
  private lastSeq = 0;
  private lastEventTs: number | null = null;
  /** The latest market time seen, and the wall-clock time of the event that carried it. */
  private lastMarketTs: number | null = null;
  private lastMarketWallTs = 0;
  private speed: string | null = null;
  /** How fast the market clock runs against the wall clock: 0 at `--speed max` (it jumps). */
  private marketRate = 1;
  private simulated = false;
  private readonly alertLimit: number;

  constructor(private readonly options: ViewModelOptions = {}) {
    this.alertLimit = options.alertLimit ?? 200;
  }

  /** The sequence number of the last event applied; sources resume after it. */
  get seq(): number {
    return this.lastSeq;
  }

  /** True once the run has reached a final status. */
  get ended(): boolean {
    return ENDED_RUN.has(this.status);
  }

  applyAll(events: readonly StoredEvent[]): void {
    for (const event of events) this.apply(event);
  }

  apply(event: StoredEvent): void {
    if (event.seq <= this.lastSeq) return; // each event once, even if a source repeats itself
    this.lastSeq = event.seq;
    this.lastEventTs = event.ts;
    this.advanceMarketClock(event);
    switch (event.type) {
      case 'run.created':
        return this.onRunCreated(event);
      case 'run.planned':
        return this.onRunPlanned(event.payload);
      case 'run.status':
        return this.onRunStatus(event);
      case 'order.created':
        return this.onOrderCreated(event);
      case 'order.status':
        return this.onOrderStatus(event);
      case 'fill.recorded':
        return this.onFill(event);
      case 'run.control':
        return this.onControl(event);
      case 'leg.paused':
        return this.onLegPaused(event);
      case 'leg.resumed':
        return this.onLegResumed(event);
      case 'run.alert':
        return this.onAlert(event);
      case 'risk.checked':
        return this.onRiskChecked(event);
      case 'risk.halted':
        // A kill switch scoped to another account or broker does not stop this run.
        if (!this.concerns(event.payload)) return;
        return this.onHalt(event, event.payload.reason, event.payload.actor);
      case 'risk.unhalted':
        return this.onHalt(event, undefined, event.payload.actor);
      case 'market.sampled':
        return this.onMarket(event);
      case 'charges.booked':
        return this.onCharges(event.payload);
      case 'settlement.scheduled':
        return this.onSettlementScheduled(event.payload);
      case 'settlement.resolved':
        return this.onSettlementResolved(event.payload);
      // Quantities the broker changed on an exit leg, and account snapshots, change nothing shown;
      // an event this version cannot read is left out.
      case 'order.resized':
      case 'account.snapshot':
      case 'unknown':
        return;
      default:
        exhaustive(event);
    }
  }

  /** Fills applied since the last call, oldest first (for the append-only fills log). */
  takeNewFills(): FillView[] {
    const fills = this.newFills;
    this.newFills = [];
    return fills;
  }

  /** Alerts raised since the last call, oldest first (for the append-only log). */
  takeNewAlerts(): AlertView[] {
    const alerts = this.newAlerts;
    this.newAlerts = [];
    return alerts;
  }

  /**
   * The market clock as of the last event applied (cheaper than a whole snapshot, for per-event
   * consumers): its time, whether it is simulated and at what speed, and the exchange whose time
   * zone it is read in.
   */
  marketClock(): { ts: number | null; simulated: boolean; speed: string | null; exchange: string | null } {
    return { ts: this.lastMarketTs, simulated: this.simulated, speed: this.speed, exchange: this.clockExchange() };
  }

  /** The exchange of the latest market sample; before any, the first leg's. */
  private clockExchange(): string | null {
    if (this.marketExchange !== null) return this.marketExchange;
    let first: LegState | undefined;
    for (const leg of this.legs.values()) if (leg.exchange && (!first || leg.index < first.index)) first = leg;
    return first?.exchange ?? null;
  }

  /** One leg as the table shows it (cheaper than a whole snapshot, for per-event consumers). */
  leg(index: number): LegView | undefined {
    const leg = this.legs.get(index);
    return leg ? this.legView(leg) : undefined;
  }

  /** The leg an order belongs to and whether it is the leg's parent order, if the order is known. */
  orderOf(clientOrderId: string): { leg: number; parent: boolean } | undefined {
    const order = this.orders.get(clientOrderId);
    return order ? { leg: order.leg, parent: order.parent } : undefined;
  }

  /**
   * The state to draw. `now` is the viewer's wall clock; the model never reads a clock itself.
   * The market clock runs on from the latest market time seen at the run's speed (it never goes
   * backwards), and stops where the run ended.
   */
  snapshot(now: number): DashboardSnapshot {
    const ended = this.ended;
    const market = this.lastMarketTs === null ? null : ended ? this.lastMarketTs : this.marketAt(now);
    const clock = market ?? now;
    const legs = [...this.legs.values()].sort((a, b) => a.index - b.index).map((leg) => this.legView(leg));
    const exchange = this.clockExchange();
    const phase: RunPhase = this.halted && !ended ? 'halted' : this.status;
    const until = ended && this.endedAt !== null ? this.endedAt : clock;
    const pausedMs = this.runPausedMs + (this.runPausedAt === null ? 0 : Math.max(0, until - this.runPausedAt));
    // Elapsed is time the run spent running: it stands still while the run is paused.
    const elapsedMs = this.startedAt === null ? null : until - this.startedAt - pausedMs;
    const horizon = ended ? null : this.horizon(clock);
    return {
      header: {
        runId: this.runId,
        brokers: [...this.brokers],
        account: this.account,
        algos: [...new Set(legs.map((l) => (l.orderKind ? ORDER_NAME[l.orderKind] : l.algo)).filter((a) => a !== ''))],
        dryRun: this.dryRun,
        currency: this.currency,
        phase,
        statusReason: this.statusReason,
        marketTs: market,
        marketExchange: exchange,
        simulated: this.simulated,
        speed: this.speed,
        session: this.session(exchange, market),
        startedAt: this.startedAt,
        elapsedMs,
        pausedMs: this.runPausedMs > 0 || this.runPausedAt !== null ? pausedMs : null,
        pausedLegs: legs.filter((l) => l.status === 'paused').length,
        horizonShiftMs: horizon?.shiftMs ?? null,
        endsAt: horizon?.endsAt ?? null,
        remainingMs: horizon ? Math.max(0, horizon.endsAt - clock) : null,
        killSwitch: { engaged: this.halted, reason: this.haltReason, since: this.haltedSince },
        lastEventTs: this.lastEventTs,
        // A paused run is quiet by design: only a run that should be trading is flagged.
        quietMs: ended || phase === 'paused' || this.lastEventTs === null ? null : Math.max(0, now - this.lastEventTs),
        lastSeq: this.lastSeq,
      },
      legs,
      totals: this.totals(),
      settlement: [...this.settlements.values()].sort(compareSettlement),
      alerts: this.alerts.slice(),
      ended,
    };
  }

  /**
   * Moves the market clock to the event's market time. An event recorded outside the engine
   * (a halt, a control request) has none: it is placed where the clock had run to by then.
   */
  private advanceMarketClock(event: StoredEvent): void {
    const market = event.marketTs ?? this.marketAt(event.ts);
    if (event.marketTs !== undefined && Math.abs(event.marketTs - event.ts) > SIMULATED_AFTER_MS) this.simulated = true;
    if (this.lastMarketTs === null || market >= this.lastMarketTs) {
      this.lastMarketWallTs = this.lastMarketTs === null ? event.ts : Math.max(this.lastMarketWallTs, event.ts);
      this.lastMarketTs = market;
    }
  }

  /** The market time at wall-clock time `wall`: the latest market time seen, run on at the run's speed. */
  private marketAt(wall: number): number {
    if (this.lastMarketTs === null) return wall;
    return this.lastMarketTs + Math.max(0, wall - this.lastMarketWallTs) * this.marketRate;
  }

  /** The market time of an event being applied (the clock has been moved to it). */
  private marketTime(event: StoredEvent): number {
    return event.marketTs ?? this.lastMarketTs ?? event.ts;
  }

  private onRunCreated(event: StoredEventOf<'run.created'>): void {
    const p = event.payload;
    this.runId = p.runId || event.runId;
    this.account = p.account || null;
    this.addBroker(p.broker);
    this.dryRun = p.dryRun;
    const speed = p.options.speed;
    this.speed = typeof speed === 'string' ? speed : typeof speed === 'number' ? String(speed) : null;
    if (this.speed !== null && this.speed !== '1') this.simulated = true;
    this.marketRate = this.speed === 'max' ? 0 : this.speed === null ? 1 : Number(this.speed) || 1;
    this.createdAt = this.marketTime(event);
    if (this.status === 'waiting') this.status = 'planned';
  }

  private onRunPlanned(p: PayloadOf<'run.planned'>): void {
    if (p.currency === 'INR' || p.currency === 'USD') this.currency = p.currency;
    for (const l of p.legs) {
      const leg = this.legFor(l.index, l.symbol, l.exchange, l.side);
      leg.quantity = l.quantity;
      leg.decisionPrice = l.decisionPrice;
      leg.algo = l.execution.algo || leg.algo;
      leg.order = legOrder(l.execution);
      leg.horizonMs = horizonMs(l.execution.params) ?? leg.horizonMs;
    }
  }

  private onRunStatus(event: StoredEventOf<'run.status'>): void {
    const { status, reason } = event.payload;
    // A status of another version of ptexec is not shown as one of ours.
    if (!isRunStatus(status)) return;
    this.status = status;
    this.statusReason = reason || null;
    const at = this.marketTime(event);
    if (this.runPausedAt !== null && status !== 'paused') {
      this.runPausedMs += Math.max(0, at - this.runPausedAt);
      this.runPausedAt = null;
    }
    if (status === 'paused' && this.runPausedAt === null) this.runPausedAt = at;
    if (status === 'running' && this.startedAt === null) this.startedAt = at;
    if (ENDED_RUN.has(status)) {
      this.endedAt = at;
      this.startedAt ??= this.createdAt ?? at;
    } else {
      this.endedAt = null;
    }
  }

  private onOrderCreated(event: StoredEventOf<'order.created'>): void {
    const p = event.payload;
    const { clientOrderId, parentId, symbol } = p;
    const leg = this.legFor(p.leg, symbol, p.exchange, p.side);
    this.addBroker(p.broker);
    this.orders.set(clientOrderId, { leg: p.leg, parent: parentId === undefined, status: 'created', symbol });
    if (parentId === undefined) {
      leg.parentId = clientOrderId;
      leg.parentStatus = 'created';
      if (leg.quantity === 0) leg.quantity = p.quantity;
      leg.algo = p.algo || leg.algo;
      leg.arrivalPrice = p.arrivalPrice ?? leg.arrivalPrice;
      leg.decisionPrice ??= p.decisionPrice ?? null;
      leg.startedAt ??= this.marketTime(event);
      const sample = this.market.get(marketKey(leg.exchange, leg.symbol));
      leg.volumeBaseline ??= sample?.volume ?? null;
    } else {
      leg.openChildren += 1;
      leg.sentOrders += 1;
      // A leg worked without a parent record still gets its arrival price from its first child.
      leg.arrivalPrice ??= p.arrivalPrice ?? null;
      leg.startedAt ??= this.marketTime(event);
    }
  }

  private onOrderStatus(event: StoredEventOf<'order.status'>): void {
    const { clientOrderId, to: next } = event.payload;
    const order = this.orders.get(clientOrderId);
    if (!order) return;
    const leg = this.legs.get(order.leg);
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
      this.pushAlert(event, 'error', 'order', `${leg.symbol} ${order.parent ? 'order' : 'child order'} rejected${reason ? `: ${reason}` : ''}`, leg.index);
    }
  }

  private onFill(event: StoredEventOf<'fill.recorded'>): void {
    const { quantity, price, symbol, exchange, side } = event.payload;
    const order = this.orders.get(event.payload.clientOrderId);
    const leg = order ? this.legs.get(order.leg) : this.legBySymbol(exchange, symbol);
    const ts = event.payload.ts ?? this.marketTime(event);
    if (leg && fillAdvancesLeg(leg.side, side)) {
      leg.filled += quantity;
      leg.filledValue += quantity * price;
    }
    this.fills += 1;
    this.newFills.push({ seq: event.seq, ts, leg: leg?.index ?? null, symbol, side, quantity, price });
    const key = tradeKey(event.payload.broker, event.payload.tradeId || `seq${event.seq}`);
    if (!this.trades.has(key)) this.setTrade(key, { exchange, date: this.settlementDate(exchange, ts), side, value: quantity * price, state: 'pending' });
    if (!this.runTrades.has(key)) {
      this.runTrades.add(key);
      this.charges += this.tradeCharges.get(key) ?? 0; // booked before its fill arrived here
    }
  }

  private onControl(event: StoredEventOf<'run.control'>): void {
    const { action, by } = event.payload;
    const leg = event.payload.leg === undefined ? undefined : this.legs.get(event.payload.leg);
    const target = leg ? `${leg.symbol} (leg ${leg.index})` : 'run';
    if (leg) leg.lastReason = `${action} requested`;
    this.pushAlert(event, 'info', 'control', `${action} ${target} requested${by ? ` by ${by}` : ''}`, leg?.index ?? null);
  }

  private onLegPaused(event: StoredEventOf<'leg.paused'>): void {
    const leg = this.legs.get(event.payload.leg);
    if (leg && leg.pausedAt === null) leg.pausedAt = this.marketTime(event);
  }

  private onLegResumed(event: StoredEventOf<'leg.resumed'>): void {
    const leg = this.legs.get(event.payload.leg);
    if (!leg || leg.pausedAt === null) return;
    leg.pausedMs += event.payload.pausedMs ?? Math.max(0, this.marketTime(event) - leg.pausedAt);
    leg.pausedAt = null;
  }

  private onAlert(event: StoredEventOf<'run.alert'>): void {
    const { level, source } = event.payload;
    const message = event.payload.message || 'alert';
    const leg = event.payload.leg === undefined ? undefined : this.legs.get(event.payload.leg);
    if (leg) leg.lastReason = message;
    this.pushAlert(event, level, source || 'engine', message, leg?.index ?? null);
  }

  /** A pre-trade verdict: a block or a warning is shown, on its leg and as an alert. */
  private onRiskChecked(event: StoredEventOf<'risk.checked'>): void {
    const r = event.payload;
    if (r.verdict !== 'block' && r.verdict !== 'warn') return;
    const reasons = reasonsText(r.reasons);
    // The plan's run-wide verdict sums up its legs; without reasons of its own it adds nothing.
    if (r.scope === 'run' && !reasons) return;
    const leg = r.leg === undefined ? undefined : this.legs.get(r.leg);
    const symbol = leg?.symbol ?? r.symbol;
    // A verdict recorded without reasons is shown as what it is, never with an empty reason.
    if (leg) leg.lastReason = reasons ?? `${r.verdict === 'block' ? 'blocked' : 'warned'} by the pre-trade checks`;
    const what = r.verdict === 'block' ? 'risk block' : 'risk warning';
    this.pushAlert(event, r.verdict === 'block' ? 'error' : 'warn', 'risk', `${what}${symbol ? ` ${symbol}` : ''}${reasons ? `: ${reasons}` : ''}`, leg?.index ?? null);
  }

  private concerns(scope: { account?: string; broker?: string }): boolean {
    if (scope.account && this.account && scope.account !== this.account) return false;
    return !(scope.broker && this.brokers.length && !this.brokers.includes(scope.broker));
  }

  /** The kill switch engaged (with its reason; null or absent when none was given) or released (`reason` undefined). */
  private onHalt(event: StoredEvent, reason: string | null | undefined, by: string): void {
    const engaged = reason !== undefined;
    this.halted = engaged;
    this.haltReason = reason || null;
    this.haltedSince = engaged ? event.ts : null;
    const message = engaged ? `kill switch engaged${this.haltReason ? `: ${this.haltReason}` : ''}` : 'kill switch released';
    this.pushAlert(event, engaged ? 'error' : 'info', 'risk', by ? `${message} (${by})` : message, null);
  }

  private onMarket(event: StoredEventOf<'market.sampled'>): void {
    const { symbol, exchange, bid, ask, last, volume } = event.payload;
    const ts = event.payload.ts ?? this.marketTime(event);
    const sample: MarketState = { ts, bid, ask, last, volume };
    this.market.set(marketKey(exchange, symbol), sample);
    if (this.sampleTs === null || ts >= this.sampleTs) {
      this.sampleTs = ts;
      this.marketExchange = exchange || this.marketExchange;
    }
    for (const leg of this.legs.values()) {
      if (leg.symbol === symbol && leg.exchange === exchange && leg.startedAt !== null && leg.volumeBaseline === null) leg.volumeBaseline = volume;
    }
  }

  /**
   * A booking carries the whole contract note of one scrip-day as it stands, so a later booking
   * replaces the earlier one: per-trade allocations replace that trade's charge (counted when the
   * trade is this run's), and a note without allocations replaces its own total.
   */
  private onCharges(p: PayloadOf<'charges.booked'>): void {
    if (p.trades.length > 0) {
      for (const t of p.trades) {
        const key = tradeKey(p.broker, t.tradeId);
        const before = this.tradeCharges.get(key) ?? 0;
        this.tradeCharges.set(key, t.total);
        if (this.runTrades.has(key)) this.charges += Math.round(t.total - before);
      }
      return;
    }
    const note = [p.broker, p.account, p.exchange, p.symbol, p.tradingDate].join('|');
    this.charges += Math.round(p.total - (this.noteCharges.get(note) ?? 0));
    this.noteCharges.set(note, p.total);
  }

  /** The settlement area's own schedule for a trade wins over the date derived from the fill. */
  private onSettlementScheduled(p: PayloadOf<'settlement.scheduled'>): void {
    const key = tradeKey(p.broker, p.tradeId);
    const known = this.trades.get(key);
    this.setTrade(key, { exchange: p.exchange, date: p.settleDate || (known?.date ?? null), side: p.side, value: p.value, state: known?.state ?? 'pending' });
  }

  private onSettlementResolved(p: PayloadOf<'settlement.resolved'>): void {
    const key = tradeKey(p.broker, p.tradeId);
    const known = this.trades.get(key);
    if (known) this.setTrade(key, { ...known, state: p.status });
  }

  /** Moves a trade's contribution between settlement rows (date × exchange). */
  private setTrade(key: string, next: TradeSettlement): void {
    const before = this.trades.get(key);
    if (before) this.addToRow(before, -1);
    this.trades.set(key, next);
    this.addToRow(next, 1);
  }

  private addToRow(trade: TradeSettlement, sign: 1 | -1): void {
    const rowKey = `${trade.exchange}|${trade.date ?? ''}`;
    let row = this.settlements.get(rowKey);
    if (!row) {
      row = { date: trade.date, exchange: trade.exchange, trades: 0, settled: 0, failed: 0, payIn: 0, payOut: 0, state: 'pending' };
      this.settlements.set(rowKey, row);
    }
    row.trades += sign;
    if (trade.state === 'settled') row.settled += sign;
    if (trade.state === 'failed') row.failed += sign;
    if (trade.side === 'buy') row.payIn += sign * trade.value;
    else row.payOut += sign * trade.value;
    row.state = row.failed > 0 ? 'failed' : row.trades > 0 && row.settled === row.trades ? 'settled' : 'pending';
    if (row.trades <= 0) this.settlements.delete(rowKey);
  }

  private legFor(index: number, symbol: string, exchange: string, side: Side): LegState {
    let leg = this.legs.get(index);
    if (!leg) {
      leg = {
        index,
        symbol,
        exchange,
        side,
        algo: '',
        quantity: 0,
        decisionPrice: null,
        arrivalPrice: null,
        horizonMs: null,
        parentId: null,
        parentStatus: null,
        filled: 0,
        filledValue: 0,
        openChildren: 0,
        sentOrders: 0,
        rejectedOrders: 0,
        lastReason: null,
        startedAt: null,
        volumeBaseline: null,
        order: null,
        pausedAt: null,
        pausedMs: 0,
      };
      this.legs.set(index, leg);
    }
    return leg;
  }

  private legBySymbol(exchange: string, symbol: string): LegState | undefined {
    for (const leg of this.legs.values()) if (leg.symbol === symbol && (!exchange || leg.exchange === exchange)) return leg;
    return undefined;
  }

  private addBroker(broker: string | undefined): void {
    if (broker && !this.brokers.includes(broker)) this.brokers.push(broker);
  }

  private pushAlert(event: StoredEvent, level: AlertLevel, source: string, message: string, leg: number | null): void {
    const alert: AlertView = { seq: event.seq, ts: this.marketTime(event), level, source, message, leg };
    this.alerts.push(alert);
    if (this.alerts.length > this.alertLimit) this.alerts = this.alerts.slice(-this.alertLimit);
    this.newAlerts.push(alert);
  }

  /** T+1 business day of the trade's trading date; cached per minute so fill bursts stay cheap. */
  private settlementDate(exchange: string, ts: number): string | null {
    const calendar = this.options.calendar;
    if (!calendar || !exchange) return null;
    const minuteKey = `${exchange}|${Math.floor(ts / MINUTE_MS)}`;
    try {
      let tradeDate = this.tradingDates.get(minuteKey);
      if (tradeDate === undefined) {
        tradeDate = calendar.tradingDate(exchange, ts);
        this.tradingDates.set(minuteKey, tradeDate);
      }
      const dateKey = `${exchange}|${tradeDate}`;
      let settle = this.settleDates.get(dateKey);
      if (settle === undefined) {
        settle = calendar.addBusinessDays(exchange, tradeDate, 1);
        this.settleDates.set(dateKey, settle);
      }
      return settle;
    } catch {
      // An exchange the calendar does not know: the date is shown as unknown, not invented.
      return null;
    }
  }

  private session(exchange: string | null, market: number | null): string | null {
    const calendar = this.options.calendar;
    if (!calendar?.sessionState || market === null || !exchange) return null;
    try {
      const state = calendar.sessionState(exchange, market);
      return (typeof state === 'string' ? state : state.state).replace(/_/g, '-');
    } catch {
      return null;
    }
  }

  /**
   * When the working legs' horizons end, pauses included: a pause moves a leg's horizon by its
   * length (the engine's rule), an ongoing one up to `clock`. `shiftMs` is how far pauses moved it.
   */
  private horizon(clock: number): { endsAt: number; shiftMs: number } | null {
    let planned: number | null = null;
    let endsAt: number | null = null;
    for (const leg of this.legs.values()) {
      if (leg.horizonMs === null || leg.startedAt === null) continue;
      if (leg.parentStatus !== null && isTerminal(leg.parentStatus)) continue;
      const end = leg.startedAt + leg.horizonMs;
      planned = Math.max(planned ?? end, end);
      endsAt = Math.max(endsAt ?? end, end + this.legPausedMs(leg, clock));
    }
    return planned === null || endsAt === null ? null : { endsAt, shiftMs: endsAt - planned };
  }

  private legPausedMs(leg: LegState, clock: number): number {
    return leg.pausedMs + (leg.pausedAt === null ? 0 : Math.max(0, clock - leg.pausedAt));
  }

  private legView(leg: LegState): LegView {
    const avgPrice = leg.filled > 0 ? leg.filledValue / leg.filled : null;
    const s = sideSign(leg.side);
    const slippageBps = avgPrice !== null && leg.arrivalPrice ? (s * (avgPrice - leg.arrivalPrice) * 10_000) / leg.arrivalPrice : null;
    return {
      index: leg.index,
      symbol: leg.symbol,
      exchange: leg.exchange,
      side: leg.side,
      algo: leg.algo,
      quantity: leg.quantity,
      filled: leg.filled,
      filledValue: leg.filledValue,
      avgPrice,
      arrivalPrice: leg.arrivalPrice,
      decisionPrice: leg.decisionPrice,
      slippageBps,
      participation: this.participation(leg),
      openChildren: leg.openChildren,
      status: legStatus({
        // A leg worked without a parent record is working once it has orders or fills.
        order: leg.parentStatus ?? (leg.filled > 0 || leg.sentOrders > 0 ? 'accepted' : null),
        quantity: leg.quantity,
        filled: leg.filled,
        paused: leg.pausedAt !== null,
        everyOrderRejected: leg.sentOrders > 0 && leg.rejectedOrders === leg.sentOrders,
      }),
      lastReason: leg.lastReason,
      orderKind: leg.order?.kind ?? null,
      order: leg.order?.label ?? null,
      orderPhrase: leg.order?.phrase ?? null,
    };
  }

  /** Own volume over market volume since the leg started, own fills included in the market's. */
  private participation(leg: LegState): number | null {
    if (leg.volumeBaseline === null) return null;
    const sample = this.market.get(marketKey(leg.exchange, leg.symbol));
    if (!sample || sample.volume === null) return null;
    const marketVolume = Math.max(sample.volume - leg.volumeBaseline, leg.filled);
    return marketVolume > 0 ? leg.filled / marketVolume : null;
  }

  /**
   * Implementation shortfall so far (EXECUTION.md): delay s·S·(P₀ − P_d), trading s·f·(P̄ − P₀),
   * opportunity s·(S − f)·(P_now − P₀) marked at the latest mid, plus charges; bps over S·P_d.
   */
  private totals(): TotalsView {
    let ordered = 0;
    let filled = 0;
    let bought = 0;
    let sold = 0;
    let shortfall = 0;
    let paper = 0;
    for (const leg of this.legs.values()) {
      ordered += leg.quantity;
      filled += leg.filled;
      if (leg.side === 'buy') bought += leg.filledValue;
      else sold += leg.filledValue;
      const decision = leg.decisionPrice ?? leg.arrivalPrice;
      if (decision === null) continue;
      const arrival = leg.arrivalPrice ?? decision;
      const s = sideSign(leg.side);
      paper += leg.quantity * decision;
      const delay = s * leg.quantity * (arrival - decision);
      const trading = s * (leg.filledValue - leg.filled * arrival);
      const current = this.currentPrice(leg);
      const unfilled = Math.max(0, leg.quantity - leg.filled);
      const opportunity = current === null ? 0 : s * unfilled * (current - arrival);
      shortfall += delay + trading + opportunity;
    }
    shortfall = Math.round(shortfall) + this.charges;
    return {
      orderedQuantity: ordered,
      filledQuantity: filled,
      tradedValue: bought + sold,
      boughtValue: bought,
      soldValue: sold,
      shortfall,
      shortfallBps: paper > 0 ? (shortfall * 10_000) / paper : null,
      charges: this.charges,
      fillRate: ordered > 0 ? filled / ordered : null,
      fills: this.fills,
    };
  }

  private currentPrice(leg: LegState): number | null {
    const sample = this.market.get(marketKey(leg.exchange, leg.symbol));
    if (!sample) return null;
    if (sample.bid !== null && sample.ask !== null && sample.bid > 0 && sample.ask > 0) return (sample.bid + sample.ask) / 2;
    return sample.last;
  }
}

function tradeKey(broker: string, tradeId: string): string {
  return `${broker}|${tradeId}`;
}

function marketKey(exchange: string, symbol: string): string {
  return `${exchange}:${symbol}`;
}

/** The reasons of a pre-trade verdict, joined for display ("rule: message; …"); undefined when there are none. */
function reasonsText(reasons: readonly RiskReason[]): string | undefined {
  const parts = reasons.map((r) => (r.rule && r.message ? `${r.rule}: ${r.message}` : r.message || r.rule)).filter((t) => t);
  return parts.length ? parts.join('; ') : undefined;
}

function compareSettlement(a: SettlementRowView, b: SettlementRowView): number {
  return (a.date ?? '').localeCompare(b.date ?? '') || a.exchange.localeCompare(b.exchange);
}
