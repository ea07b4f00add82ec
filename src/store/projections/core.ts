import type Database from 'better-sqlite3';
import { exhaustive, marketTimeOf, type StoredEventOf } from '../../domain/events/index.js';
import { fillAdvancesLeg } from '../../domain/fill.js';
import type { Side } from '../../domain/side.js';
import type { Projector } from './projector.js';

/** The statements of the core tables, prepared once per connection. */
function prepareStatements(db: Database.Database) {
  // `fillParent` asks SQLite whether a fill advances its leg, by the domain's rule.
  db.function('fill_advances_leg', { deterministic: true }, (legSide, fillSide) => (fillAdvancesLeg(legSide as Side, fillSide as Side) ? 1 : 0));
  const insertRun = db.prepare(`INSERT INTO runs (run_id, broker, account, trading_date, target_hash, source, dry_run, status, options, created_at, updated_at)
    VALUES (@runId, @broker, @account, @tradingDate, @targetHash, @source, @dryRun, 'planned', @options, @ts, @ts)`);
  const planRun = db.prepare('UPDATE runs SET plan = ?, updated_at = ? WHERE run_id = ?');
  const statusRun = db.prepare('UPDATE runs SET status = ?, reason = ?, summary = coalesce(?, summary), updated_at = ? WHERE run_id = ?');
  // Positional parameters: binding an object by name costs a property look-up per column, and
  // these statements run for every order event.
  const insertOrder = db.prepare(`INSERT INTO orders (client_order_id, run_id, parent_id, leg, broker, account, symbol, exchange, side, type, quantity,
      limit_price, trigger_price, time_in_force, product, algo, status, arrival_price, decision_price, created_at, updated_at, market_created_at, market_updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'created', ?, ?, ?, ?, ?, ?)`);
  const statusOrder = db.prepare(`UPDATE orders SET status = ?, updated_at = ?, market_updated_at = ? WHERE client_order_id = ?`);
  // Only when the event carries them: an index covers broker_order_id.
  const statusOrderWithDetails = db.prepare(`UPDATE orders SET status = ?, broker_order_id = coalesce(?, broker_order_id),
      reason = coalesce(?, reason), broker_status = coalesce(?, broker_status), updated_at = ?, market_updated_at = ?
    WHERE client_order_id = ?`);
  const insertFill = db.prepare(`INSERT INTO fills (broker, trade_id, client_order_id, broker_order_id, run_id, account, symbol, exchange, side, quantity, price, ts, seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const fillOrder = db.prepare(`UPDATE orders SET filled_quantity = filled_quantity + ?, filled_value = filled_value + ?, updated_at = ?, market_updated_at = ?
    WHERE client_order_id = ?`);
  // A parent (leg) order's filled quantity is the sum of its children's fills that advance it
  // (not a bracket's exits: src/domain/fill.ts). One statement with `IN (?, (SELECT parent_id
  // …))` for both rows scans the table: keep two.
  const fillParent = db.prepare(`UPDATE orders SET filled_quantity = filled_quantity + ?, filled_value = filled_value + ?, updated_at = ?, market_updated_at = ?
    WHERE client_order_id = (SELECT parent_id FROM orders WHERE client_order_id = ?) AND fill_advances_leg(side, ?)`);
  const upsertPosition = db.prepare(`INSERT INTO positions (broker, account, exchange, symbol, quantity, bought_value, sold_value, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (broker, account, exchange, symbol) DO UPDATE SET quantity = quantity + excluded.quantity,
      bought_value = bought_value + excluded.bought_value, sold_value = sold_value + excluded.sold_value, updated_at = excluded.updated_at`);
  return { insertRun, planRun, statusRun, insertOrder, statusOrder, statusOrderWithDetails, insertFill, fillOrder, fillParent, upsertPosition };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * runs, orders, fills and positions, from the core events. `created_at`/`updated_at` are the
 * wall-clock times of recording; an order also keeps its market times (`market_created_at`,
 * `market_updated_at`), and a fill its trade time in the market (`ts`).
 */
export const coreProjector: Projector<'run.created' | 'run.planned' | 'run.status' | 'order.created' | 'order.status' | 'fill.recorded'> = {
  tables: ['runs', 'orders', 'fills', 'positions'],
  prepare(db: Database.Database) {
    const statements = prepareStatements(db);
    const { insertRun, planRun, statusRun, statusOrder, statusOrderWithDetails, insertFill, fillOrder, fillParent, upsertPosition } = statements;
    return (event) => {
      switch (event.type) {
        case 'run.created': {
          const p = event.payload;
          insertRun.run({ ...p, dryRun: p.dryRun ? 1 : 0, options: JSON.stringify(p.options), ts: event.ts });
          break;
        }
        case 'run.planned':
          planRun.run(JSON.stringify(event.payload), event.ts, event.runId);
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
          if (p.brokerOrderId === undefined && p.reason === undefined && p.brokerStatus === undefined) statusOrder.run(p.to, event.ts, marketTimeOf(event), p.clientOrderId);
          else statusOrderWithDetails.run(p.to, p.brokerOrderId ?? null, p.reason ?? null, p.brokerStatus ?? null, event.ts, marketTimeOf(event), p.clientOrderId);
          break;
        }
        case 'fill.recorded': {
          const p = event.payload;
          const value = p.quantity * p.price;
          insertFill.run(p.broker, p.tradeId, p.clientOrderId, p.brokerOrderId, event.runId, p.account, p.symbol, p.exchange, p.side, p.quantity, p.price, p.ts, event.seq);
          fillOrder.run(p.quantity, value, event.ts, marketTimeOf(event), p.clientOrderId);
          fillParent.run(p.quantity, value, event.ts, marketTimeOf(event), p.clientOrderId, p.side);
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
