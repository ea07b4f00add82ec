import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { postTradeHooks } from '../../src/app/factory/post-trade.js';
import type { FillRecorded } from '../../src/domain/events/index.js';
import type { RecordedFill } from '../../src/domain/fill.js';
import { noteCharges } from '../../src/engine/charges/trade-charges.js';
import { connectionOf } from '../../src/store/connection.js';
import { PostTradeQueries } from '../../src/store/posttrade-queries.js';
import type { Store } from '../../src/store/store.js';

const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));
const T = Date.parse('2025-01-07T10:00:00+05:30');
const ENV = { XDG_CONFIG_HOME: '/nonexistent-ptexec-config' } as NodeJS.ProcessEnv;

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

/**
 * One leg's day of fills on one scrip, booked as an engine books them: a few fills per step,
 * through the hooks a run gets. Buys and sells over many broker orders, so that per-order
 * brokerage (with its cap), per-day rounding (STT, stamp), a flat sell-side charge and the tax on
 * them all move as fills arrive.
 */
function bookDay(store: Store, broker: string, fills: number, restartAt: number): RecordedFill[] {
  const rnd = random(11);
  const q = new PostTradeQueries(store);
  let book = booker(store, broker);
  const all: RecordedFill[] = [];
  for (let i = 0; i < fills; ) {
    // The run goes on in a new process: the note is read back from the store.
    if (i >= restartAt && i - restartAt < 3 && all.length === i) book = booker(store, broker);
    for (let k = 1 + Math.floor(rnd() * 3); k > 0 && i < fills; k--, i++) {
      const ts = T + i * 1_000;
      const order = `${Math.floor(i / 15)}`;
      const side = rnd() < 0.3 ? 'sell' : 'buy';
      const payload: FillRecorded['payload'] = { clientOrderId: `c${order}`, tradeId: `t${i}`, brokerOrderId: `b${order}`, broker, account: 'AB1234', symbol: 'INFY', exchange: 'NSE', side, quantity: 1 + Math.floor(rnd() * 40), price: 1_400_00 + Math.floor(rnd() * 2_000) * 5, ts };
      store.append({ runId: 'r1', type: 'fill.recorded', marketTs: ts, payload });
    }
    const step = q.fills({ afterSeq: all.at(-1)?.seq ?? 0 });
    all.push(...step);
    book(step, step.at(-1)!.ts);
  }
  return all;
}

/** The post-trade hooks a run on `broker` gets, as a new process makes them. */
function booker(store: Store, broker: string) {
  const { afterFills } = postTradeHooks(store, {}, broker, ENV);
  return (fills: RecordedFill[], ts: number) => void store.append(afterFills(fills, ts));
}

describe('charges booked as fills arrive', () => {
  for (const broker of ['zerodha', 'upstox']) {
    it(`${broker}: the bytes booked per fill stay bounded, and the note is exactly the whole day's contract note`, () => {
      const store = openDatabase(':memory:');
      opened.push(store);
      const fills = bookDay(store, broker, 600, 300);
      const db = connectionOf(store);
      const bytes = db.prepare("SELECT sum(length(payload)) FROM events WHERE type = 'charges.booked'").pluck().get() as number;
      // Re-booking the whole note on every fill wrote ~60 bytes per trade already on it: 18 KB per fill here.
      expect(bytes / fills.length).toBeLessThan(1024);
      const expected = noteCharges(postTradeHooks(store, {}, broker, ENV).schedules, fills);
      const note = db.prepare('SELECT components, total FROM charge_notes').get() as { components: string; total: number };
      expect(note.total).toBe(expected.total);
      expect(JSON.parse(note.components)).toEqual(expected.components);
      expect(expected.components.find((c) => c.id === 'stt')!.amount % 100).toBe(0); // STT in whole rupees, per the schedule
      // Every trade booked once, as integers adding up to the note to the paisa.
      const allocations = db.prepare('SELECT amount FROM charge_allocations').pluck().all() as number[];
      expect(allocations.length).toBe(fills.length);
      expect(allocations.every(Number.isInteger)).toBe(true);
      expect(allocations.reduce((a, b) => a + b, 0)).toBe(expected.total);
      // The projections rebuilt from the events say the same.
      store.rebuildProjections();
      expect(db.prepare('SELECT total FROM charge_notes').pluck().get()).toBe(expected.total);
      expect((db.prepare('SELECT sum(amount) FROM charge_allocations').pluck().get() as number)).toBe(expected.total);
    });
  }
});
