// Engine throughput and decision latency (issue: algorithmic execution engine).
// A) Order events processed per second, every event persisted: a run of many legs against a
//    loopback broker that acknowledges and fills at once, so the engine and the store are what
//    is measured. B) Time from an algorithm's decision to the adapter call, with the paper
//    broker in-process (p50/p99). Usage: npm run build && node bench/engine-throughput.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPaperBroker, resetPaperAccount } from '../dist/brokers/paper/index.js';
import { PAPER_UNIVERSE } from '../dist/brokers/paper/universe.js';
import { VirtualClock } from '../dist/engine/clock/index.js';
import { algorithms } from '../dist/engine/algos/index.js';
import { instrumentKey } from '../dist/domain/instrument.js';
import { ExecutionRuntime } from '../dist/engine/runtime/execution-runtime.js';
import { openDatabase } from '../dist/app/database.js';
import { connectionOf } from '../dist/store/connection.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();

const dir = mkdtempSync(join(tmpdir(), 'ptexec-engine-'));

/** Acknowledges every order and fills it in two trades, on the next tick. */
class LoopbackBroker {
  id = 'paper';
  account = 'LOOP';
  capabilities = { orderTypes: ['market', 'limit'], clientOrderId: { maxLength: 40, pattern: /^[A-Za-z0-9]+$/ }, orderRate: { perSecond: 1e9 }, exchanges: ['NSE'] };
  listeners = new Set();
  n = 0;
  async connect() {}
  async close() {}
  async instruments() { return []; }
  async quotes(list) { return list.map((i) => ({ symbol: i.symbol, exchange: i.exchange, bid: 99_995, ask: 100_005, last: 100_000, volume: 1_000_000, ts: 0 })); }
  async holdings() { return []; }
  async positions() { return []; }
  async funds() { return { currency: 'INR', available: 1e15, used: 0 }; }
  async placeOrder(r) {
    const id = `L${++this.n}`;
    setImmediate(() => {
      const half = Math.floor(r.quantity / 2);
      for (const [k, q] of [[1, half], [2, r.quantity - half]]) {
        this.emit({ type: 'trade', trade: { tradeId: `${id}-${k}`, brokerOrderId: id, clientOrderId: r.clientOrderId, symbol: r.symbol, exchange: r.exchange, side: r.side, quantity: q, price: 100_000, ts: 0 } });
      }
    });
    return { brokerOrderId: id };
  }
  async modifyOrder() {}
  async cancelOrder() {}
  async orders() { return []; }
  async findOrderByClientId() { return undefined; }
  async trades() { return []; }
  subscribe(l) { this.listeners.add(l); return () => this.listeners.delete(l); }
  emit(e) { for (const l of this.listeners) l(e); }
}

function legsFor(n, symbol = (i) => `S${i}`) {
  return Array.from({ length: n }, (_, i) => ({
    index: i, symbol: symbol(i), exchange: 'NSE', side: 'buy', quantity: 100, current: 0, target: 100,
    decisionPrice: 100_000, estimatedPrice: 100_005, estimatedValue: 10_000_500,
    execution: { algo: 'market', orderType: 'market', params: {} }, notes: [],
  }));
}

// A) throughput
{
  const N = 5000;
  const store = openDatabase(join(dir, 'a.db'));
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 4, 0));
  const legs = legsFor(N);
  const instruments = new Map(legs.map((l) => [instrumentKey('NSE', l.symbol), { symbol: l.symbol, exchange: 'NSE', name: l.symbol, currency: 'INR', tickSize: 5, lotSize: 1 }]));
  const runtime = new ExecutionRuntime({ log: store, broker: new LoopbackBroker(), clock, runId: 'benchrun', instruments });
  const before = store.lastSeq();
  const t0 = performance.now();
  const outcome = await clock.run(runtime.run(legs));
  const ms = performance.now() - t0;
  const events = store.lastSeq() - before;
  const orderEvents = connectionOf(store).prepare("SELECT count(*) FROM events WHERE type IN ('order.created','order.status','fill.recorded')").pluck().get();
  console.log(`A) ${N} legs, ${outcome.legs.filter((l) => l.outcome === 'complete').length} complete: ${events} events persisted (${orderEvents} order events) in ${ms.toFixed(0)} ms`);
  console.log(`   ${Math.round((orderEvents / ms) * 1000).toLocaleString('en-US')} order events/s, ${Math.round((events / ms) * 1000).toLocaleString('en-US')} events/s in all   target ≥ 50,000/s`);
  store.close();
}

// B) decision → adapter call latency, paper broker in-process: TWAP legs whose slices fall at
//    different instants, so each decision is measured on its own (not queued behind others).
{
  const store = openDatabase(join(dir, 'b.db'));
  if (process.env.NOCKPT) connectionOf(store).pragma('wal_autocheckpoint = 0');
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 4, 0));
  resetPaperAccount(store.brokerTables('paper'), { cash: 1e13, now: clock.now() });
  const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, seed: 3 });
  await broker.connect();
  const decidedAt = new Map();
  const latencies = [];
  const inner = algorithms.twap;
  algorithms.timed = (spec, ctx) => {
    const algo = inner(spec, ctx);
    return {
      name: 'timed',
      decide: (s, m) => {
        const d = algo.decide(s, m);
        if (d.place?.length) decidedAt.set(s.parentId, performance.now());
        return d;
      },
    };
  };
  const place = broker.placeOrder.bind(broker);
  broker.placeOrder = (r) => {
    const parentId = r.clientOrderId.slice(0, r.clientOrderId.lastIndexOf('C'));
    const t = decidedAt.get(parentId);
    if (t !== undefined) latencies.push(performance.now() - t);
    decidedAt.delete(parentId);
    return place(r);
  };
  const names = PAPER_UNIVERSE.filter((i) => i.exchange === 'NSE').slice(0, 5);
  const instruments = new Map(names.map((i) => [instrumentKey(i.exchange, i.symbol), i]));
  for (let round = 0; round < 4; round++) {
    const legs = legsFor(names.length, (i) => names[i].symbol).map((l, i) => ({
      ...l,
      quantity: 2000,
      execution: { algo: 'timed', orderType: 'market', params: { duration: `${10 + i * 0.7}m`, slices: 100, child_type: 'market', cleanup: 'leave' } },
    }));
    const runtime = new ExecutionRuntime({ log: store, broker, clock, runId: `lat${round}`, instruments });
    await clock.run(runtime.run(legs));
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  console.log(`B) decision → adapter call, paper broker in-process, ${latencies.length} child orders: p50 ${pct(0.5).toFixed(3)} ms, p99 ${pct(0.99).toFixed(3)} ms   target p99 < 1 ms`);
  await broker.close();
  store.close();
}
rmSync(dir, { recursive: true, force: true });
machine.end();
