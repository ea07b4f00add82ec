import type Database from 'better-sqlite3';
import type { FillRecorded, OrderCreated, OrderStatusChanged, RunCreated, RunPlanned, RunStatusChanged, StoredEvent } from '../../domain/events.js';
import type { Projector } from './projector.js';

/** runs, orders, fills and positions, from the core events. */
export const coreProjector: Projector = {
  tables: ['runs', 'orders', 'fills', 'positions'],
  handles: ['run.created', 'run.planned', 'run.status', 'order.created', 'order.status', 'fill.recorded'],
  prepare(db: Database.Database) {
    const insertRun = db.prepare(`INSERT INTO runs (run_id, broker, account, trading_date, target_hash, source, dry_run, status, options, created_at, updated_at)
      VALUES (@runId, @broker, @account, @tradingDate, @targetHash, @source, @dryRun, 'planned', @options, @ts, @ts)`);
    const planRun = db.prepare('UPDATE runs SET plan = ?, updated_at = ? WHERE run_id = ?');
    const statusRun = db.prepare('UPDATE runs SET status = ?, reason = ?, summary = coalesce(?, summary), updated_at = ? WHERE run_id = ?');
    const insertOrder = db.prepare(`INSERT INTO orders (client_order_id, run_id, parent_id, leg, broker, account, symbol, exchange, side, type, quantity,
        limit_price, trigger_price, time_in_force, product, algo, status, arrival_price, decision_price, created_at, updated_at)
      VALUES (@clientOrderId, @runId, @parentId, @leg, @broker, @account, @symbol, @exchange, @side, @type, @quantity,
        @limitPrice, @triggerPrice, @timeInForce, @product, @algo, 'created', @arrivalPrice, @decisionPrice, @ts, @ts)`);
    const statusOrder = db.prepare(`UPDATE orders SET status = @to, broker_order_id = coalesce(@brokerOrderId, broker_order_id),
        reason = coalesce(@reason, reason), broker_status = coalesce(@brokerStatus, broker_status), updated_at = @ts
      WHERE client_order_id = @clientOrderId`);
    const insertFill = db.prepare(`INSERT INTO fills (broker, trade_id, client_order_id, broker_order_id, run_id, account, symbol, exchange, side, quantity, price, ts, seq)
      VALUES (@broker, @tradeId, @clientOrderId, @brokerOrderId, @runId, @account, @symbol, @exchange, @side, @quantity, @price, @ts, @seq)`);
    const fillOrder = db.prepare(`UPDATE orders SET filled_quantity = filled_quantity + @quantity, filled_value = filled_value + @value, updated_at = @ts
      WHERE client_order_id = @clientOrderId`);
    // A parent (leg) order's filled quantity is the sum of its children's fills on its side (a
    // bracket's exits trade the other way: they protect the leg, they do not fill it).
    const fillParent = db.prepare(`UPDATE orders SET filled_quantity = filled_quantity + @quantity, filled_value = filled_value + @value, updated_at = @ts
      WHERE client_order_id = (SELECT parent_id FROM orders WHERE client_order_id = @clientOrderId) AND side = @side`);
    const upsertPosition = db.prepare(`INSERT INTO positions (broker, account, exchange, symbol, quantity, bought_value, sold_value, updated_at)
      VALUES (@broker, @account, @exchange, @symbol, @delta, @bought, @sold, @ts)
      ON CONFLICT (broker, account, exchange, symbol) DO UPDATE SET quantity = quantity + @delta,
        bought_value = bought_value + @bought, sold_value = sold_value + @sold, updated_at = @ts`);

    return (event: StoredEvent) => {
      switch (event.type) {
        case 'run.created': {
          const p = event.payload as RunCreated['payload'];
          insertRun.run({ ...p, dryRun: p.dryRun ? 1 : 0, options: JSON.stringify(p.options), ts: event.ts });
          break;
        }
        case 'run.planned':
          planRun.run(JSON.stringify(event.payload as RunPlanned['payload']), event.ts, event.runId);
          break;
        case 'run.status': {
          const p = event.payload as RunStatusChanged['payload'];
          statusRun.run(p.status, p.reason ?? null, p.summary ? JSON.stringify(p.summary) : null, event.ts, event.runId);
          break;
        }
        case 'order.created': {
          const p = event.payload as OrderCreated['payload'];
          insertOrder.run({
            parentId: null,
            limitPrice: null,
            triggerPrice: null,
            algo: null,
            arrivalPrice: null,
            decisionPrice: null,
            ...p,
            runId: event.runId,
            ts: event.ts,
          });
          break;
        }
        case 'order.status': {
          const p = event.payload as OrderStatusChanged['payload'];
          statusOrder.run({ brokerOrderId: null, reason: null, brokerStatus: null, ...p, ts: event.ts });
          break;
        }
        case 'fill.recorded': {
          const p = event.payload as FillRecorded['payload'];
          const value = p.quantity * p.price;
          insertFill.run({ ...p, runId: event.runId, seq: event.seq });
          fillOrder.run({ clientOrderId: p.clientOrderId, quantity: p.quantity, value, ts: event.ts });
          fillParent.run({ clientOrderId: p.clientOrderId, side: p.side, quantity: p.quantity, value, ts: event.ts });
          const buy = p.side === 'buy';
          upsertPosition.run({
            broker: p.broker,
            account: p.account,
            exchange: p.exchange,
            symbol: p.symbol,
            delta: buy ? p.quantity : -p.quantity,
            bought: buy ? value : 0,
            sold: buy ? 0 : value,
            ts: event.ts,
          });
          break;
        }
      }
    };
  },
};
