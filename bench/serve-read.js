// `ptexec serve` read endpoints on a database of 100,000 orders (100 runs × 10 legs × 99 child
// orders + the legs, a fill per child): latency of each endpoint over HTTP on loopback, one
// request at a time, p50/p99 of 300 requests. Target: p99 under 20 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../dist/app/database.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { TokenService } from '../dist/server/auth/token-service.js';
import { startServer } from '../dist/server/http-server.js';
import { connectionOf } from '../dist/store/connection.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();
const [load1] = os.loadavg();
const cores = os.cpus().length;
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cores} cores${load1 > cores * 0.5 ? ' — BUSY: figures below are inflated by other work' : ''}`);

const dir = mkdtempSync(join(os.tmpdir(), 'ptexec-bench-serve-read-'));
const store = openDatabase(join(dir, 'bench.db'));
const T0 = Date.parse('2026-03-02T04:00:00Z');
const RUNS = 100;
const LEGS = 10;
const CHILDREN = 99;
const built = performance.now();
for (let r = 0; r < RUNS; r++) {
  const runId = `run${String(r).padStart(5, '0')}`;
  const events = [{ runId, type: 'run.created', marketTs: T0, payload: { runId, broker: 'paper', account: 'PAPER', tradingDate: '2026-03-02', targetHash: `h${r}`, source: 'bench', dryRun: false, options: {} } }];
  for (let leg = 0; leg < LEGS; leg++) {
    const symbol = `SYM${leg}`;
    const base = { leg, broker: 'paper', account: 'PAPER', symbol, exchange: 'NSE', side: 'buy', type: 'limit', timeInForce: 'day', product: 'delivery', algo: 'twap' };
    events.push({ runId, type: 'order.created', marketTs: T0, payload: { ...base, clientOrderId: `${runId}-${leg}`, quantity: CHILDREN * 10 } });
    for (let c = 0; c < CHILDREN; c++) {
      const clientOrderId = `${runId}-${leg}-${c}`;
      events.push({ runId, type: 'order.created', marketTs: T0 + c, payload: { ...base, clientOrderId, parentId: `${runId}-${leg}`, quantity: 10 } });
      events.push({ runId, type: 'fill.recorded', marketTs: T0 + c, payload: { clientOrderId, tradeId: `T${clientOrderId}`, brokerOrderId: `B${clientOrderId}`, broker: 'paper', account: 'PAPER', symbol, exchange: 'NSE', side: 'buy', quantity: 10, price: 100_000 + c, ts: T0 + c } });
    }
  }
  events.push({ runId, type: 'run.status', payload: { status: 'completed' } });
  store.append(events);
}
// Fold the WAL back into the database, as a server's store does when idle: reads of a 300 MB WAL
// are several times slower than reads of the database file.
store.idle();
const orders = connectionOf(store).prepare('SELECT count(*) FROM orders').pluck().get();
console.log(`database: ${orders} orders, ${connectionOf(store).prepare('SELECT count(*) FROM fills').pluck().get()} fills, built in ${((performance.now() - built) / 1000).toFixed(1)} s`);

const server = await startServer({ store, env: { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') }, log: () => undefined }, { host: '127.0.0.1', port: 0, allowRequestCredentials: false, version: 'bench', rateLimit: { perSecond: 1e6, burst: 1e6 } });
const token = new TokenService(store).create(['read']).token;
const headers = { authorization: `Bearer ${token}` };
const get = async (path) => {
  const res = await fetch(`${server.url}${path}`, { headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body}`);
  return body;
};
// A cursor half-way through the orders: a deep page must cost what the first one costs.
let deep = '';
for (let i = 0; i < 5; i++) deep = JSON.parse(await get(`/orders?limit=1000${deep ? `&cursor=${deep}` : ''}`)).next_cursor;

const ENDPOINTS = [
  '/runs',
  '/runs/run00050',
  '/runs/run00050/legs',
  '/orders?limit=100',
  `/orders?limit=100&cursor=${deep}`,
  '/orders?run=run00077&parents=true',
  '/orders/run00050-3-42',
  '/fills?limit=100',
  '/fills?run=run00099&limit=100',
  '/execute/run00050',
];
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
let worst = 0;
for (const path of ENDPOINTS) {
  for (let i = 0; i < 20; i++) await get(path);
  const times = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await get(path);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  worst = Math.max(worst, pct(times, 99));
  console.log(`${path.padEnd(42)} p50 ${pct(times, 50).toFixed(2)} ms  p99 ${pct(times, 99).toFixed(2)} ms`);
}
console.log(`worst p99 ${worst.toFixed(2)} ms (target < 20 ms) ${worst < 20 ? '✔' : '✘'}`);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await server.shutdown();
store.close();
rmSync(dir, { recursive: true, force: true });
machine.end();
