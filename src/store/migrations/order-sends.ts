import type { Migration } from './migration.js';

/**
 * When each child order was first sent (its `pending_submit`), when the broker acknowledged that
 * send (its first move from `pending_submit` to `accepted`, `partially_filled` or `filled`), and
 * whether its outcome was ever unknown, and whether we asked for it to be cancelled: what the broker scorecard measures latency and unknown
 * outcomes from, without reading the event log. Orders recorded before this table are filled in
 * from the log once, by the same rules as the projector (src/store/projections/order-sends.ts).
 */
export const orderSendMigrations: Migration[] = [
  {
    id: '0801-order-sends',
    sql: `
      CREATE TABLE order_sends (
        client_order_id TEXT PRIMARY KEY,
        sent_at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        unknown_outcome INTEGER NOT NULL DEFAULT 0,
        cancel_requested INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
      WITH moves AS (
        SELECT seq, ts, json_extract(payload, '$.clientOrderId') AS id, json_extract(payload, '$.from') AS from_status, json_extract(payload, '$.to') AS to_status
        FROM events WHERE type = 'order.status'
      ),
      sends AS (
        SELECT id, min(seq) AS first_send, min(CASE WHEN to_status = 'unknown' THEN seq END) AS first_unknown
        FROM moves WHERE to_status IN ('pending_submit', 'unknown') GROUP BY id
      )
      INSERT INTO order_sends (client_order_id, sent_at, acknowledged_at, unknown_outcome, cancel_requested)
      SELECT s.id,
        (SELECT ts FROM events WHERE seq = s.first_send),
        (SELECT m.ts FROM moves m WHERE m.id = s.id AND m.from_status = 'pending_submit' AND m.to_status IN ('accepted', 'partially_filled', 'filled')
           AND m.seq > s.first_send AND (s.first_unknown IS NULL OR m.seq < s.first_unknown) ORDER BY m.seq LIMIT 1),
        s.first_unknown IS NOT NULL,
        EXISTS (SELECT 1 FROM moves m WHERE m.id = s.id AND m.to_status = 'pending_cancel')
      FROM sends s WHERE EXISTS (SELECT 1 FROM moves m WHERE m.id = s.id AND m.seq = s.first_send AND m.to_status = 'pending_submit');
    `,
  },
];
