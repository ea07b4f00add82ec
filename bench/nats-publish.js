// JetStream publishing load test: a writer process records fills at the engine's pace (2,000
// events/s by default, one transaction per 10 ms step) for about 10 s while this process
// publishes the log to a real nats-server (Debian's package, started here on a free port with a
// temporary store). Samples the publisher's lag (events recorded and not yet acknowledged) every
// 10 ms and reports it against the batch size: the target is at most one batch behind. Prints
// the load average: the machine may be busy. Run `npm run build` first.
//   node bench/nats-publish.js [--seconds 10] [--rate 2000] [--batch 256]
import { fork, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWatch } from './support/machine-load.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', 10));
const RATE = Number(arg('rate', 2000));
const BATCH = Number(arg('batch', 256));
const STEP_MS = 10;
const self = fileURLToPath(import.meta.url);
/** The options given, passed on to the child processes. */
const OPTIONS = ['--seconds', String(SECONDS), '--rate', String(RATE)];

if (process.argv.includes('--writer')) await writer(arg('writer'));
else await main();

async function writer(path) {
  const { openDatabase } = await import('../dist/app/database.js');
  const store = openDatabase(path);
  store.append({ runId: 'bench', type: 'run.created', payload: { runId: 'bench', broker: 'paper', account: 'BENCH', tradingDate: '2026-12-03', targetHash: 'h', source: 'bench', dryRun: false, options: {} } });
  process.send('ready');
  await new Promise((resolve) => process.once('message', resolve));
  const perStep = (RATE * STEP_MS) / 1000;
  const start = performance.now();
  for (let step = 0, n = 0; n < RATE * SECONDS; step++) {
    const events = [];
    for (let i = 0; i < perStep; i++, n++) {
      events.push({ runId: 'bench', type: 'fill.recorded', marketTs: Date.now(), payload: { clientOrderId: `P0C${n}`, tradeId: `T${n}`, brokerOrderId: `B${n}`, broker: 'paper', account: 'BENCH', symbol: 'RELIANCE', exchange: 'NSE', side: 'buy', quantity: 1, price: 250_005, ts: Date.now() } });
    }
    store.append(events);
    const wait = start + (step + 1) * STEP_MS - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  process.send({ last: store.lastSeq() });
  store.close();
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startNats(dir) {
  const binary = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin'].map((d) => join(d, 'nats-server')).find((p) => existsSync(p));
  if (!binary) throw new Error('nats-server is not installed (Debian package nats-server)');
  const port = await freePort();
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir], { stdio: 'ignore' });
  for (;;) {
    const open = await new Promise((resolve) => tcpConnect(port, '127.0.0.1', function () { this.destroy(); resolve(true); }).on('error', () => resolve(false)));
    if (open) return { child, url: `nats://127.0.0.1:${port}` };
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function main() {
  const machine = loadWatch();
  const { openDatabase } = await import('../dist/app/database.js');
  const { publishCursor, startJetStreamPublisher } = await import('../dist/server/publish/index.js');
  const { storeEventSource } = await import('../dist/server/stream/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-bench-nats-'));
  const nats = await startNats(join(dir, 'js'));
  const load = [loadavg()[0]];
  const path = join(dir, 'bench.db');
  const w = fork(self, ['--writer', path, ...OPTIONS]);
  await new Promise((resolve) => w.once('message', resolve));
  const store = openDatabase(path);
  const errors = [];
  const publisher = startJetStreamPublisher({ servers: nats.url, source: storeEventSource(store), cursor: publishCursor(store, 'nats:PTEXEC'), batchSize: BATCH, pollMs: 5, onError: (e) => errors.push(e.message) });
  while (publisher.status().acked < 1) await new Promise((r) => setTimeout(r, 10));
  const cpu = process.cpuUsage();
  const started = performance.now();
  w.send('go');
  const lags = [];
  let last;
  w.on('message', (m) => m.last && (last = m.last));
  const loadTimer = setInterval(() => load.push(loadavg()[0]), 2000);
  while (last === undefined || publisher.status().acked < last) {
    lags.push(publisher.status().lag);
    await new Promise((r) => setTimeout(r, 10));
  }
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  clearInterval(loadTimer);
  load.push(loadavg()[0]);
  lags.sort((a, b) => a - b);
  const q = (p) => lags[Math.min(lags.length - 1, Math.floor(p * lags.length))];
  console.log(`nats-publish: ${RATE} events/s recorded for ${SECONDS} s, batch ${BATCH}, ${cpus().length} cores`);
  console.log(`  published ${last} events in ${seconds.toFixed(2)} s (${Math.round(last / seconds)}/s); errors ${errors.length}`);
  console.log(`  lag (events recorded, not yet acknowledged) sampled every 10 ms: p50 ${q(0.5)}, p99 ${q(0.99)}, max ${lags.at(-1)} — ${lags.at(-1) <= BATCH ? 'within' : 'beyond'} one batch (${BATCH}) at the worst sample; p99 ${q(0.99) <= BATCH ? 'within' : 'beyond'}`);
  console.log(`  publisher process CPU ${(((used.user + used.system) / 1000 / 1000 / seconds) * 100).toFixed(0)}% of one core`);
  console.log(`  load average (1 min) during the run: ${load.map((l) => l.toFixed(2)).join(' → ')}`);
  await publisher.stop();
  store.close();
  w.kill();
  nats.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  machine.end();
  process.exit(0);
}
