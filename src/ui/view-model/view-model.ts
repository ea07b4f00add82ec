import { exhaustive, type StoredEvent, type StoredEventOf } from '../../domain/events/index.js';
import type { Currency } from '../../domain/money.js';
import type { RiskReason } from '../../domain/risk-reason.js';
import { ENDED_RUN, isRunStatus } from '../../domain/run-status.js';
import { AlertLog } from './alert-log.js';
import type { AlertView, DashboardSnapshot, FillView, LegView, RunPhase } from './dashboard-model.js';
import { horizon, legView, totals } from './leg-figures.js';
import { ORDER_NAME } from './leg-order.js';
import { LegsProjection } from './legs-projection.js';
import { MarketClock } from './market-clock.js';
import { type DashboardCalendar, SettlementProjection } from './settlement-projection.js';

export type { DashboardCalendar } from './settlement-projection.js';

export interface ViewModelOptions {
  calendar?: DashboardCalendar;
  /** How many alerts the model keeps (the panel shows the newest few). */
  alertLimit?: number;
}

/**
 * The dashboard's state, built only from stored events (so a live run, an attached `watch` and a
 * replay of a finished run show the same thing). `apply` is cheap and allocation-light because it
 * runs for every event (thousands per second); `snapshot` does the arithmetic and runs per frame.
 *
 * Each family of events has its projection: the market clock (`market-clock.ts`), the legs and
 * their orders (`legs-projection.ts`), settlement and charges (`settlement-projection.ts`) and the
 * alert log; the run itself, its pauses and the kill switch are kept here. Run times, elapsed and
 * remaining time, alerts and fills are on the market clock; an event's `ts` (the wall-clock time
 * it was recorded) says how long a run has been quiet and when the kill switch was pulled.
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
  private halted = false;
  private haltReason: string | null = null;
  private haltedSince: number | null = null;
  private newFills: FillView[] = [];
  private fills = 0;
  private lastSeq = 0;
  private lastEventTs: number | null = null;
  private readonly clock = new MarketClock();
  private readonly alerts: AlertLog;
  private readonly legs: LegsProjection;
  private readonly settlement: SettlementProjection;

  constructor(private readonly options: ViewModelOptions = {}) {
    this.alerts = new AlertLog(this.clock, options.alertLimit ?? 200);
    this.legs = new LegsProjection(this.clock, this.alerts);
    this.settlement = new SettlementProjection(options.calendar);
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
    this.clock.advance(event);
    switch (event.type) {
      case 'run.created':
        return this.onRunCreated(event);
      case 'run.planned':
        if (event.payload.currency === 'INR' || event.payload.currency === 'USD') this.currency = event.payload.currency;
        return this.legs.onPlanned(event.payload);
      case 'run.status':
        return this.onRunStatus(event);
      case 'order.created':
        this.addBroker(event.payload.broker);
        return this.legs.onOrderCreated(event);
      case 'order.status':
        return this.legs.onOrderStatus(event);
      case 'fill.recorded':
        return this.onFill(event);
      case 'run.control':
        return this.onControl(event);
      case 'leg.paused':
        return this.legs.onLegPaused(event);
      case 'leg.resumed':
        return this.legs.onLegResumed(event);
      case 'run.alert':
        return this.onAlert(event);
      case 'run.breaker_tripped':
        return this.onBreaker(event);
      case 'risk.checked':
        return this.onRiskChecked(event);
      case 'risk.halted':
        // A kill switch scoped to another account or broker does not stop this run.
        if (!this.concerns(event.payload)) return;
        return this.onHalt(event, event.payload.reason, event.payload.actor);
      case 'risk.unhalted':
        return this.onHalt(event, undefined, event.payload.actor);
      case 'market.sampled':
        return this.legs.onMarket(event);
      case 'charges.booked':
        return this.settlement.onCharges(event.payload);
      case 'settlement.scheduled':
        return this.settlement.onScheduled(event.payload);
      case 'settlement.resolved':
        return this.settlement.onResolved(event.payload);
      // Quantities the broker changed on an exit leg, and account snapshots, change nothing shown;
      // an event this version cannot read is left out.
      case 'order.resized':
      case 'run.failover':
      case 'account.snapshot':
      case 'notification.sent':
      case 'notification.failed':
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
    return this.alerts.takeNew();
  }

  /**
   * The market clock as of the last event applied (cheaper than a whole snapshot, for per-event
   * consumers): its time, whether it is simulated and at what speed, and the exchange whose time
   * zone it is read in.
   */
  marketClock(): { ts: number | null; simulated: boolean; speed: string | null; exchange: string | null } {
    return { ts: this.clock.latest, simulated: this.clock.simulated, speed: this.clock.speed, exchange: this.legs.clockExchange() };
  }

  /** One leg as the table shows it (cheaper than a whole snapshot, for per-event consumers). */
  leg(index: number): LegView | undefined {
    const leg = this.legs.get(index);
    return leg ? legView(leg, this.legs.sampleOf(leg)) : undefined;
  }

  /** The leg an order belongs to and whether it is the leg's parent order, if the order is known. */
  orderOf(clientOrderId: string): { leg: number; parent: boolean } | undefined {
    return this.legs.orderOf(clientOrderId);
  }

  /**
   * The state to draw. `now` is the viewer's wall clock; the model never reads a clock itself.
   * The market clock runs on from the latest market time seen at the run's speed (it never goes
   * backwards), and stops where the run ended.
   */
  snapshot(now: number): DashboardSnapshot {
    const ended = this.ended;
    const latest = this.clock.latest;
    const market = latest === null ? null : ended ? latest : this.clock.at(now);
    const clock = market ?? now;
    const legs = this.legs.views();
    const exchange = this.legs.clockExchange();
    const phase: RunPhase = this.halted && !ended ? 'halted' : this.status;
    const until = ended && this.endedAt !== null ? this.endedAt : clock;
    const pausedMs = this.runPausedMs + (this.runPausedAt === null ? 0 : Math.max(0, until - this.runPausedAt));
    // Elapsed is time the run spent running: it stands still while the run is paused.
    const elapsedMs = this.startedAt === null ? null : until - this.startedAt - pausedMs;
    const ends = ended ? null : horizon(this.legs.all(), clock);
    return {
      header: {
        runId: this.runId,
        brokers: [...this.brokers],
        account: this.account,
        algos: algosOf(legs),
        dryRun: this.dryRun,
        currency: this.currency,
        phase,
        statusReason: this.statusReason,
        marketTs: market,
        marketExchange: exchange,
        simulated: this.clock.simulated,
        speed: this.clock.speed,
        session: this.session(exchange, market),
        startedAt: this.startedAt,
        elapsedMs,
        pausedMs: this.runPausedMs > 0 || this.runPausedAt !== null ? pausedMs : null,
        pausedLegs: count(legs, (l) => l.status === 'paused'),
        horizonShiftMs: ends?.shiftMs ?? null,
        endsAt: ends?.endsAt ?? null,
        remainingMs: ends ? Math.max(0, ends.endsAt - clock) : null,
        killSwitch: { engaged: this.halted, reason: this.haltReason, since: this.haltedSince },
        lastEventTs: this.lastEventTs,
        // A paused run is quiet by design: only a run that should be trading is flagged.
        quietMs: ended || phase === 'paused' || this.lastEventTs === null ? null : Math.max(0, now - this.lastEventTs),
        lastSeq: this.lastSeq,
      },
      legs,
      totals: totals(this.legs.all(), (leg) => this.legs.sampleOf(leg), this.settlement.charges, this.fills),
      settlement: this.settlement.view(),
      alerts: this.alerts.all(),
      ended,
    };
  }

  private onRunCreated(event: StoredEventOf<'run.created'>): void {
    const p = event.payload;
    this.runId = p.runId || event.runId;
    this.account = p.account || null;
    this.addBroker(p.broker);
    this.dryRun = p.dryRun;
    if (p.routes?.length) this.legs.onRoutes(p.routes);
    this.clock.setSpeed(p.options.speed);
    this.createdAt = this.clock.timeOf(event);
    if (this.status === 'waiting') this.status = 'planned';
  }

  private onRunStatus(event: StoredEventOf<'run.status'>): void {
    const { status, reason } = event.payload;
    // A status of another version of ptexec is not shown as one of ours.
    if (!isRunStatus(status)) return;
    this.status = status;
    this.statusReason = reason || null;
    const at = this.clock.timeOf(event);
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

  private onFill(event: StoredEventOf<'fill.recorded'>): void {
    const { quantity, price, symbol, exchange, side } = event.payload;
    const leg = this.legs.onFill(event);
    const ts = event.payload.ts ?? this.clock.timeOf(event);
    this.fills += 1;
    this.newFills.push({ seq: event.seq, ts, leg: leg?.index ?? null, symbol, side, quantity, price });
    const tradeId = event.payload.tradeId || `seq${event.seq}`;
    this.settlement.onFill({ broker: event.payload.broker, tradeId, exchange, ts, side, value: quantity * price });
  }

  private onControl(event: StoredEventOf<'run.control'>): void {
    const { action, by } = event.payload;
    const leg = event.payload.leg === undefined ? undefined : this.legs.get(event.payload.leg);
    const target = leg ? `${leg.symbol} (leg ${leg.index})` : 'run';
    if (leg) leg.lastReason = `${action} requested`;
    this.alerts.push(event, 'info', 'control', `${action} ${target} requested${by ? ` by ${by}` : ''}`, leg?.index ?? null);
  }

  private onAlert(event: StoredEventOf<'run.alert'>): void {
    const { level, source } = event.payload;
    const message = event.payload.message || 'alert';
    const leg = event.payload.leg === undefined ? undefined : this.legs.get(event.payload.leg);
    if (leg) leg.lastReason = message;
    this.alerts.push(event, level, source || 'engine', message, leg?.index ?? null);
  }

  /** An automatic breaker paused the run or a leg: an error line until someone resumes it. */
  private onBreaker(event: StoredEventOf<'run.breaker_tripped'>): void {
    const leg = event.payload.leg === undefined ? undefined : this.legs.get(event.payload.leg);
    if (leg) leg.lastReason = event.payload.message;
    this.alerts.push(event, 'error', 'breaker', event.payload.message, leg?.index ?? null);
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
    this.alerts.push(event, r.verdict === 'block' ? 'error' : 'warn', 'risk', `${what}${symbol ? ` ${symbol}` : ''}${reasons ? `: ${reasons}` : ''}`, leg?.index ?? null);
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
    this.alerts.push(event, engaged ? 'error' : 'info', 'risk', by ? `${message} (${by})` : message, null);
  }

  private addBroker(broker: string | undefined): void {
    if (broker && !this.brokers.includes(broker)) this.brokers.push(broker);
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
}

/** The legs' distinct algorithms (or named orders), in plan order: a frame walks 50,000 legs without a list of them. */
function algosOf(legs: readonly LegView[]): string[] {
  const algos = new Set<string>();
  for (const l of legs) {
    const algo = l.orderKind ? ORDER_NAME[l.orderKind] : l.algo;
    if (algo !== '') algos.add(algo);
  }
  return [...algos];
}

function count<T>(items: readonly T[], test: (item: T) => boolean): number {
  let n = 0;
  for (const item of items) if (test(item)) n += 1;
  return n;
}

/** The reasons of a pre-trade verdict, joined for display ("rule: message; …"); undefined when there are none. */
function reasonsText(reasons: readonly RiskReason[]): string | undefined {
  const parts = reasons.map((r) => (r.rule && r.message ? `${r.rule}: ${r.message}` : r.message || r.rule)).filter((t) => t);
  return parts.length ? parts.join('; ') : undefined;
}
