import type { Side } from '../domain/side.js';
import { connectionOf } from './connection.js';
import type { Store } from './store.js';

/** Which runs the scorecard reads: trading dates (YYYY-MM-DD, inclusive) and a broker. */
export interface ScorecardWindow {
  since?: string;
  until?: string;
  broker?: string;
}

/** A leg (parent order) of a run in the window. */
export interface ScorecardLegRow {
  broker: string;
  account: string;
  runId: string;
  exchange: string;
  side: Side;
  ordered: number;
  filled: number;
  filledValue: number;
  arrivalPrice: number | null;
}

/** A child order of a run in the window that was sent. */
export interface ScorecardChildRow {
  broker: string;
  account: string;
  status: string;
  sentAt: number;
  acknowledgedAt: number | null;
  unknownOutcome: boolean;
}

/** A fill of a run in the window, with the charges booked on it. */
export interface ScorecardFillRow {
  broker: string;
  account: string;
  exchange: string;
  quantity: number;
  price: number;
  charges: number | null;
}

/**
 * The runs of the window, as a CTE the three reads join on: each then reaches its rows through
 * the run's index (`orders_by_run`, `fills_by_run`) and one primary-key look-up per row
 * (`order_sends`, `charge_allocations`), so a read is linear in the window's orders and fills.
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

type LegTuple = [string, string, string, string, Side, number, number, number, number | null];
type ChildTuple = [string, string, string, number, number | null, number];
type FillTuple = [string, string, string, number, number, number | null];

/** The scorecard's reads. Rows are read as arrays and shaped here: a window may hold many thousands. */
export class ScorecardQueries {
  constructor(private readonly store: Store) {}

  legs(window: ScorecardWindow): ScorecardLegRow[] {
    const w = windowRuns(window);
    const sql = `${w.sql}
      SELECT o.broker, o.account, o.run_id, o.exchange, o.side, o.quantity, o.filled_quantity, o.filled_value, o.arrival_price
      FROM window_runs r CROSS JOIN orders o ON o.run_id = r.run_id
      WHERE o.parent_id IS NULL`;
    const rows = connectionOf(this.store).prepare(sql).raw(true).all(...w.args) as LegTuple[];
    return rows.map((r) => ({ broker: r[0], account: r[1], runId: r[2], exchange: r[3], side: r[4], ordered: r[5], filled: r[6], filledValue: r[7], arrivalPrice: r[8] }));
  }

  children(window: ScorecardWindow): ScorecardChildRow[] {
    const w = windowRuns(window);
    const sql = `${w.sql}
      SELECT o.broker, o.account, o.status, s.sent_at, s.acknowledged_at, s.unknown_outcome
      FROM window_runs r CROSS JOIN orders o ON o.run_id = r.run_id CROSS JOIN order_sends s ON s.client_order_id = o.client_order_id
      WHERE o.parent_id IS NOT NULL`;
    const rows = connectionOf(this.store).prepare(sql).raw(true).all(...w.args) as ChildTuple[];
    return rows.map((r) => ({ broker: r[0], account: r[1], status: r[2], sentAt: r[3], acknowledgedAt: r[4], unknownOutcome: r[5] === 1 }));
  }

  fills(window: ScorecardWindow): ScorecardFillRow[] {
    const w = windowRuns(window);
    const sql = `${w.sql}
      SELECT f.broker, f.account, f.exchange, f.quantity, f.price, c.amount
      FROM window_runs r CROSS JOIN fills f ON f.run_id = r.run_id LEFT JOIN charge_allocations c ON c.broker = f.broker AND c.trade_id = f.trade_id`;
    const rows = connectionOf(this.store).prepare(sql).raw(true).all(...w.args) as FillTuple[];
    return rows.map((r) => ({ broker: r[0], account: r[1], exchange: r[2], quantity: r[3], price: r[4], charges: r[5] }));
  }
}
