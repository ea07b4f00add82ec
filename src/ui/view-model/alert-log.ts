import type { StoredEvent } from '../../domain/events/index.js';
import type { AlertLevel, AlertView } from './dashboard-model.js';
import type { MarketClock } from './market-clock.js';

/**
 * The run's alerts, stamped on the market clock: the newest `limit` kept for the alerts panel,
 * and the ones raised since the append-only log last took them.
 */
export class AlertLog {
  private kept: AlertView[] = [];
  private fresh: AlertView[] = [];

  constructor(
    private readonly clock: MarketClock,
    private readonly limit: number,
  ) {}

  push(event: StoredEvent, level: AlertLevel, source: string, message: string, leg: number | null): void {
    const alert: AlertView = { seq: event.seq, ts: this.clock.timeOf(event), level, source, message, leg };
    this.kept.push(alert);
    if (this.kept.length > this.limit) this.kept = this.kept.slice(-this.limit);
    this.fresh.push(alert);
  }

  /** The alerts kept, oldest first (a copy: a snapshot must not change under the panel). */
  all(): AlertView[] {
    return this.kept.slice();
  }

  /** Alerts raised since the last call, oldest first. */
  takeNew(): AlertView[] {
    const alerts = this.fresh;
    this.fresh = [];
    return alerts;
  }
}
