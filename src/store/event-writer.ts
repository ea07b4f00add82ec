import type Database from 'better-sqlite3';

/** Rows per multi-row INSERT: enough to spread a statement's fixed cost, small enough to bind fast. */
const ROWS_PER_INSERT = 16;
const COLUMNS = 6;

/**
 * Writes the rows of the `events` table. Inside a transaction the store owns, rows wait in a
 * buffer and go in by multi-row INSERTs of `ROWS_PER_INSERT`: an engine step appends thousands of
 * events, and one statement per row costs about half again as much. The sequence numbers are
 * handed out here, as AUTOINCREMENT would (we hold the write lock, so nobody else takes one), and
 * the buffer must be flushed before anything reads the table and before the commit.
 */
export class EventWriter {
  private readonly insertOne: Database.Statement;
  private readonly insertOneAt: Database.Statement;
  private readonly insertMany: Database.Statement;
  private readonly readSequence: Database.Statement;
  private readonly rows: unknown[] = [];
  /** Last sequence number handed out in the open transaction; undefined outside one. */
  private lastSeq: number | undefined;

  constructor(db: Database.Database) {
    this.insertOne = db.prepare('INSERT INTO events (run_id, ts, market_ts, type, payload) VALUES (?, ?, ?, ?, ?)');
    this.insertOneAt = db.prepare('INSERT INTO events (seq, run_id, ts, market_ts, type, payload) VALUES (?, ?, ?, ?, ?, ?)');
    const values = Array.from({ length: ROWS_PER_INSERT }, () => '(?, ?, ?, ?, ?, ?)').join(', ');
    this.insertMany = db.prepare(`INSERT INTO events (seq, run_id, ts, market_ts, type, payload) VALUES ${values}`);
    this.readSequence = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck();
  }

  /** Writes one row now (outside a transaction the store owns). Returns its sequence number. */
  writeNow(runId: string | null, ts: number, marketTs: number | null, type: string, payload: string): number {
    return Number(this.insertOne.run(runId, ts, marketTs, type, payload).lastInsertRowid);
  }

  /** Buffers one row of the open transaction. Returns its sequence number. */
  buffer(runId: string | null, ts: number, marketTs: number | null, type: string, payload: string): number {
    const seq = (this.lastSeq ??= (this.readSequence.get() as number | undefined) ?? 0) + 1;
    this.lastSeq = seq;
    this.rows.push(seq, runId, ts, marketTs, type, payload);
    if (this.rows.length === ROWS_PER_INSERT * COLUMNS) this.flush();
    return seq;
  }

  /** Writes what is buffered. The sequence stays where it is until the transaction ends. */
  flush(): void {
    const rows = this.rows;
    if (rows.length === ROWS_PER_INSERT * COLUMNS) this.insertMany.run(rows);
    // A short tail goes row by row; the sequence numbers are given explicitly, so they match.
    else for (let i = 0; i < rows.length; i += COLUMNS) this.insertOneAt.run(rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5]);
    rows.length = 0;
  }

  /** The transaction ended (committed after a flush, or rolled back): forget its rows and sequence. */
  reset(): void {
    this.rows.length = 0;
    this.lastSeq = undefined;
  }
}
