// `ptexec watch` load test: a writer process appends a run's events to a SQLite database at
// 2,000 fills per second (one transaction per 10 ms engine step), while this process polls the
// database read-only every 150 ms and renders the dashboard into an 80×24 fake terminal, for
// about 10 seconds. Measures the watching process only: CPU time (% of one core) and peak RSS.
// Run `npm run build` first.   node bench/ui-watch.js [--seconds 10] [--rate 2000] [--legs 10] [--accounts 1]
// With --accounts N > 1 the writer records a group rebalance: N runs tied by one group id, the
// fills spread over them, and the watcher shows the group's dashboard (`ptexec watch --group`).
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';

supplyShippedCalendars();

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', 10));
const RATE = Number(arg('rate', 2000));
const LEGS = Number(arg('legs', 10));
const ACCOUNTS = Number(arg('accounts', 1));
const RUN_ID = 'bench-watch-run';
const GROUP = ACCOUNTS > 1 ? 'gbench' : undefined;
const runIds = Array.from({ length: ACCOUNTS }, (_, i) => (ACCOUNTS > 1 ? `${RUN_ID}-${i}` : RUN_ID));
const STEP_MS = 10;

if (process.argv.includes('--writer')) await writer(arg('writer'));
else await watcher();

async function writer(path) {
  const { openDatabase } = await import('../dist/app/database.js');
  const store = openDatabase(path);
  const T0 = Date.now();
  const ev = (type, payload, marketTs = Date.now(), runId = RUN_ID) => ({ runId, type, payload, marketTs });
  const legs = Array.from({ length: LEGS }, (_, index) => ({ index, symbol: `SYM${String(index).padStart(2, '0')}`, exchange: 'NSE', side: index % 2 ? 'sell' : 'buy', quantity: 10_000_000, current: 0, target: 0, decisionPrice: 100_000 + index * 1_000, estimatedPrice: 0, estimatedValue: 0, execution: { algo: 'pov', orderType: 'limit', params: { duration: '30m' } }, notes: [] }));
  store.append(
    runIds.flatMap((runId, a) => [
      ev('run.created', { runId, broker: 'paper', account: `BENCH${a}`, tradingDate: '2026-11-20', targetHash: 'h', source: 'bench', dryRun: false, options: {}, ...(GROUP ? { group: GROUP, routes: legs.map((l) => ({ symbol: l.symbol, exchange: 'NSE', side: l.side, quantity: l.quantity, why: `bench${a} (paper) — the lowest expected cost` })) } : {}) }, T0, runId),
      ev('run.planned', { legs, skipped: [], notes: [], accountValue: 1e12, cashBefore: 1e12, currency: 'INR' }, T0, runId),
      ev('run.status', { status: 'running' }, T0, runId),
      ...legs.flatMap((l) => [
        ev('order.created', { clientOrderId: `P${a}-${l.index}`, leg: l.index, broker: 'paper', account: `BENCH${a}`, symbol: l.symbol, exchange: 'NSE', side: l.side, type: 'limit', quantity: l.quantity, timeInForce: 'day', product: 'delivery', algo: 'pov', arrivalPrice: l.decisionPrice, decisionPrice: l.decisionPrice }, T0, runId),
        ev('order.status', { clientOrderId: `P${a}-${l.index}`, from: 'created', to: 'accepted' }, T0, runId),
      ]),
    ]),
  );
  process.send?.('ready');
  await new Promise((resolve) => process.once('message', resolve)); // the watcher is on screen
  let fills = 0;
  let child = 0;
  const start = performance.now();
  const total = RATE * SECONDS;
  while (fills < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000));
    const now = Date.now();
    const step = [];
    for (; fills < due; fills++) {
      const l = legs[fills % LEGS];
      // Each block of 20 fills is one child order of one account's run (one account: as before).
      const a = Math.floor(fills / 20) % ACCOUNTS;
      const runId = runIds[a];
      if (fills % 20 === 0) {
        child += 1;
        step.push(ev('order.created', { clientOrderId: `C${child}`, parentId: `P${a}-${l.index}`, leg: l.index, broker: 'paper', account: `BENCH${a}`, symbol: l.symbol, exchange: 'NSE', side: l.side, type: 'limit', quantity: 20, timeInForce: 'day', product: 'delivery' }, now, runId));
      }
      step.push(ev('fill.recorded', { clientOrderId: `C${child}`, tradeId: `T${fills}`, brokerOrderId: `B${child}`, broker: 'paper', account: `BENCH${a}`, symbol: l.symbol, exchange: 'NSE', side: l.side, quantity: 1, price: l.decisionPrice + (fills % 7) * 5, ts: now }, now, runId));
      if (fills % 50 === 0) step.push(ev('market.sampled', { symbol: l.symbol, exchange: 'NSE', ts: now, bid: l.decisionPrice - 5, ask: l.decisionPrice + 5, last: l.decisionPrice, volume: 1_000_000 + fills * 5 }, now, runId));
    }
    if (step.length) store.append(step);
    await new Promise((r) => setTimeout(r, STEP_MS));
  }
  store.append(runIds.map((runId) => ev('run.status', { status: 'completed' }, Date.now(), runId)));
  store.close();
  process.send?.({ fills });
}

async function watcher() {
  const machine = loadWatch();
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-bench-watch-'));
  const path = join(dir, 'bench.db');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--writer', path, '--seconds', String(SECONDS), '--rate', String(RATE), '--legs', String(LEGS), '--accounts', String(ACCOUNTS)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let written = 0;
  const ready = new Promise((resolve) => child.on('message', (m) => (m === 'ready' ? resolve() : (written = m.fills))));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await ready;

  // `ptexec watch` takes the terminal through IO.screen, which puts React in its production build
  // before React loads; the benchmark draws on a stand-in terminal, so it does the same itself.
  process.env.NODE_ENV ??= 'production';
  const [{ openDatabase }, { runDashboard, PollingEventSource, GroupPollingEventSource }, calendar, { boundHeapGrowth }] = await Promise.all([import('../dist/app/database.js'), import('../dist/ui/run-dashboard.js'), import('../dist/market/calendar/index.js'), import('../dist/ui/heap-growth.js')]);
  // As `ptexec watch` does (app/watch-service.ts).
  boundHeapGrowth();
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
  const keyboard = Object.assign(new EventEmitter(), { isTTY: false });
  const terminal = new FakeTerminal();
  const store = openDatabase(path, { readonly: true });
  const source = GROUP ? new GroupPollingEventSource(store, GROUP, { intervalMs: 150 }) : new PollingEventSource(store, RUN_ID, { intervalMs: 150 });
  const dashboard = runDashboard({ source, stdout: terminal, stdin: keyboard, color: true, readOnly: true, closeWhenEnded: true, calendar, ...(GROUP ? { group: { id: GROUP } } : {}) });
  while (terminal.writes === 0) await new Promise((r) => setTimeout(r, 5));

  const rssStart = process.memoryUsage().rss;
  let peakRss = rssStart;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  child.send('go');
  const result = await dashboard;
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await exited;
  store.close();
  rmSync(dir, { recursive: true, force: true });
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  console.log(`ui-watch: watched ${written} fills written at ${RATE}/s by another process, ${(wallMs / 1000).toFixed(1)} s, ${LEGS} legs${GROUP ? ` in each of ${ACCOUNTS} runs of a group` : ''}, exit ${result.exit}`);
  console.log(`  watcher CPU ${cpuPct.toFixed(1)}% of one core (user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms); peak RSS ${(peakRss / 1024 / 1024).toFixed(0)} MB (at start ${(rssStart / 1024 / 1024).toFixed(0)} MB)`);
  console.log(`  terminal: ${terminal.writes} writes, ${(terminal.bytes / 1024).toFixed(0)} KiB; machine load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);
  console.log(`  ${machine.headline(`budget: CPU < 25% ${cpuPct < 25 ? 'ok' : 'EXCEEDED'}, RSS < 150 MB ${peakRss < 150 * 1024 * 1024 ? 'ok' : 'EXCEEDED'}`)}`);
  machine.end();
  process.exit(0);
}
