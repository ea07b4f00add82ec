import type Database from 'better-sqlite3';
import { exhaustive, marketTimeOf, type StoredEventOf } from '../../domain/events/index.js';
import { fillAdvancesLeg } from '../../domain/fill.js';
import type { Side } from '../../domain/side.js';
import type { Projector } from './projector.js';

/** The statements of the core tables, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  // `parentOf` asks SQLite whether a fill advances its leg, by the domain's rule.
  db.function('fill_advances_leg', { deterministic: true }, (legSide, fillSide) => (fillAdvancesLeg(legSide as Side, fillSide as Side) ? 1 : 0));
  const insertRun = db.prepare(`INSERT INTO runs (run_id, broker, account, trading_date, target_hash, source, dry_run, status, options, created_at, updated_at)
    VALUES (@runId, @broker, @account, @tradingDate, @targetHash, @source, @dryRun, 'planned', @options, @ts, @ts)`);
  // The plan has a table of its own (migrations/run-plans.ts), its legs' estimated costs beside it.
  const insertPlan = db.prepare('INSERT OR REPLACE INTO run_plans (run_id, estimates, plan) VALUES (?, ?, ?)');
  const touchRun = db.prepare('UPDATE runs SET updated_at = ? WHERE run_id = ?');
  const planRun = {
    run(payload: StoredEventOf<'run.planned'>['payload'], ts: number, runId: string | null) {
      const estimates = payload.legs.flatMap((l) => (l.estimate ? [[l.index, l.estimate.costBps, l.estimate.stdBps]] : []));
      insertPlan.run(runId, JSON.stringify(estimates), JSON.stringify(payload));
      touchRun.run(ts, runId);
    },
  };
  const statusRun = db.prepare('UPDATE runs SET status = ?, reason = ?, summary = coalesce(?, summary), updated_at = ? WHERE run_id = ?');
  // Positional parameters: binding an object by name costs a property look-up per column, and
  // these statements run for every order event.
  const insertOrder = db.prepare(`INSERT INTO orders (client_order_id, run_id, parent_id, leg, broker, account, symbol, exchange, side, type, quantity,
      limit_price, trigger_price, time_in_force, product, algo, status, arrival_price, decision_price, created_at, updated_at, market_created_at, market_updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?, ?)`);
  // An order's status, broker id, reason and fills, held through a transaction (see HeldOrderUpdates).
  const updateOrder = db.prepare(`UPDATE orders SET status = coalesce(?, status), broker_order_id = coalesce(?, broker_order_id),
      reason = coalesce(?, reason), broker_status = coalesce(?, broker_status), filled_quantity = filled_quantity + ?,
      filled_value = filled_value + ?, updated_at = ?, market_updated_at = ?
    WHERE client_order_id = ?`);
  const insertFill = db.prepare(`INSERT INTO fills (broker, trade_id, client_order_id, broker_order_id, run_id, account, symbol, exchange, side, quantity, price, ts, seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // A parent (leg) order's filled quantity is the sum of its children's fills that advance it
  // (not a bracket's exits: src/domain/fill.ts). A child's parent and the parent's side never
  // change once written, so reading them is right even while updates are held.
  const parentOf = db
    .prepare(`SELECT p.client_order_id FROM orders c JOIN orders p ON p.client_order_id = c.parent_id
    WHERE c.client_order_id = ? AND fill_advances_leg(p.side, ?)`)
    .pluck();
  const upsertPosition = db.prepare(`INSERT INTO positions (broker, account, exchange, symbol, quantity, bought_value, sold_value, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (broker, account, exchange, symbol) DO UPDATE SET quantity = quantity + excluded.quantity,
      bought_value = bought_value + excluded.bought_value, sold_value = sold_value + excluded.sold_value, updated_at = excluded.updated_at`);
  return { insertRun, planRun, statusRun, insertOrder, updateOrder, insertFill, parentOf, upsertPosition };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * runs (and their plans), orders, fills and positions, from the core events. `created_at`/`updated_at` are the
 * wall-clock times of recording; an order also keeps its market times (`market_created_at`,
 * `market_updated_at`), and a fill its trade time in the market (`ts`).
 */
export const coreProjector: Projector<'run.created' | 'run.planned' | 'run.status' | 'order.created' | 'order.status' | 'fill.recorded'> = {
  tables: ['runs', 'run_plans', 'orders', 'fills', 'positions'],
  prepare(db: Database.Database) {
    const statements = prepareStatements(db);
    const { insertRun, planRun, statusRun, insertFill, parentOf, upsertPosition } = statements;
    const held = new HeldOrderUpdates(statements.updateOrder);
    HELD.set(db, held);
    return (event) => {
      switch (event.type) {
        case 'run.created': {
          const p = event.payload;
          insertRun.run({ ...p, dryRun: p.dryRun ? 1 : 0, options: JSON.stringify(p.options), ts: event.ts });
          break;
        }
        case 'run.planned':
          planRun.run(event.payload, event.ts, event.runId);
          break;
        case 'run.status': {
          const p = event.payload;
          statusRun.run(p.status, p.reason ?? null, p.summary ? JSON.stringify(p.summary) : null, event.ts, event.runId);
          break;
        }
        case 'order.created':
          insertOrder(statements, event);
          break;
        case 'order.status': {
          const p = event.payload;
          const row = held.row(p.clientOrderId, event.ts, marketTimeOf(event));
          row.status = p.to;
          if (p.brokerOrderId !== undefined) row.brokerOrderId = p.brokerOrderId;
          if (p.reason !== undefined) row.reason = p.reason;
          if (p.brokerStatus !== undefined) row.brokerStatus = p.brokerStatus;
          held.release();
          break;
        }
        case 'fill.recorded': {
          const p = event.payload;
          const value = p.quantity * p.price;
          insertFill.run(p.broker, p.tradeId, p.clientOrderId, p.brokerOrderId, event.runId, p.account, p.symbol, p.exchange, p.side, p.quantity, p.price, p.ts, event.seq);
          const child = held.row(p.clientOrderId, event.ts, marketTimeOf(event));
          child.filledQuantity += p.quantity;
          child.filledValue += value;
          const parentId = parentOf.get(p.clientOrderId, p.side) as string | undefined;
          if (parentId !== undefined) {
            const parent = held.row(parentId, event.ts, marketTimeOf(event));
            parent.filledQuantity += p.quantity;
            parent.filledValue += value;
          }
          held.release();
          const buy = p.side === 'buy';
          upsertPosition.run(p.broker, p.account, p.exchange, p.symbol, buy ? p.quantity : -p.quantity, buy ? value : 0, buy ? 0 : value, event.ts);
          break;
        }
        default:
          exhaustive(event);
      }
    };
  },
};

/** What an order row will be changed by when its held updates are written. */
interface HeldOrder {
  status: string | null;
  brokerOrderId: string | null;
  reason: string | null;
  brokerStatus: string | null;
  filledQuantity: number;
  filledValue: number;
  ts: number;
  marketTs: number;
}

const HELD = new WeakMap<Database.Database, HeldOrderUpdates>();

/** The `orders` updates the core projector holds for connection `db` (prepared with it). */
export function heldOrderUpdates(db: Database.Database): HeldOrderUpdates {
  const held = HELD.get(db);
  if (!held) throw new Error('the core projector is not prepared on this connection');
  return held;
}

/**
 * An order's row changes with nearly every event of its life (sent, acknowledged, each fill and
 * the status after it, and its parent's with every fill): each change is a B-tree search and a
 * rewritten record. Inside a transaction the store owns (`hold()`), the changes to one row are
 * merged and written once by `write()`, which the store calls before the commit and before anything
 * reads the database in the transaction; what was held is the same as writing each event's change
 * in turn (the last status, broker id, reason and times; the fills summed). Outside one, each
 * change is written at once.
 */
export class HeldOrderUpdates {
  private holding = false;
  private readonly rows = new Map<string, HeldOrder>();

  constructor(private readonly update: Database.Statement) {}

  /** Holds changes from now until `write()` and `discard()` are done with them. */
  hold(): void {
    this.holding = true;
  }

  /** The held change of order `clientOrderId`, stamped with the latest event's times. */
  row(clientOrderId: string, ts: number, marketTs: number): HeldOrder {
    let row = this.rows.get(clientOrderId);
    if (!row) {
      row = { status: null, brokerOrderId: null, reason: null, brokerStatus: null, filledQuantity: 0, filledValue: 0, ts, marketTs };
      this.rows.set(clientOrderId, row);
    } else {
      row.ts = ts;
      row.marketTs = marketTs;
    }
    return row;
  }

  /** After an event's changes: written now unless held. */
  release(): void {
    if (!this.holding) this.write();
  }

  /** Writes every held change, once per order. */
  write(): void {
    if (!this.rows.size) return;
    for (const [id, r] of this.rows) this.update.run(r.status, r.brokerOrderId, r.reason, r.brokerStatus, r.filledQuantity, r.filledValue, r.ts, r.marketTs, id);
    this.rows.clear();
  }

  /** The transaction ended: nothing more is held (a rollback drops what was). */
  discard(): void {
    this.rows.clear();
    this.holding = false;
  }
}

/** An order row, with the wall-clock and market times of its creation as its first update. */
function insertOrder(statements: Statements, event: StoredEventOf<'order.created'>): void {
  const p = event.payload;
  statements.insertOrder.run(
    p.clientOrderId,
    event.runId,
    p.parentId ?? null,
    p.leg,
    p.broker,
    p.account,
    p.symbol,
    p.exchange,
    p.side,
    p.type,
    p.quantity,
    p.limitPrice ?? null,
    p.triggerPrice ?? null,
    p.timeInForce,
    p.product,
    p.algo ?? null,
    p.arrivalPrice ?? null,
    p.decisionPrice ?? null,
    event.ts,
    event.ts,
    marketTimeOf(event),
    marketTimeOf(event),
  );
}
