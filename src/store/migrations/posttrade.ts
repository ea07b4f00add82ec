import type { Migration } from './migration.js';

/** Post-trade: market samples (TCA benchmarks), booked charges, settlements, account snapshots. */
export const postTradeMigrations: Migration[] = [
  {
    id: '0200-posttrade-tables',
    sql: `
      CREATE TABLE market_samples (
        seq INTEGER PRIMARY KEY,
        run_id TEXT,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        ts INTEGER NOT NULL,
        bid REAL NOT NULL,
        ask REAL NOT NULL,
        last REAL NOT NULL,
        volume INTEGER NOT NULL
      );
      CREATE INDEX market_samples_by_symbol ON market_samples(exchange, symbol, ts);

      CREATE TABLE charge_notes (
        broker TEXT NOT NULL,
        account TEXT NOT NULL,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        trading_date TEXT NOT NULL,
        schedule TEXT NOT NULL,
        currency TEXT NOT NULL,
        components TEXT NOT NULL,
        total INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (broker, account, exchange, symbol, trading_date)
      );

      CREATE TABLE charge_allocations (
        broker TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        account TEXT NOT NULL,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        trading_date TEXT NOT NULL,
        amount INTEGER NOT NULL,
        components TEXT NOT NULL,
        PRIMARY KEY (broker, trade_id)
      );
      CREATE INDEX charge_allocations_by_note ON charge_allocations(broker, account, exchange, symbol, trading_date);

      CREATE TABLE settlements (
        broker TEXT NOT NULL,
        trade_id TEXT NOT NULL,
        run_id TEXT,
        account TEXT NOT NULL,
        exchange TEXT NOT NULL,
        symbol TEXT NOT NULL,
        side TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        value INTEGER NOT NULL,
        trade_date TEXT NOT NULL,
        settle_date TEXT NOT NULL,
        status TEXT NOT NULL,
        difference INTEGER,
        reason TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (broker, trade_id)
      );
      CREATE INDEX settlements_by_date ON settlements(settle_date, status);

      CREATE TABLE account_snapshots (
        seq INTEGER PRIMARY KEY,
        broker TEXT NOT NULL,
        account TEXT NOT NULL,
        ts INTEGER NOT NULL,
        reason TEXT NOT NULL,
        holdings TEXT NOT NULL,
        positions TEXT NOT NULL,
        funds TEXT NOT NULL
      );
      CREATE INDEX account_snapshots_by_account ON account_snapshots(broker, account, seq);
    `,
  },
  {
    // Charges are rounded per contract note (scrip and day): finding a note's fills must not scan.
    id: '0201-posttrade-fills-by-instrument',
    sql: 'CREATE INDEX fills_by_instrument ON fills(broker, account, exchange, symbol, ts);',
  },
];
