// Paper broker: time to take a 2,000-symbol account snapshot (instruments + quotes + holdings +
// funds), as the planner does at the start of a run. Prints the first (cold) snapshot and the
// median of later ones, each one simulated second after the previous (prices re-evaluated).
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

const SYMBOLS = 2_000;
const HOLDINGS = 500;
const RUNS = 30;

const universe = Array.from({ length: SYMBOLS }, (_, i) => {
  const base = PAPER_UNIVERSE[i % 70];
  return { ...base, symbol: `${base.symbol}${i}`, exchange: 'NSE', currency: 'INR' };
}).filter((instrument) => instrument.currency === 'INR');

const dir = mkdtempSync(join(tmpdir(), 'ptexec-bench-'));
const store = openDatabase(join(dir, 'bench.db'));
const clock = new VirtualClock(Date.UTC(2026, 0, 5, 5, 0, 0));
resetPaperAccount(store.brokerTables('paper'), {
  cash: 1e12,
  holdings: universe.slice(0, HOLDINGS).map((i) => ({ symbol: i.symbol, exchange: 'NSE', quantity: 100 })),
  instruments: universe,
  now: clock.now(),
});
const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, instruments: universe, seed: 1 });
const query = universe.map((i) => ({ symbol: i.symbol, exchange: i.exchange }));

async function snapshot() {
  const t0 = performance.now();
  const instruments = await broker.instruments(query);
  const quotes = await broker.quotes(instruments);
  const holdings = await broker.holdings();
  await broker.funds();
  const ms = performance.now() - t0;
  if (instruments.length !== universe.length || quotes.length !== universe.length || holdings.length !== HOLDINGS) throw new Error('incomplete snapshot');
  return ms;
}

const cold = await snapshot();
const times = [];
for (let i = 0; i < RUNS; i++) {
  await clock.advance(1_000);
  times.push(await snapshot());
}
times.sort((a, b) => a - b);
console.log(`paper snapshot, ${universe.length} symbols (${HOLDINGS} held): cold ${cold.toFixed(2)} ms, median ${times[RUNS >> 1].toFixed(2)} ms, p90 ${times[Math.floor(RUNS * 0.9)].toFixed(2)} ms`);
await broker.close();
store.close();
rmSync(dir, { recursive: true, force: true });
machine.end();
