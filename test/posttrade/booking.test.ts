import { afterEach, describe, expect, it } from 'vitest';
import type { FillRecorded } from '../../src/domain/events/index.js';
import { loadChargeSchedules } from '../../src/app/loaders/charge-schedules.js';
import { FillBookings } from '../../src/engine/ledger/after-fills.js';
import { chargesForFills } from '../../src/engine/ledger/post-trade-reader.js';
import { reconcile } from '../../src/engine/ledger/reconcile.js';
import type { RecordedFill } from '../../src/domain/fill.js';
import { PostTradeQueries } from '../../src/store/posttrade-queries.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { connectionOf } from '../../src/store/connection.js';

const schedules = loadChargeSchedules();
const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));
const T = Date.parse('2025-01-07T11:00:00+05:30');

function record(store: Store, tradeId: string, quantity: number, price: number, ts: number, runId = 'r1'): RecordedFill {
  const payload: FillRecorded['payload'] = { clientOrderId: `c-${tradeId}`, tradeId, brokerOrderId: `b-${tradeId}`, broker: 'zerodha', account: 'AB1234', symbol: 'INFY', exchange: 'NSE', side: 'buy', quantity, price, ts };
  store.append({ runId, type: 'fill.recorded', marketTs: ts, payload });
  return new PostTradeQueries(store).fills().find((f) => f.tradeId === tradeId)!;
}

describe('booking charges and settlements after fills', () => {
  it('re-books the day\'s contract note as fills arrive; trades carry their exact share', () => {
    const store = openDatabase(':memory:');
    opened.push(store);
    const q = new PostTradeQueries(store);
    const bookings = new FillBookings(q, schedules);
    const f1 = record(store, 't1', 1, 1_400_00, T);
    store.append(bookings.eventsFor([f1], 'r1', T));
    expect(connectionOf(store).prepare('SELECT total FROM charge_notes').pluck().all()).toEqual([100 + 4 + 0 + 0 + 1]); // STT ₹1, exch 0.04, SEBI 0.00, stamp ₹0, GST 0.01 (hand: 18% × 0.04 = 0.0072 → 0.01)
    const f2 = record(store, 't2', 1, 1_400_00, T + 60_000);
    store.append(bookings.eventsFor([f2], 'r1', T + 60_000));
    // The note's totals are replaced: STT on 2800 is ₹3 (2.80 → 3), not 1 + 1.
    const note = connectionOf(store).prepare('SELECT components, total FROM charge_notes').get() as { components: string; total: number };
    expect(JSON.parse(note.components).find((c: { id: string }) => c.id === 'stt').amount).toBe(300);
    const booked = q.bookedCharges();
    expect(booked.get('zerodha\u0000t1')! + booked.get('zerodha\u0000t2')!).toBe(note.total);
    expect(connectionOf(store).prepare('SELECT trade_id, settle_date, status FROM settlements ORDER BY trade_id').all()).toEqual([
      { trade_id: 't1', settle_date: '2025-01-08', status: 'pending' },
      { trade_id: 't2', settle_date: '2025-01-08', status: 'pending' },
    ]);
    // Booked charges win over a recomputation (a schedule change later does not rewrite history).
    const cheaper = loadChargeSchedules({ config: { schedules: { zerodha: { name: 'none', markets: [{ exchanges: ['NSE'], currency: 'INR', components: [] }] } } } });
    expect(chargesForFills(q, cheaper, [f1, f2]).charges.get('zerodha\u0000t1')).toBe(booked.get('zerodha\u0000t1'));
    // And rebuilding the projections from the events gives the same tables.
    const before = connectionOf(store).prepare('SELECT * FROM charge_allocations ORDER BY trade_id').all();
    store.rebuildProjections();
    expect(connectionOf(store).prepare('SELECT * FROM charge_allocations ORDER BY trade_id').all()).toEqual(before);
  });
});

describe('reconcile causes (Kite-style broker)', () => {
  const funds = (available: number) => ({ currency: 'INR' as const, available, used: 0 });
  const fill: RecordedFill = { broker: 'zerodha', tradeId: 't', clientOrderId: 'c', brokerOrderId: 'b', runId: 'r', account: 'A', symbol: 'INFY', exchange: 'NSE', side: 'buy', quantity: 10, price: 1_000_00, ts: T, seq: 5 };
  const base = { seq: 1, ts: T - 1, holdings: [], positions: [], funds: funds(100_000_00) };
  const opts = { holdingsIncludeToday: false, brokerDebitsCharges: true };

  it('charges not yet debited', () => {
    const r = reconcile({ baseline: base, fills: [fill], charges: new Map([['zerodha\u0000t', 1_234]]), pendingBuys: new Map(), pendingSellProceeds: 0, broker: { holdings: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 0, averagePrice: 0 }], positions: [], funds: funds(90_000_00) }, options: opts });
    expect(r.differences.map((d) => [d.kind, d.difference, d.cause])).toEqual([['cash', 1_234, 'charges_not_debited']]);
  });

  it('bought today but not yet in holdings (T+1), when the broker does not show positions', () => {
    const r = reconcile({ baseline: base, fills: [fill], charges: new Map(), pendingBuys: new Map([['INFY', 10]]), pendingSellProceeds: 0, broker: { holdings: [], positions: [], funds: funds(90_000_00) }, options: opts });
    expect(r.differences.map((d) => [d.kind, d.symbol, d.difference, d.cause])).toEqual([['quantity', 'INFY', -10, 'unsettled_t1']]);
  });

  it('today\'s delivery position counts as owned', () => {
    const r = reconcile({ baseline: base, fills: [fill], charges: new Map(), pendingBuys: new Map([['INFY', 10]]), pendingSellProceeds: 0, broker: { holdings: [], positions: [{ symbol: 'INFY', exchange: 'NSE', quantity: 10, averagePrice: 0, product: 'delivery' }], funds: funds(90_000_00) }, options: opts });
    expect(r.differences).toEqual([]);
  });

  it('without a baseline, earlier holdings and cash are named as such', () => {
    const r = reconcile({ baseline: null, fills: [], charges: new Map(), pendingBuys: new Map(), pendingSellProceeds: 0, broker: { holdings: [{ symbol: 'TCS', exchange: 'NSE', quantity: 5, t1Quantity: 0, averagePrice: 0 }], positions: [], funds: funds(10_00) }, options: opts });
    expect(r.differences.map((d) => d.cause)).toEqual(['no_baseline', 'no_baseline']);
  });
});
