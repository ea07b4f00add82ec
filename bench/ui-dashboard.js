// Dashboard load test: 2,000 fills per second pushed into the view model of a live Ink dashboard
// that renders (at most 15 frames a second) into an 80×24 fake terminal, for about 10 seconds.
// Measures this process's CPU time (as % of one core) and peak RSS. Run `npm run build` first.
//   node bench/ui-dashboard.js [--seconds 10] [--rate 2000] [--legs 10]
import { EventEmitter } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { getHeapSpaceStatistics } from 'node:v8';
import * as calendar from '../dist/market/calendar/index.js';
import { PushEventSource, runDashboard } from '../dist/ui/run-dashboard.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SECONDS = arg('seconds', 10);
const RATE = arg('rate', 2000);
const LEGS = arg('legs', 10);
const TICK_MS = 10;

class FakeTerminal extends EventEmitter {
  isTTY = true;
  columns = 80;
  rows = 24;
  bytes = 0;
  writes = 0;
  write = (chunk) => {
    this.bytes += chunk.length;
    this.writes += 1;
    return true;
  };
}
class NoKeyboard extends EventEmitter {
  isTTY = false;
}

const T0 = Date.now();
let seq = 0;
const runId = 'bench-run';
const event = (type, payload, ts = Date.now()) => ({ seq: ++seq, runId, ts, type, payload });
const symbols = Array.from({ length: LEGS }, (_, i) => `SYM${String(i).padStart(2, '0')}`);
const legs = symbols.map((symbol, index) => ({
  index,
  symbol,
  exchange: 'NSE',
  side: index % 2 ? 'sell' : 'buy',
  quantity: 10_000_000,
  current: 0,
  target: 0,
  decisionPrice: 100_000 + index * 1_000,
  estimatedPrice: 100_000 + index * 1_000,
  estimatedValue: 0,
  execution: { algo: 'pov', orderType: 'limit', params: { duration: '30m' } },
  notes: [],
}));

const source = new PushEventSource();
source.push([
  event('run.created', { runId, broker: 'paper', account: 'BENCH', tradingDate: '2026-11-20', targetHash: 'h', source: 'bench', dryRun: false, options: {} }, T0),
  event('run.planned', { legs, skipped: [], notes: [], accountValue: 1e12, cashBefore: 1e12, currency: 'INR' }, T0),
  event('run.status', { status: 'running' }, T0),
  ...legs.flatMap((l) => [
    event('order.created', { clientOrderId: `P${l.index}`, leg: l.index, broker: 'paper', account: 'BENCH', symbol: l.symbol, exchange: 'NSE', side: l.side, type: 'limit', quantity: l.quantity, timeInForce: 'day', product: 'delivery', algo: 'pov', arrivalPrice: l.decisionPrice, decisionPrice: l.decisionPrice }, T0),
    event('order.status', { clientOrderId: `P${l.index}`, from: 'created', to: 'accepted' }, T0),
  ]),
]);

// Every command that draws the dashboard takes the terminal through IO.screen, which puts React in
// its production build before React loads; the benchmark draws on a stand-in terminal, so it does
// the same itself.
process.env.NODE_ENV ??= 'production';
const terminal = new FakeTerminal();
const dashboard = runDashboard({ source, stdout: terminal, stdin: new NoKeyboard(), color: true, readOnly: true, closeWhenEnded: true, calendar });

// Start measuring once the dashboard is on screen (loading Ink is a one-off, not load).
while (terminal.writes === 0) await new Promise((r) => setTimeout(r, 5));
const rssStart = process.memoryUsage().rss;

let fills = 0;
let events = 0;
let child = 0;
let peakRss = rssStart;
const cpuStart = process.cpuUsage();
const wallStart = performance.now();

function fillEvents(now) {
  const batch = [];
  const l = legs[fills % LEGS];
  if (fills % 20 === 0) {
    child += 1;
    batch.push(event('order.created', { clientOrderId: `C${child}`, parentId: `P${l.index}`, leg: l.index, broker: 'paper', account: 'BENCH', symbol: l.symbol, exchange: 'NSE', side: l.side, type: 'limit', quantity: 20, timeInForce: 'day', product: 'delivery' }, now));
    batch.push(event('order.status', { clientOrderId: `C${child}`, from: 'created', to: 'accepted' }, now));
  }
  batch.push(event('fill.recorded', { clientOrderId: `C${child}`, tradeId: `T${fills}`, brokerOrderId: `B${child}`, broker: 'paper', account: 'BENCH', symbol: l.symbol, exchange: 'NSE', side: l.side, quantity: 1, price: l.decisionPrice + (fills % 7) * 5, ts: now }, now));
  if (fills % 50 === 0) batch.push(event('market.sampled', { symbol: l.symbol, exchange: 'NSE', ts: now, bid: l.decisionPrice - 5, ask: l.decisionPrice + 5, last: l.decisionPrice, volume: 1_000_000 + fills * 5 }, now));
  fills += 1;
  return batch;
}

// Every tick delivers the fills due by now, so the rate holds even when timers run late on a
// busy machine.
const feeder = setInterval(() => {
  const due = Math.min(RATE * SECONDS, Math.floor(((performance.now() - wallStart) * RATE) / 1000));
  const now = Date.now();
  const batch = [];
  while (fills < due) batch.push(...fillEvents(now));
  events += batch.length;
  if (batch.length) source.push(batch);
  if (fills >= RATE * SECONDS) {
    clearInterval(feeder);
    source.push([event('run.status', { status: 'completed' })]);
  }
}, TICK_MS);

// What the process held when its RSS peaked: V8 heap (new space separately), external memory.
let atPeak = process.memoryUsage();
let newSpaceAtPeak = 0;
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss <= peakRss) return;
  peakRss = usage.rss;
  atPeak = usage;
  newSpaceAtPeak = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')?.space_size ?? 0;
}, 100);

const result = await dashboard;
clearInterval(sampler);
const wallMs = performance.now() - wallStart;
const cpu = process.cpuUsage(cpuStart);
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;

console.log(`ui-dashboard: ${fills} fills (${events} events) in ${(wallMs / 1000).toFixed(1)} s = ${Math.round((fills * 1000) / wallMs)} fills/s, ${LEGS} legs, exit ${result.exit}`);
console.log(`  CPU ${cpuPct.toFixed(1)}% of one core (user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms); peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB`);
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(0);
console.log(`  at the peak: V8 heap ${mb(atPeak.heapTotal)} MB (new space ${mb(newSpaceAtPeak)} MB, used ${mb(atPeak.heapUsed)} MB), external ${mb(atPeak.external)} MB`);
console.log(`  terminal: ${terminal.writes} writes, ${(terminal.bytes / 1024).toFixed(0)} KiB (${(terminal.writes / (wallMs / 1000)).toFixed(1)} writes/s); RSS at start ${(rssStart / 1024 / 1024).toFixed(0)} MB`);
console.log(`  machine load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores (a loaded machine delays timers; the fills are still delivered on schedule)`);
console.log(`  ${machine.headline(`budget: CPU < 25% ${cpuPct < 25 ? 'ok' : 'EXCEEDED'}, RSS < 150 MB ${peakRss < 150 * 1024 * 1024 ? 'ok' : 'EXCEEDED'}`)}`);
machine.end();
process.exit(0);
