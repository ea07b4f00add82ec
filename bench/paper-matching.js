// Paper broker matching throughput: (1) small market orders placed and filled one after another
// (placement, matching, account booking, events: orders/s); (2) a book of resting limit orders
// across many symbols, timing the matching step that re-examines all of them every second, and
// the orders/s when the market is then crossed and they fill.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPaperBroker, PAPER_UNIVERSE, resetPaperAccount } from '../dist/brokers/paper/index.js';
import { VirtualClock } from '../dist/engine/clock/index.js';
import { openDatabase } from '../dist/app/database.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();

const dir = mkdtempSync(join(tmpdir(), 'ptexec-bench-'));
const store = openDatabase(join(dir, 'bench.db'));
const clock = new VirtualClock(Date.UTC(2026, 0, 5, 5, 0, 0));
const nse = PAPER_UNIVERSE.filter((i) => i.exchange === 'NSE');
resetPaperAccount(store.brokerTables('paper'), { cash: 1e14, now: clock.now() });
const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, seed: 1, config: { latencyMs: 0, participationCap: 1 } });
let events = 0;
broker.subscribe(() => events++);

// (1) market orders, one every 20 ms of market time, filled at arrival.
const MARKET_ORDERS = 5_000;
let t0 = performance.now();
for (let i = 0; i < MARKET_ORDERS; i++) {
  const instrument = nse[i % nse.length];
  await broker.placeOrder({ clientOrderId: `m${i}`, symbol: instrument.symbol, exchange: 'NSE', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day', product: 'delivery' });
  // 20 ms of market time between orders, so every name's liquidity keeps up.
  await clock.advance(20);
}
await clock.advance(10_000);
const marketMs = performance.now() - t0;
const filled = (await broker.orders()).filter((o) => o.status === 'filled').length;
console.log(`paper matching: ${MARKET_ORDERS} market orders placed+filled in ${marketMs.toFixed(0)} ms = ${Math.round((MARKET_ORDERS / marketMs) * 1000)} orders/s (${filled} filled)`);

// (2) resting limits, 20% under the bid: matching steps examine them all.
const RESTING = 5_000;
const quotes = new Map((await broker.quotes(nse)).map((q) => [q.symbol, q]));
t0 = performance.now();
const ids = [];
for (let i = 0; i < RESTING; i++) {
  const instrument = nse[i % nse.length];
  const bid = quotes.get(instrument.symbol).bid;
  const limit = Math.floor((bid * 0.8) / instrument.tickSize) * instrument.tickSize;
  const { brokerOrderId } = await broker.placeOrder({ clientOrderId: `l${i}`, symbol: instrument.symbol, exchange: 'NSE', side: 'buy', type: 'limit', limitPrice: limit, quantity: 1, timeInForce: 'day', product: 'delivery' });
  ids.push(brokerOrderId);
}
const placeMs = performance.now() - t0;
const STEPS = 60;
t0 = performance.now();
await clock.advance(STEPS * 1_000);
const stepMs = (performance.now() - t0) / STEPS;
console.log(`paper matching: ${RESTING} resting limits placed at ${Math.round((RESTING / placeMs) * 1000)} orders/s; one matching step over them ${stepMs.toFixed(2)} ms`);

// Cross them: raise every limit above the ask; they fill on arrival of the modification.
t0 = performance.now();
for (let i = 0; i < RESTING; i++) {
  const instrument = nse[i % nse.length];
  const ask = quotes.get(instrument.symbol).ask;
  await broker.modifyOrder(ids[i], { limitPrice: Math.ceil((ask * 1.05) / instrument.tickSize) * instrument.tickSize });
}
await clock.advance(2_000);
const crossMs = performance.now() - t0;
const open = (await broker.orders()).filter((o) => o.status === 'accepted').length;
console.log(`paper matching: ${RESTING} limits crossed and filled in ${crossMs.toFixed(0)} ms = ${Math.round((RESTING / crossMs) * 1000)} orders/s (${open} left open, ${events} events)`);
await broker.close();
store.close();
rmSync(dir, { recursive: true, force: true });
machine.end();
