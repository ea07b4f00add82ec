import { hostname, userInfo } from 'node:os';
import type { Side } from '../domain/side.js';
import { connectionOf, settled } from './connection.js';
import { LIVE_ORDER_STATUSES as LIVE } from './sql-lists.js';
import type { Store } from './store.js';

/**
 * The risk gate's reads and the kill switch, over SQLite. They are shaped to the engine's
 * `OrderHistory` and `HaltReader` interfaces (src/engine/risk/types.ts), which the store may not
 * import; the shapes match structurally.
 */

interface OrderRow {
  client_order_id: string;
  run_id: string | null;
  parent_id: string | null;
  symbol: string;
  exchange: string;
  side: Side;
  quantity: number;
  filled_quantity: number;
  status: string;
  created_at: number;
  link_group: string | null;
}

const COLUMNS = 'o.client_order_id, o.run_id, o.parent_id, o.symbol, o.exchange, o.side, o.quantity, o.filled_quantity, o.status, o.created_at, o.link_group';

function toRecent(r: OrderRow) {
  return {
    clientOrderId: r.client_order_id,
    runId: r.run_id,
    parentId: r.parent_id,
    symbol: r.symbol,
    exchange: r.exchange,
    side: r.side,
    quantity: r.quantity,
    filledQuantity: r.filled_quantity,
    status: r.status,
    createdAt: r.created_at,
    linkGroup: r.link_group,
  };
}

interface SameTargetRow {
  run_id: string;
  status: string;
  legs: number;
  orders: number;
  last_order_at: number;
}

interface ParentRow {
  client_order_id: string;
  run_id: string;
  symbol: string;
  exchange: string;
  side: Side;
  type: string;
  quantity: number;
  limit_price: number | null;
  algo: string | null;
  filled_quantity: number;
}

/** Orders of every run and process sharing the database: the duplicate rule and working sells. */
export class SqliteOrderHistory {
  private readonly sameTarget;
  private readonly parents;
  private readonly working;
  private readonly sentOn;

  constructor(private readonly store: Store) {
    const db = connectionOf(store);
    // Runs that traded: a child order filled, or may still fill. One row per run, each order once.
    this.sameTarget = db.prepare(
      `SELECT r.run_id, r.status, count(DISTINCT o.parent_id) AS legs, count(*) AS orders, max(o.created_at) AS last_order_at
        FROM runs r JOIN orders o ON o.run_id = r.run_id
        WHERE r.broker = @broker AND r.account = @account AND r.target_hash = @targetHash AND r.trading_date = @tradingDate
          AND r.dry_run = 0 AND (@excludeRunId IS NULL OR r.run_id <> @excludeRunId)
          AND o.parent_id IS NOT NULL AND (o.filled_quantity > 0 OR o.status IN ${LIVE})
        GROUP BY r.run_id ORDER BY last_order_at DESC, r.run_id`,
    );
    this.parents = db.prepare(
      `SELECT o.client_order_id, o.run_id, o.symbol, o.exchange, o.side, o.type, o.quantity, o.limit_price, o.algo, o.filled_quantity
        FROM orders o JOIN runs r ON r.run_id = o.run_id
        WHERE o.broker = @broker AND o.account = @account AND o.parent_id IS NULL AND o.status IN ${LIVE}
          AND r.trading_date = @tradingDate AND (@excludeRunId IS NULL OR o.run_id <> @excludeRunId)
        ORDER BY o.created_at, o.client_order_id`,
    );
    // Parents whose children are at the broker are not counted twice: only leaves of the tree.
    this.working = db.prepare(
      `SELECT ${COLUMNS} FROM orders o WHERE o.broker = @broker AND o.account = @account AND o.status IN ${LIVE}
        AND (@excludeRunId IS NULL OR o.run_id IS NULL OR o.run_id <> @excludeRunId)
        AND NOT EXISTS (SELECT 1 FROM orders c WHERE c.parent_id = o.client_order_id)`,
    );
    // Sent: the broker gave it an id, or its intent was recorded and its answer is still unknown.
    this.sentOn = db
      .prepare(
        `SELECT count(*) FROM orders o JOIN runs r ON r.run_id = o.run_id
          WHERE o.broker = @broker AND o.account = @account AND r.trading_date = @tradingDate AND r.dry_run = 0
            AND o.parent_id IS NOT NULL AND (o.broker_order_id IS NOT NULL OR o.status IN ('pending_submit', 'unknown'))`,
      )
      .pluck();
  }

  ordersSentOn(q: { broker: string; account: string; tradingDate: string }): number {
    settled(this.store);
    return this.sentOn.get(q) as number;
  }

  sameTargetRuns(q: { broker: string; account: string; targetHash: string; tradingDate: string; excludeRunId?: string }) {
    settled(this.store);
    return (this.sameTarget.all({ ...q, excludeRunId: q.excludeRunId ?? null }) as SameTargetRow[]).map((r) => ({
      runId: r.run_id,
      status: r.status,
      legs: r.legs,
      orders: r.orders,
      lastOrderAt: r.last_order_at,
    }));
  }

  workingParents(q: { broker: string; account: string; tradingDate: string; excludeRunId?: string }) {
    settled(this.store);
    return (this.parents.all({ ...q, excludeRunId: q.excludeRunId ?? null }) as ParentRow[]).map((r) => ({
      clientOrderId: r.client_order_id,
      runId: r.run_id,
      symbol: r.symbol,
      exchange: r.exchange,
      side: r.side,
      type: r.type,
      quantity: r.quantity,
      limitPrice: r.limit_price,
      algo: r.algo,
      filledQuantity: r.filled_quantity,
    }));
  }

  workingOrders(q: { broker: string; account: string; excludeRunId?: string }) {
    settled(this.store);
    return (this.working.all({ ...q, excludeRunId: q.excludeRunId ?? null }) as OrderRow[]).map(toRecent);
  }
}

export interface HaltState {
  halted: boolean;
  reason?: string;
  at?: number;
  cancelOpen: boolean;
}

/** Who pulled or released the switch, for the audit trail (no secrets: user, host, pid). */
export function currentActor(command: string): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // Some containers have no passwd entry for the uid; the host and pid still identify the caller.
  }
  return `${command} by ${user}@${hostname()} pid ${process.pid}`;
}

/**
 * The kill switch: one row projected from `risk.halted`/`risk.unhalted` events (run id null),
 * so it applies to every process on the database and survives restarts. `isHalted()` is one
 * primary-key read of a one-row table, cheap enough for every send and a 4 Hz poll.
 */
export class KillSwitch {
  private readonly read;

  constructor(private readonly store: Store) {
    this.read = connectionOf(store).prepare('SELECT halted, reason, at, cancel_open FROM risk_halt WHERE id = 1');
  }

  isHalted(): HaltState {
    const row = this.read.get() as { halted: number; reason: string | null; at: number | null; cancel_open: number } | undefined;
    if (!row || !row.halted) return row?.at != null ? { halted: false, at: row.at, cancelOpen: false } : { halted: false, cancelOpen: false };
    const state: HaltState = { halted: true, cancelOpen: row.cancel_open === 1 };
    if (row.reason !== null) state.reason = row.reason;
    if (row.at !== null) state.at = row.at;
    return state;
  }

  halt(reason: string | null, cancelOpen: boolean, actor = currentActor('ptexec halt')): HaltState {
    this.store.append({ runId: null, type: 'risk.halted', payload: { reason, cancelOpen, actor } });
    return this.isHalted();
  }

  unhalt(actor = currentActor('ptexec unhalt')): HaltState {
    this.store.append({ runId: null, type: 'risk.unhalted', payload: { actor } });
    return this.isHalted();
  }
}
