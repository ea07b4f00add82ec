// Live stream load test: a writer process records fills at 2,000 events/s (one transaction per
// 10 ms engine step, as a CLI run on the same database would), a server process serves the
// stream, and this process holds 200 subscribers (half WebSocket, half SSE) for about 10 s.
// Measures delivery latency (receive time − the event's recording time), events missed or
// received twice, subscribers dropped, and the server's CPU. Prints the load average: the
// machine may be busy. Run `npm run build` first.
//   node bench/serve-stream.js [--seconds 10] [--rate 2000] [--subscribers 200]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', 10));
const RATE = Number(arg('rate', 2000));
const SUBSCRIBERS = Number(arg('subscribers', 200));
const STEP_MS = 10;
const self = fileURLToPath(import.meta.url);

if (process.argv.includes('--writer')) await writer(arg('writer'));
else if (process.argv.includes('--server')) await server(arg('server'));
else await main();

async function writer(path) {
  const { openDatabase } = await import('../dist/app/database.js');
  const store = openDatabase(path);
  store.append({ runId: 'bench', type: 'run.created', payload: { runId: 'bench', broker: 'paper', account: 'BENCH', tradingDate: '2026-12-03', targetHash: 'h', source: 'bench', dryRun: false, options: {} } });
  process.send('ready');
  await new Promise((resolve) => process.once('message', resolve));
  const perStep = (RATE * STEP_MS) / 1000;
  const start = performance.now();
  let n = 0;
  for (let step = 0; n < RATE * SECONDS; step++) {
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

async function server(path) {
  const { createServer } = await import('node:http');
  const { openDatabase } = await import('../dist/app/database.js');
  const { attachWebSocketStream, createEventStream, handleEventStreamRequest, storeEventSource } = await import('../dist/server/stream/index.js');
  const store = openDatabase(path);
  let peak = 0;
  const stream = createEventStream({ authorize: async () => ({ ok: true, tokenId: 'bench' }), source: storeEventSource(store), onSubscribers: (n) => (peak = Math.max(peak, n)) });
  const http = createServer((req, res) => handleEventStreamRequest(req, res, stream) || res.writeHead(404).end());
  attachWebSocketStream(http, stream);
  http.listen(0, '127.0.0.1', () => process.send({ port: http.address().port }));
  let cpuAtStart;
  process.on('SIGINT', () => process.exit(0));
  process.on('message', (m) => {
    if (m === 'start') cpuAtStart = process.cpuUsage();
    if (m === 'report') {
      const cpu = process.cpuUsage(cpuAtStart);
      process.send({ cpuMs: (cpu.user + cpu.system) / 1000, peakQueued: stream.feed.peakQueued, subscribers: stream.feed.subscriberCount, peak });
    }
  });
}

function subscribe(port, kind, onEvent, onDrop) {
  if (kind === 'ws') {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream`);
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"control"')) return;
      onEvent(text);
    });
    ws.on('close', (code, reason) => onDrop(`ws ${code} ${reason}`));
    return new Promise((resolve) => ws.once('message', resolve));
  }
  return new Promise((resolve) => {
    get({ host: '127.0.0.1', port, path: '/v1/events' }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.indexOf('\ndata: ');
          if (data >= 0) onEvent(frame.slice(data + 7));
        }
      });
      res.on('end', () => onDrop('sse ended'));
      resolve();
    });
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-bench-stream-'));
  const path = join(dir, 'bench.db');
  const load = [loadavg()[0]];
  const w = fork(self, ['--writer', path]);
  await new Promise((resolve) => w.once('message', resolve));
  const s = fork(self, ['--server', path], process.env.BENCH_PROF ? { execArgv: ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] } : {});
  const { port } = await new Promise((resolve) => s.once('message', resolve));
  const clients = Array.from({ length: SUBSCRIBERS }, (_, i) => ({ kind: i % 2 ? 'sse' : 'ws', last: 0, count: 0, gaps: 0, dups: 0 }));
  const latencies = [];
  const drops = [];
  let measuring = false;
  await Promise.all(
    clients.map((c) =>
      subscribe(
        port,
        c.kind,
        (text) => {
          const now = Date.now();
          // Only what the measurement needs, without parsing the whole event.
          const seq = Number(/"seq":(\d+)/.exec(text)[1]);
          const ts = Number(/"ts":(\d+)/.exec(text)[1]);
          if (c.last && seq !== c.last + 1) seq <= c.last ? c.dups++ : c.gaps++;
          c.last = Math.max(c.last, seq);
          c.count++;
          if (measuring) latencies.push(now - ts);
        },
        (why) => drops.push(why),
      ),
    ),
  );
  s.send('start');
  const clientCpu = process.cpuUsage();
  w.send('go');
  setTimeout(() => (measuring = true), 1000);
  const loadTimer = setInterval(() => load.push(loadavg()[0]), 2000);
  const { last } = await new Promise((resolve) => w.on('message', (m) => m.last && resolve(m)));
  const deadline = Date.now() + 5000;
  while (clients.some((c) => c.last < last) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  s.send('report');
  const server = await new Promise((resolve) => s.on('message', (m) => m.cpuMs !== undefined && resolve(m)));
  const clientCpuMs = (process.cpuUsage(clientCpu).user + process.cpuUsage(clientCpu).system) / 1000;
  clearInterval(loadTimer);
  load.push(loadavg()[0]);
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  const missing = clients.reduce((sum, c) => sum + (last - 1 - c.count), 0);
  console.log(`serve-stream: ${SUBSCRIBERS} subscribers (${SUBSCRIBERS / 2} WebSocket, ${SUBSCRIBERS / 2} SSE), ${RATE} events/s for ${SECONDS} s, ${cpus().length} cores`);
  console.log(`  delivered ${clients.reduce((s, c) => s + c.count, 0)} events; missing ${missing}, gaps ${clients.reduce((s, c) => s + c.gaps, 0)}, duplicates ${clients.reduce((s, c) => s + c.dups, 0)}, subscribers dropped ${drops.length}${drops.length ? ` (${drops[0]})` : ''}`);
  console.log(`  delivery latency (receive − recording), after the first second: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${latencies.at(-1)} ms over ${latencies.length} deliveries`);
  console.log(`  server process CPU ${((server.cpuMs / 1000 / SECONDS) * 100).toFixed(0)}% of one core, subscribers' process ${((clientCpuMs / 1000 / SECONDS) * 100).toFixed(0)}%; peak queued events of a subscriber ${server.peakQueued}`);
  console.log(`  load average (1 min) during the run: ${load.map((l) => l.toFixed(2)).join(' → ')}`);
  w.kill();
  s.kill('SIGINT');
  await new Promise((r) => s.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
