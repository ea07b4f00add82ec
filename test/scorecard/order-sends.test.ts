import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import type { NewEvent, PayloadOf } from '../../src/domain/events/index.js';
import type { OrderStatus } from '../../src/domain/order.js';
import { connectionOf } from '../../src/store/connection.js';
import { orderSendMigrations } from '../../src/store/migrations/order-sends.js';
import { ScorecardQueries } from '../../src/store/scorecard-queries.js';
import type { Store } from '../../src/store/store.js';

let store: Store | undefined;
afterEach(() => store?.close());

/** A store whose recording clock reads `now` (ms), moved by the test between appends. */
function clockedStore(): { store: Store; at: (ms: number, events: NewEvent[]) => void } {
  const s = openDatabase(':memory:');
  let now = 0;
  s.wallClock = () => now;
  return { store: s, at: (ms, events) => ((now = ms), s.append(events)) };
}

function run(runId: string, tradingDate: string, dryRun = false): NewEvent {
  return { runId, type: 'run.created', payload: { runId, broker: 'paper', account: 'A', tradingDate, targetHash: 'h', source: 't', dryRun, options: {} } };
}

function order(runId: string, id: string, parentId?: string, extra: Partial<PayloadOf<'order.created'>> = {}): NewEvent {
  return { runId, type: 'order.created', payload: { clientOrderId: id, parentId, leg: 0, broker: 'paper', account: 'A', symbol: 'TCS', exchange: 'NSE', side: 'buy', type: 'market', quantity: 10, timeInForce: 'day', product: 'delivery', ...extra } };
}

function status(runId: string, id: string, from: OrderStatus, to: OrderStatus): NewEvent {
  return { runId, type: 'order.status', payload: { clientOrderId: id, from, to } };
}

/** Three children: acknowledged 40 ms after its send, then cancelled at our request; unknown, found, then cancelled by the broker (no latency); rejected. */
function seed(at: (ms: number, events: NewEvent[]) => void, runId: string, tradingDate: string): void {
  at(1_000, [run(runId, tradingDate), order(runId, `${runId}P`, undefined, { arrivalPrice: 100_000 }), order(runId, `${runId}C1`, `${runId}P`), order(runId, `${runId}C2`, `${runId}P`), order(runId, `${runId}C3`, `${runId}P`)]);
  at(1_100, [status(runId, `${runId}C1`, 'created', 'pending_submit'), status(runId, `${runId}C2`, 'created', 'pending_submit'), status(runId, `${runId}C3`, 'created', 'pending_submit')]);
  at(1_140, [status(runId, `${runId}C1`, 'pending_submit', 'accepted')]);
  at(1_150, [status(runId, `${runId}C2`, 'pending_submit', 'unknown'), status(runId, `${runId}C3`, 'pending_submit', 'rejected')]);
  at(1_900, [status(runId, `${runId}C2`, 'unknown', 'accepted'), status(runId, `${runId}C1`, 'accepted', 'pending_cancel')]);
  at(1_950, [status(runId, `${runId}C1`, 'pending_cancel', 'cancelled'), status(runId, `${runId}C2`, 'accepted', 'cancelled')]);
}

const sends = (s: Store) => connectionOf(s).prepare('SELECT client_order_id, sent_at, acknowledged_at, unknown_outcome, cancel_requested FROM order_sends ORDER BY client_order_id').all();

describe('order_sends: each child order\'s send, its acknowledgement and unknown outcomes', () => {
  it('is projected as events are recorded, rebuilt the same, and filled in the same from the log for older databases', () => {
    const clocked = clockedStore();
    store = clocked.store;
    seed(clocked.at, 'r1', '2026-03-02');
    const projected = sends(store);
    expect(projected).toEqual([
      { client_order_id: 'r1C1', sent_at: 1_100, acknowledged_at: 1_140, unknown_outcome: 0, cancel_requested: 1 },
      { client_order_id: 'r1C2', sent_at: 1_100, acknowledged_at: null, unknown_outcome: 1, cancel_requested: 0 },
      { client_order_id: 'r1C3', sent_at: 1_100, acknowledged_at: null, unknown_outcome: 0, cancel_requested: 0 },
    ]);
    store.rebuildProjections();
    expect(sends(store)).toEqual(projected);
    // A database from before the table: the migration's fill-in from the log gives the same rows.
    connectionOf(store).exec('DROP TABLE order_sends');
    connectionOf(store).exec(orderSendMigrations[0]!.sql);
    expect(sends(store)).toEqual(projected);
  });

  it('reads the window\'s legs, sent children and fills by trading date, leaving dry runs out', () => {
    const clocked = clockedStore();
    store = clocked.store;
    seed(clocked.at, 'r1', '2026-03-02');
    seed(clocked.at, 'r2', '2026-03-09');
    clocked.at(2_000, [run('r3', '2026-03-09', true)]);
    const q = new ScorecardQueries(store);
    expect(q.legs({}).map((l) => [l.runId, l.legs, l.ordered, l.filled, l.slippageLegs])).toEqual([
      ['r1', 1, 10, 0, 0],
      ['r2', 1, 10, 0, 0],
    ]);
    expect(q.legs({ since: '2026-03-03' }).map((l) => l.runId)).toEqual(['r2']);
    expect(q.legs({ until: '2026-03-08' }).map((l) => l.runId)).toEqual(['r1']);
    expect(q.legs({ broker: 'zerodha' })).toEqual([]);
    // Per send → acknowledgement time: the acknowledged child (40 ms, later cancelled at our request), and those with none.
    expect(q.children({ since: '2026-03-09' })).toEqual([
      { broker: 'paper', account: 'A', latencyMs: null, sent: 2, rejected: 1, cancelled: 1, cancelledOnRequest: 0, unknownOutcomes: 1, unresolved: 0 },
      { broker: 'paper', account: 'A', latencyMs: 40, sent: 1, rejected: 0, cancelled: 1, cancelledOnRequest: 1, unknownOutcomes: 0, unresolved: 0 },
    ]);
    expect(q.children({}).map((c) => [c.latencyMs, c.sent])).toEqual([
      [null, 4],
      [40, 2],
    ]);
  });
});
