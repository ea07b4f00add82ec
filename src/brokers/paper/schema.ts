/** A schema change of the paper broker's tables; the store's migration runner applies it once. */
export interface PaperMigration {
  /** Unique and stable forever: existing databases recorded it under this id. */
  readonly id: string;
  readonly sql: string;
}

/**
 * The paper broker's tables, which only src/brokers/paper reads and writes: its account (cash,
 * holdings, T+1 lots, orders, trades), its market (price anchors left by permanent impact, and a
 * few stored facts such as the seed and the market's origin), and the links of its bracket and
 * OCO orders (kept in the database so that another broker instance, or process, goes on applying
 * one-cancels-other). The application hands these to the store (src/app/database.ts), which
 * applies them in their place in the database's history.
 */
export const paperSchema: readonly PaperMigration[] = [
  {
    id: '0200-paper-broker',
    sql: `
      CREATE TABLE paper_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );

      CREATE TABLE paper_accounts (
        account_id TEXT PRIMARY KEY,
        currency TEXT NOT NULL,
        cash INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );

      CREATE TABLE paper_holdings (
        account_id TEXT NOT NULL,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        cost INTEGER NOT NULL,
        PRIMARY KEY (account_id, exchange, symbol)
      );

      CREATE TABLE paper_unsettled (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        settle_date TEXT NOT NULL
      );
      CREATE INDEX paper_unsettled_by_account ON paper_unsettled(account_id, settle_date);

      CREATE TABLE paper_orders (
        broker_order_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        client_order_id TEXT,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        type TEXT NOT NULL,
        time_in_force TEXT NOT NULL,
        product TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        filled_quantity INTEGER NOT NULL,
        filled_value INTEGER NOT NULL,
        limit_price INTEGER,
        trigger_price INTEGER,
        triggered INTEGER NOT NULL,
        status TEXT NOT NULL,
        broker_status TEXT NOT NULL,
        status_message TEXT,
        trading_date TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX paper_orders_by_client_id ON paper_orders(account_id, client_order_id);
      CREATE INDEX paper_orders_by_status ON paper_orders(account_id, status);
      CREATE INDEX paper_orders_by_date ON paper_orders(account_id, trading_date);

      CREATE TABLE paper_trades (
        trade_id TEXT PRIMARY KEY,
        broker_order_id TEXT NOT NULL,
        account_id TEXT NOT NULL,
        client_order_id TEXT,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        price INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        trading_date TEXT NOT NULL
      );
      CREATE INDEX paper_trades_by_date ON paper_trades(account_id, trading_date);
      CREATE INDEX paper_trades_by_order ON paper_trades(broker_order_id);
      CREATE INDEX paper_trades_by_symbol ON paper_trades(exchange, symbol, ts);

      CREATE TABLE paper_price_anchors (
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        step INTEGER NOT NULL,
        log_price REAL NOT NULL,
        PRIMARY KEY (exchange, symbol, step)
      );
    `,
  },
  {
    id: '0201-paper-order-links',
    sql: `
      CREATE TABLE paper_order_links (
        parent_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        order_class TEXT NOT NULL,
        exit_side TEXT NOT NULL,
        take_profit_price INTEGER NOT NULL,
        stop_trigger_price INTEGER NOT NULL,
        stop_limit_price INTEGER,
        protected_quantity INTEGER NOT NULL,
        take_profit_id TEXT,
        stop_loss_id TEXT,
        exits_due_at INTEGER,
        active INTEGER NOT NULL
      );
      CREATE INDEX paper_order_links_active ON paper_order_links(account_id, active);
    `,
  },
];

/**
 * Changes to the paper tables made after the rest of the database's history: the store appends
 * them at its end, in this order, so that existing databases keep their history as recorded.
 */
export const paperSchemaAdditions: readonly PaperMigration[] = [
  {
    // Trailing stops: the trail (a percent or a price offset) and the water mark their stop follows.
    id: '0202-paper-trailing-stops',
    sql: `
      ALTER TABLE paper_orders ADD COLUMN trail_percent REAL;
      ALTER TABLE paper_orders ADD COLUMN trail_price INTEGER;
      ALTER TABLE paper_orders ADD COLUMN trail_mark INTEGER;
    `,
  },
];
