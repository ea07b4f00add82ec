import { exhaustive, type StoredEvent } from '../domain/events/index.js';
import { formatMoney } from '../domain/money.js';
import { isTerminal } from '../domain/order.js';
import { ENDED_RUN } from '../domain/run-status.js';
import { exchangeTimeZone, formatBps, formatClock, formatPercent, formatPrice, formatQuantity, zoneLabel } from './format.js';
import type { LegView } from './view-model/dashboard-model.js';
import { type DashboardCalendar, DashboardViewModel } from './view-model/view-model.js';

export interface ProgressLinesOptions {
  /** Where lines go (stderr in the commands). */
  write(line: string): void;
  /** Time zone of the wall-clock time prefix (default: the host's). */
  timeZone?: string;
  /** Fractions of a leg at which a progress line is written (default quarter steps). */
  milestones?: number[];
  calendar?: DashboardCalendar;
}

/**
 * Plain progress for `--no-ui` and non-terminals: one line per meaningful step (run created,
 * planned, started, each leg's start, quarter milestones and end, alerts, kill switch, the final
 * summary), built from the same events and view model as the dashboard. Fills are not echoed one
 * by one: a busy algorithm would drown the log; the milestones say how far each leg has got.
 *
 * Each line starts with the wall-clock time it was recorded. A run on a simulated market clock
 * (the paper broker at `--speed`, or ahead of the wall clock) says so when it is created, and
 * its lines add the market time in brackets: `10:32:05 [market 16:02:05 IST] …`.
 */
export class ProgressLines {
  private readonly model: DashboardViewModel;
  private readonly milestones: number[];
  private readonly reached = new Map<number, number>();
  private zone?: string;

  constructor(private readonly options: ProgressLinesOptions) {
    this.model = new DashboardViewModel({ calendar: options.calendar });
    this.milestones = (options.milestones ?? [0.25, 0.5, 0.75]).filter((m) => m > 0 && m < 1).sort((a, b) => a - b);
  }

  /** The zone lines are stamped in: the given one, else the host's (asked of Intl only when a line is written: its first use costs a start some 25 ms). */
  private get timeZone(): string {
    this.zone ??= this.options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    return this.zone;
  }

  /** The sequence number of the last event taken in. */
  get seq(): number {
    return this.model.seq;
  }

  /**
   * Takes in events this display did not show (the run before a resume, or while the dashboard
   * was up) without writing a line for them, so that later lines and the final summary count the
   * whole run. Milestones already passed are not announced again.
   */
  catchUp(events: readonly StoredEvent[]): void {
    this.model.applyAll(events);
    this.model.takeNewFills();
    this.model.takeNewAlerts();
    for (const leg of this.model.snapshot(this.model.seq).legs) {
      const passed = this.milestones.filter((m) => leg.quantity > 0 && leg.filled / leg.quantity >= m).at(-1);
      if (passed !== undefined) this.reached.set(leg.index, passed);
    }
  }

  apply(events: StoredEvent | readonly StoredEvent[]): void {
    const list = Array.isArray(events) ? (events as readonly StoredEvent[]) : [events as StoredEvent];
    for (const event of list) this.applyOne(event);
  }

  private applyOne(event: StoredEvent): void {
    if (event.seq <= this.model.seq) return;
    this.model.apply(event);
    const clock = this.model.marketClock();
    const prefix = `${formatClock(event.ts, this.timeZone)} ${this.marketPrefix(event, clock)}`;
    const say = (text: string) => this.options.write(`${prefix}${text}`);
    switch (event.type) {
      case 'run.created': {
        const p = event.payload;
        const simulated = clock.simulated ? `; market clock simulated${clock.speed === 'max' ? ' at max speed' : clock.speed && clock.speed !== '1' ? ` ×${clock.speed}` : ''}` : '';
        this.options.write(`${formatClock(event.ts, this.timeZone)} run ${p.runId || event.runId || ''} created: ${p.broker || '?'} account ${p.account || '?'}${p.dryRun ? ' (dry run)' : ''}${simulated}`);
        break;
      }
      case 'run.planned': {
        const legs = this.model.snapshot(event.ts).legs;
        const buys = legs.filter((l) => l.side === 'buy').length;
        say(`planned ${legs.length} ${legs.length === 1 ? 'leg' : 'legs'} (${buys} buy, ${legs.length - buys} sell)`);
        break;
      }
      case 'run.status': {
        const { status, reason } = event.payload;
        if (ENDED_RUN.has(status)) say(`run ${status}${reason ? ` (${reason})` : ''}: ${this.summary(event.ts)}`);
        else say(`run ${status}${reason ? ` (${reason})` : ''}`);
        break;
      }
      case 'order.created': {
        if (event.payload.parentId) break;
        const view = this.model.leg(event.payload.leg);
        const how = view?.orderPhrase ?? `with ${view?.algo || 'the default algorithm'}`;
        if (view) say(`${legName(view)} started: ${view.side} ${formatQuantity(view.quantity)} ${how}, arrival ${formatPrice(view.arrivalPrice)}`);
        break;
      }
      case 'order.status': {
        const { clientOrderId, to, reason } = event.payload;
        const order = this.model.orderOf(clientOrderId);
        const view = order?.parent ? this.model.leg(order.leg) : undefined; // only the parent's end ends a leg
        if (!view || !isTerminal(to)) break;
        say(`${legName(view)} ${view.status}: ${formatQuantity(view.filled)}/${formatQuantity(view.quantity)} avg ${formatPrice(view.avgPrice)}, slippage ${formatBps(view.slippageBps)} bps${reason ? ` (${reason})` : ''}`);
        break;
      }
      case 'fill.recorded': {
        for (const fill of this.model.takeNewFills()) {
          if (fill.leg !== null) this.milestone(fill.leg, say);
        }
        break;
      }
      // What else happens shows as the model's alerts below, or not at all.
      case 'run.control':
      case 'run.alert':
      case 'leg.paused':
      case 'leg.resumed':
      case 'run.breaker_tripped':
      case 'run.failover':
      case 'order.resized':
      case 'risk.checked':
      case 'risk.halted':
      case 'risk.unhalted':
      case 'charges.booked':
      case 'settlement.scheduled':
      case 'settlement.resolved':
      case 'account.snapshot':
      case 'market.sampled':
      case 'notification.sent':
      case 'notification.failed':
      case 'unknown':
        break;
      default:
        exhaustive(event);
    }
    this.model.takeNewFills();
    for (const alert of this.model.takeNewAlerts()) {
      // Rejections also end a leg or show in its line; alerts are the engine's own words.
      say(`${alert.level === 'info' ? '' : `${alert.level === 'error' ? 'error' : 'warning'}: `}${alert.message}`);
    }
  }

  /** `[market 16:02:05 IST] ` for a run on a simulated clock, once its exchange is known; else nothing. */
  private marketPrefix(event: StoredEvent, clock: ReturnType<DashboardViewModel['marketClock']>): string {
    if (!clock.simulated || clock.ts === null) return '';
    const zone = exchangeTimeZone(clock.exchange ?? undefined);
    return `[market ${formatClock(event.marketTs ?? clock.ts, zone ?? 'UTC')} ${zoneLabel(zone)}] `;
  }

  private milestone(index: number, say: (text: string) => void): void {
    const view = this.model.leg(index);
    if (!view || view.quantity <= 0) return;
    const fraction = view.filled / view.quantity;
    const reached = this.reached.get(index) ?? 0;
    const next = [...this.milestones].reverse().find((m) => fraction >= m && m > reached);
    if (next === undefined) return;
    this.reached.set(index, next);
    say(`${legName(view)} ${formatPercent(fraction)} filled (${formatQuantity(view.filled)}/${formatQuantity(view.quantity)}) avg ${formatPrice(view.avgPrice)}, slippage ${formatBps(view.slippageBps)} bps`);
  }

  private summary(ts: number): string {
    const snapshot = this.model.snapshot(ts);
    const t = snapshot.totals;
    const money = (minor: number) => formatMoney(minor, snapshot.header.currency);
    return `filled ${formatQuantity(t.filledQuantity)}/${formatQuantity(t.orderedQuantity)} (${formatPercent(t.fillRate)}), traded ${money(t.tradedValue)}, shortfall ${formatBps(t.shortfallBps)} bps (${money(t.shortfall)}), charges ${money(t.charges)}`;
  }
}

function legName(leg: LegView): string {
  return `leg ${leg.index} ${leg.symbol}`;
}
