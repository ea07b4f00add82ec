import type { BrokerTables } from '../../domain/broker-tables.js';
import type { FixField } from './codec.js';

/**
 * What a FIX session keeps in the ptexec database, in the broker's own tables (`fix_…`), so that
 * a restarted process resumes the session where it stopped: the next sequence numbers both ways,
 * the application messages it sent (a ResendRequest from the counterparty is answered from them,
 * with PossDupFlag), the executions it has counted (by ExecID: a fill is never counted twice,
 * a PossDup resend included) and the orders it placed (ClOrdID chains of cancel/replace, terms).
 * Every table is keyed by the session's name: several sessions share the tables.
 */
export class FixStore {
  private readonly s;

  constructor(
    private readonly db: BrokerTables,
    private readonly session: string,
  ) {
    ensureTables(db);
    this.s = {
      seqGet: db.prepare('SELECT next_out, next_in FROM fix_sessions WHERE session = ?'),
      seqSet: db.prepare('INSERT INTO fix_sessions (session, next_out, next_in) VALUES (?, ?, ?) ON CONFLICT(session) DO UPDATE SET next_out = excluded.next_out, next_in = excluded.next_in'),
      outPut: db.prepare('INSERT OR REPLACE INTO fix_outbox (session, seq, msg_type, fields, sent_at) VALUES (?, ?, ?, ?, ?)'),
      outRange: db.prepare('SELECT seq, msg_type, fields, sent_at FROM fix_outbox WHERE session = ? AND seq >= ? AND seq <= ? ORDER BY seq'),
      outClear: db.prepare('DELETE FROM fix_outbox WHERE session = ?'),
      execPut: db.prepare('INSERT OR IGNORE INTO fix_executions (session, exec_id, order_id, cl_ord_id, record) VALUES (?, ?, ?, ?, ?)'),
      execAll: db.prepare('SELECT record FROM fix_executions WHERE session = ? ORDER BY rowid'),
      orderPut: db.prepare('INSERT OR REPLACE INTO fix_orders (session, cl_ord_id, root_id, record) VALUES (?, ?, ?, ?)'),
      orderGet: db.prepare('SELECT record FROM fix_orders WHERE session = ? AND cl_ord_id = ?'),
      orderAll: db.prepare('SELECT record FROM fix_orders WHERE session = ? ORDER BY rowid'),
    };
  }

  /** The next MsgSeqNum to send and to receive (1 and 1 for a new session). */
  sequences(): { nextOut: number; nextIn: number } {
    const row = this.s.seqGet.get(this.session) as { next_out: number; next_in: number } | undefined;
    return row ? { nextOut: row.next_out, nextIn: row.next_in } : { nextOut: 1, nextIn: 1 };
  }

  setSequences(seqs: { nextOut: number; nextIn: number }): void {
    this.s.seqSet.run(this.session, seqs.nextOut, seqs.nextIn);
  }

  /** Records a message as sent with its MsgSeqNum (admin messages by type only: a resend gap-fills them). */
  recordSent(seq: number, msgType: string, fields: readonly FixField[] | undefined, sentAt: number, nextIn: number): void {
    this.db.transaction(() => {
      this.s.outPut.run(this.session, seq, msgType, fields ? JSON.stringify(fields) : null, sentAt);
      this.s.seqSet.run(this.session, seq + 1, nextIn);
    });
  }

  sent(from: number, to: number): { seq: number; msgType: string; fields?: FixField[]; sentAt: number }[] {
    return (this.s.outRange.all(this.session, from, to) as { seq: number; msg_type: string; fields: string | null; sent_at: number }[]).map((r) => ({
      seq: r.seq,
      msgType: r.msg_type,
      fields: r.fields === null ? undefined : (JSON.parse(r.fields) as FixField[]),
      sentAt: r.sent_at,
    }));
  }

  /** A sequence reset (ResetSeqNumFlag on logon): both numbers back to 1, nothing left to resend. */
  reset(): void {
    this.db.transaction(() => {
      this.s.outClear.run(this.session);
      this.s.seqSet.run(this.session, 1, 1);
    });
  }

  /** Records an execution; false when its ExecID was already recorded (a duplicate or a resend). */
  recordExecution(execId: string, orderId: string, clOrdId: string, record: object): boolean {
    return this.s.execPut.run(this.session, execId, orderId, clOrdId, JSON.stringify(record)).changes === 1;
  }

  executions<T>(): T[] {
    return (this.s.execAll.all(this.session) as { record: string }[]).map((r) => JSON.parse(r.record) as T);
  }

  putOrder(clOrdId: string, rootId: string, record: object): void {
    this.s.orderPut.run(this.session, clOrdId, rootId, JSON.stringify(record));
  }

  order<T>(clOrdId: string): T | undefined {
    const row = this.s.orderGet.get(this.session, clOrdId) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as T) : undefined;
  }

  orders<T>(): T[] {
    return (this.s.orderAll.all(this.session) as { record: string }[]).map((r) => JSON.parse(r.record) as T);
  }
}

const SCHEMA: readonly [string, string][] = [
  ['fix_sessions', 'CREATE TABLE fix_sessions (session TEXT PRIMARY KEY, next_out INTEGER NOT NULL, next_in INTEGER NOT NULL)'],
  ['fix_outbox', 'CREATE TABLE fix_outbox (session TEXT NOT NULL, seq INTEGER NOT NULL, msg_type TEXT NOT NULL, fields TEXT, sent_at INTEGER NOT NULL, PRIMARY KEY (session, seq))'],
  ['fix_executions', 'CREATE TABLE fix_executions (session TEXT NOT NULL, exec_id TEXT NOT NULL, order_id TEXT NOT NULL, cl_ord_id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (session, exec_id))'],
  ['fix_orders', 'CREATE TABLE fix_orders (session TEXT NOT NULL, cl_ord_id TEXT NOT NULL, root_id TEXT NOT NULL, record TEXT NOT NULL, PRIMARY KEY (session, cl_ord_id))'],
];

/** Creates the FIX tables the first time a session opens (they are the broker's own: the store's migrations do not know them). */
function ensureTables(db: BrokerTables): void {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  db.transaction(() => {
    for (const [name, sql] of SCHEMA) if (!exists.get(name)) db.prepare(sql).run();
  });
}
