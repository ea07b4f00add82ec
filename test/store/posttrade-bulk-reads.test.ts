import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import type { FillRecorded, MarketSampled } from '../../src/domain/events/index.js';
import type { RecordedFill } from '../../src/domain/fill.js';
import { PostTradeQueries } from '../../src/store/posttrade-queries.js';
import type { Store } from '../../src/store/store.js';

const opened: Store[] = [];
afterEach(() => opened.splice(0).forEach((s) => s.close()));
const T = Date.parse('2025-01-07T10:00:00+05:30');
const HOUR = 3_600_000;

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0) / 2 ** 32);
}

/** Samples and fills of `instruments` symbols on two exchanges, two accounts and three runs, at seeded times over three days. */
function seeded(instruments: number): Store {
  const store = openDatabase(':memory:');
  opened.push(store);
  const rnd = random(7);
  for (let i = 0; i < 600; i++) {
    const symbol = `S${Math.floor(rnd() * instruments)}`;
    const exchange = rnd() < 0.8 ? 'NSE' : 'BSE';
    const ts = T + Math.floor(rnd() * 72) * HOUR / 4;
    if (rnd() < 0.5) {
      const payload: MarketSampled['payload'] = { symbol, exchange, ts, bid: 100_00, ask: 100_10, last: 100_05 + i, volume: 1_000 + i };
      store.append({ runId: null, type: 'market.sampled', marketTs: ts, payload });
    } else {
      const run = `r${Math.floor(rnd() * 3)}`;
      const payload: FillRecorded['payload'] = { clientOrderId: `c${i}`, tradeId: `t${i}`, brokerOrderId: `b${i}`, broker: 'paper', account: rnd() < 0.5 ? 'A' : 'B', symbol, exchange, side: 'buy', quantity: 1, price: 100_00, ts };
      store.append({ runId: run, type: 'fill.recorded', marketTs: ts, payload });
    }
  }
  return store;
}

describe('post-trade reads over many instruments at once', () => {
  it('each window gets the samples and the latest sample one query per window would give', () => {
    const q = new PostTradeQueries(seeded(30));
    const rnd = random(3);
    const windows = Array.from({ length: 80 }, () => {
      const from = T + Math.floor(rnd() * 60) * HOUR / 4;
      return { exchange: rnd() < 0.8 ? 'NSE' : 'BSE', symbol: `S${Math.floor(rnd() * 35)}`, fromTs: from, toTs: from + Math.floor(rnd() * 12) * HOUR / 4 };
    });
    const read = q.sampleWindows(windows);
    expect(read).toHaveLength(windows.length);
    windows.forEach((w, i) => {
      expect(read[i]!.samples).toEqual(q.samples(w.exchange, w.symbol, w.fromTs, w.toTs));
      expect(read[i]!.last).toEqual(q.lastSample(w.exchange, w.symbol));
    });
    // Some windows found samples and some did not, so both cases were compared.
    expect(read.filter((r) => r.samples.length > 0).length).toBeGreaterThan(5);
    expect(read.filter((r) => r.last === undefined).length).toBeGreaterThan(0);
    expect(q.sampleWindows([])).toEqual([]);
  });

  it('the fills around many instruments are those around each instrument, read one by one', () => {
    const q = new PostTradeQueries(seeded(40));
    const mine = q.fills({ runId: 'r0' });
    // Enough instruments that the fills around them are read in one statement.
    expect(new Set(mine.map((f) => `${f.account}|${f.exchange}|${f.symbol}`)).size).toBeGreaterThan(16);
    const oneByOne = (fills: RecordedFill[], except: string[]) => {
      const seen = new Map<string, RecordedFill>();
      for (const f of fills) {
        if (f.runId !== null && except.includes(f.runId)) seen.set(f.tradeId, f);
        for (const g of q.fillsAround([f], except)) seen.set(g.tradeId, g);
      }
      return [...seen.values()].sort((a, b) => a.seq - b.seq);
    };
    expect(q.fillsAround(mine, ['r0'])).toEqual(oneByOne(mine, ['r0']));
    expect(q.fillsAround(mine)).toEqual(oneByOne(mine, []));
    expect(q.fillsAround(mine, ['r0']).some((f) => f.runId !== 'r0')).toBe(true);
  });

  it('orders of several runs come back as one query per run would give them', () => {
    const store = seeded(5);
    const q = new PostTradeQueries(store);
    for (const [run, leg] of [['r1', 0], ['r2', 0], ['r1', 1], ['r3', 0]] as const) {
      store.append({ runId: run, type: 'order.created', payload: { clientOrderId: `${run}-${leg}`, leg, broker: 'paper', account: 'A', symbol: 'S1', exchange: 'NSE', side: 'buy', type: 'market', quantity: 5, timeInForce: 'day', product: 'delivery' } });
    }
    const both = q.orders({ runIds: ['r1', 'r2'] });
    expect(both.map((o) => o.clientOrderId)).toEqual(['r1-0', 'r1-1', 'r2-0']);
    expect(both[0]).toMatchObject({ runId: 'r1', parentId: null, leg: 0, quantity: 5, status: 'created' });
    expect(q.orders({ runIds: [] })).toEqual([]);
  });
});
