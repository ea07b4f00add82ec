import type { Side } from '../domain/side.js';
import { connectionOf } from './connection.js';
import type { Store } from './store.js';

/** Which runs the scorecard reads: trading dates (YYYY-MM-DD, inclusive) and a broker. */
export interface ScorecardWindow {
  since?: string;
  until?: string;
  broker?: string;
}

/** The legs of one run on one exchange and side: counts and sums (see src/engine/scorecard/types.ts). */
export interface ScorecardLegRow {
  broker: string;
  account: string;
  runId: string;
  exchange: string;
  side: Side;
  legs: number;
  ordered: number;
  filled: number;
  slippageLegs: number;
  paidOverArrival: number;
  arrivalValue: number;
}

/** The child orders sent for one broker account and one send → acknowledgement time (ms; null: none), by outcome. */
export interface ScorecardChildRow {
  broker: string;
  account: string;
  latencyMs: number | null;
  sent: number;
  rejected: number;
  cancelled: number;
  cancelledOnRequest: number;
  unknownOutcomes: number;
  unresolved: number;
}

/** The fills of one broker account on one exchange, with the charges booked on them. */
export interface ScorecardFillRow {
  broker: string;
  account: string;
  exchange: string;
  fills: number;
  tradedValue: number;
  charges: number;
  chargedValue: number;
}

/**
 * The runs of the window, as a CTE the three reads join on: each then reaches its rows through
 * the run's index (`orders_by_run`, `fills_by_run`) and one primary-key look-up per row
 * (`order_sends`, `charge_allocations`), so a read is linear in the window's orders and fills
 * (the latencies' grouping sorts them).
 * Dry runs sent nothing and are left out.
 */
function windowRuns(window: ScorecardWindow): { sql: string; args: unknown[] } {
  const where = ['dry_run = 0'];
  const args: unknown[] = [];
  if (window.since !== undefined) (where.push('trading_date >= ?'), args.push(window.since));
  if (window.until !== undefined) (where.push('trading_date <= ?'), args.push(window.until));
  if (window.broker !== undefined) (where.push('broker = ?'), args.push(window.broker));
  return { sql: `WITH window_runs AS (SELECT run_id FROM runs WHERE ${where.join(' AND ')})`, args };
}

type LegTuple = [string, string, string, string, Side, number, number, number, number, number | null, number | null];
type ChildTuple = [string, string, number | null, number, number, number, number, number, number];
type FillTuple = [string, string, string, number, number, number | null, number | null];

/**
 * The scorecard's reads: each sums its rows in SQLite (one pass, grouped), so what reaches the
 * process is a few rows per run and per broker account, however many orders and fills the window holds.
 */
export class ScorecardQueries {
  constructor(private readonly store: Store) {}

  private rows<T>(window: ScorecardWindow, select: string): T[] {
    const w = windowRuns(window);
    return connectionOf(this.store).prepare(`${w.sql}\n${select}`).raw(true).all(...w.args) as T[];
  }

  /** A leg filled with an arrival price counts in slippage: Σ(Σq·p − f·P_0) and Σ f·P_0 over those. */
  legs(window: ScorecardWindow): ScorecardLegRow[] {
    const measured = 'o.filled_quantity > 0 AND o.arrival_price > 0';
    const rows = this.rows<LegTuple>(
      window,
      `SELECT o.broker, o.account, o.run_id, o.exchange, o.side, count(*), sum(o.quantity), sum(o.filled_quantity), sum(${measured}),
         sum(CASE WHEN ${measured} THEN o.filled_value - o.filled_quantity * o.arrival_price END), sum(CASE WHEN ${measured} THEN o.filled_quantity * o.arrival_price END)
       FROM window_runs r CROSS JOIN orders o ON o.run_id = r.run_id
       WHERE o.parent_id IS NULL
       GROUP BY o.broker, o.account, o.run_id, o.exchange, o.side`,
    );
    return rows.map((r) => ({ broker: r[0], account: r[1], runId: r[2], exchange: r[3], side: r[4], legs: r[5], ordered: r[6], filled: r[7], slippageLegs: r[8], paidOverArrival: r[9] ?? 0, arrivalValue: r[10] ?? 0 }));
  }

  /** Grouped by the send → acknowledgement time as well: exact percentiles from a few hundred rows. */
  children(window: ScorecardWindow): ScorecardChildRow[] {
    const rows = this.rows<ChildTuple>(
      window,
      `SELECT o.broker, o.account, max(0, s.acknowledged_at - s.sent_at) AS latency, count(*), sum(o.status = 'rejected'), sum(o.status = 'cancelled'), sum(o.status = 'cancelled' AND s.cancel_requested), sum(s.unknown_outcome), sum(o.status = 'unknown')
       FROM window_runs r CROSS JOIN orders o ON o.run_id = r.run_id CROSS JOIN order_sends s ON s.client_order_id = o.client_order_id
       WHERE o.parent_id IS NOT NULL
       GROUP BY o.broker, o.account, latency`,
    );
    return rows.map((r) => ({ broker: r[0], account: r[1], latencyMs: r[2], sent: r[3], rejected: r[4], cancelled: r[5], cancelledOnRequest: r[6], unknownOutcomes: r[7], unresolved: r[8] }));
  }

  fills(window: ScorecardWindow): ScorecardFillRow[] {
    const rows = this.rows<FillTuple>(
      window,
      `SELECT f.broker, f.account, f.exchange, count(*), sum(f.quantity * f.price), sum(c.amount), sum(CASE WHEN c.amount IS NOT NULL THEN f.quantity * f.price END)
       FROM window_runs r CROSS JOIN fills f ON f.run_id = r.run_id LEFT JOIN charge_allocations c ON c.broker = f.broker AND c.trade_id = f.trade_id
       GROUP BY f.broker, f.account, f.exchange`,
    );
    return rows.map((r) => ({ broker: r[0], account: r[1], exchange: r[2], fills: r[3], tradedValue: r[4], charges: r[5] ?? 0, chargedValue: r[6] ?? 0 }));
  }
}
