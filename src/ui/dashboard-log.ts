import { exchangeTimeZone } from './format.js';
import type { AlertView, DashboardSnapshot, FillView } from './view-model/dashboard-model.js';
import { type LogLine, logLines } from './view-model/log-lines.js';
import type { DashboardViewModel } from './view-model/view-model.js';

const MAX_FILL_LINES = 12;
const LOG_FLUSH_MS = 1000;

/**
 * The log above the live region: few fills are written one by one as they come; a burst is held
 * for up to a second and written as one summary line per symbol, which keeps the scroll readable
 * (and the terminal cheap) when an algorithm trades thousands of times a second. An alert is
 * written at once, with the fills held before it.
 */
export class DashboardLog {
  private log: LogLine[] = [];
  private pendingFills: FillView[] = [];
  private pendingAlerts: AlertView[] = [];
  private lastFlush = 0;

  constructor(
    private readonly model: DashboardViewModel,
    private readonly now: () => number,
  ) {}

  /** Every line written so far. */
  get lines(): LogLine[] {
    return this.log;
  }

  /** Takes the model's new fills and alerts and writes them, unless a burst is still being held (`force` writes it). */
  flush(snapshot: DashboardSnapshot, force: boolean): void {
    this.pendingFills = this.pendingFills.concat(this.model.takeNewFills());
    this.pendingAlerts = this.pendingAlerts.concat(this.model.takeNewAlerts());
    if (!this.pendingFills.length && !this.pendingAlerts.length) return;
    const burst = this.pendingFills.length > MAX_FILL_LINES;
    if (burst && !force && !this.pendingAlerts.length && this.now() - this.lastFlush < LOG_FLUSH_MS) return;
    const timeZone = exchangeTimeZone(snapshot.header.marketExchange ?? snapshot.legs[0]?.exchange);
    this.log = this.log.concat(logLines(this.pendingFills, this.pendingAlerts, { timeZone, maxFillLines: MAX_FILL_LINES }));
    this.pendingFills = [];
    this.pendingAlerts = [];
    this.lastFlush = this.now();
  }
}
