/** A prepared SQL statement on a broker's own tables (better-sqlite3's, narrowed to what brokers use). */
export interface TableStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** Rows as their first column's value. */
  pluck(toggle?: boolean): TableStatement;
}

/**
 * What a broker may keep in the ptexec database: the tables it owns (named `<broker>_…`, created
 * by its own migrations), through statements it prepares once, in transactions of its own or
 * within the store's. Not the connection: a broker cannot close or reconfigure it, and a
 * statement on any other table (the event log, the projections) is refused when prepared.
 */
export interface BrokerTables {
  prepare(sql: string): TableStatement;
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE), or inside the one already open. */
  transaction<T>(fn: () => T): T;
}
