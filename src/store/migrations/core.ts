import type { Migration } from './migration.js';

export const coreMigrations: Migration[] = [
  {
    id: '0001-core',
    sql: `
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT,
        ts INTEGER NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX events_by_run ON events(run_id, seq);
      CREATE INDEX events_by_type ON events(type, seq);

      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY,
        broker TEXT NOT NULL,
        account TEXT NOT NULL,
        trading_date TEXT NOT NULL,
        target_hash TEXT NOT NULL,
        source TEXT NOT NULL,
        dry_run INTEGER NOT NULL,
        status TEXT NOT NULL,
        reason TEXT,
        options TEXT NOT NULL,
        plan TEXT,
        summary TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX runs_by_account ON runs(broker, account, trading_date);

      CREATE TABLE orders (
        client_order_id TEXT PRIMARY KEY,
        run_id TEXT,
        parent_id TEXT,
        leg INTEGER NOT NULL,
        broker TEXT NOT NULL,
        account TEXT NOT NULL,
        symbol TEXT NOT NULL,
        exchange TEXT NOT NULL,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        limit_price INTEGER,
        trigger_price INTEGER,
        time_in_force TEXT NOT NULL,
        product TEXT NOT NULL,
        algo TEXT,
        status TEXT NOT NULL,
        broker_order_id TEXT,
        broker_status TEXT,
        reason TEXT,
        filled_quantity INTEGER NOT NULL DEFAULT 0,
        filled_value INTEGER NOT NULL DEFAULT 0,
        arrival_price INTEGER,
        decision_price INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX orders_by_run ON orders(run_id, leg);
      CREATE INDEX orders_by_status ON orders(status);
      CREATE INDEX orders_by_broker_id ON orders(broker, broker_order_id);

      CREATE TABLE fills (
        broker TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        client_order_id TEXT NOT NULL,
        broker_order_id TEXT NOT NULL,
        run_id TEXT,
        account TEXT NOT NULL,
        symbol TEXT NOT NULL,
        exchange TEXT NOT NULL,
        side TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        price INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (broker, trade_id)
      );
      CREATE INDEX fills_by_run ON fills(run_id, seq);
      CREATE INDEX fills_by_order ON fills(client_order_id);

      CREATE TABLE positions (
        broker TEXT NOT NULL,
        account TEXT NOT NULL,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        bought_value INTEGER NOT NULL,
        sold_value INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (broker, account, exchange, symbol)
      );

      CREATE TABLE locks (
        lock_key TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        pid INTEGER NOT NULL,
        hostname TEXT NOT NULL,
        acquired_at INTEGER NOT NULL
      );
    `,
  },
  {
    // The event log is read by run (events_by_run) or by sequence (the primary key); an index
    // by type only slowed every append. Orders are filtered by status rarely and in small sets.
    id: '0002-core-lean-indexes',
    sql: `
      DROP INDEX IF EXISTS events_by_type;
      DROP INDEX IF EXISTS orders_by_status;
    `,
  },
  {
    // `ts` is the wall-clock time an event was recorded; the engine's market time (simulated on
    // the paper broker at --speed) is kept beside it. Orders keep the market times of their start
    // and last change too: TCA measures an order's life against market samples, in market time.
    // Rows recorded before this have NULL here, and their `ts` was the engine's time.
    id: '0003-core-market-time',
    sql: `
      ALTER TABLE events ADD COLUMN market_ts INTEGER;
      ALTER TABLE orders ADD COLUMN market_created_at INTEGER;
      ALTER TABLE orders ADD COLUMN market_updated_at INTEGER;
    `,
  },
];
