// Live stream load test: a writer process records fills at 2,000 events/s (one transaction per
// 10 ms engine step, as a CLI run on the same database would), a server process serves the
// stream, and four processes hold 200 subscribers (half WebSocket, half SSE) for about 10 s.
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
import { loadWatch } from './support/machine-load.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SECONDS = Number(arg('seconds', 10));
const RATE = Number(arg('rate', 2000));
const SUBSCRIBERS = Number(arg('subscribers', 200));
/** Subscribers are spread over processes, as they would be over machines: one process cannot parse 400,000 messages/s. */
const CLIENT_PROCESSES = Number(arg('processes', 4));
const STEP_MS = 10;
const self = fileURLToPath(import.meta.url);
/** The options given, passed on to the child processes. */
const OPTIONS = ['--seconds', String(SECONDS), '--rate', String(RATE)];

if (process.argv.includes('--writer')) await writer(arg('writer'));
else if (process.argv.includes('--server')) await server(arg('server'));
else if (process.argv.includes('--clients')) await clientProcess(Number(arg('clients')), Number(arg('count')));
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

/** One process of subscribers: reports, when told the last seq, what each received and a latency histogram (1 ms buckets). */
async function clientProcess(port, count) {
  const clients = Array.from({ length: count }, (_, i) => ({ kind: i % 2 ? 'sse' : 'ws', last: 0, count: 0, gaps: 0, dups: 0 }));
  const histogram = new Array(120_001).fill(0);
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
          if (measuring) histogram[Math.min(120_000, Math.max(0, now - ts))]++;
        },
        (why) => drops.push(why),
      ),
    ),
  );
  process.send('ready');
  const cpu = process.cpuUsage();
  process.on('message', async (m) => {
    if (m === 'measure') measuring = true;
    if (m.last) {
      const deadline = Date.now() + 10_000;
      while (clients.some((c) => c.last < m.last) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const used = process.cpuUsage(cpu);
      process.send({ histogram, drops, cpuMs: (used.user + used.system) / 1000, received: clients.reduce((s, c) => s + c.count, 0), gaps: clients.reduce((s, c) => s + c.gaps, 0), dups: clients.reduce((s, c) => s + c.dups, 0) });
    }
  });
}

async function main() {
  const machine = loadWatch();
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-bench-stream-'));
  const path = join(dir, 'bench.db');
  const load = [loadavg()[0]];
  const w = fork(self, ['--writer', path, ...OPTIONS]);
  await new Promise((resolve) => w.once('message', resolve));
  const s = fork(self, ['--server', path]);
  const { port } = await new Promise((resolve) => s.once('message', resolve));
  const groups = Array.from({ length: CLIENT_PROCESSES }, (_, i) => Math.floor(SUBSCRIBERS / CLIENT_PROCESSES) + (i < SUBSCRIBERS % CLIENT_PROCESSES ? 1 : 0));
  const children = groups.map((count) => fork(self, ['--clients', String(port), '--count', String(count)]));
  await Promise.all(children.map((c) => new Promise((resolve) => c.once('message', resolve))));
  s.send('start');
  w.send('go');
  setTimeout(() => children.forEach((c) => c.send('measure')), 1000);
  const loadTimer = setInterval(() => load.push(loadavg()[0]), 2000);
  const { last } = await new Promise((resolve) => w.on('message', (m) => m.last && resolve(m)));
  const reports = await Promise.all(children.map((c) => new Promise((resolve) => {
    c.on('message', (m) => m.histogram && resolve(m));
    c.send({ last });
  })));
  s.send('report');
  const server = await new Promise((resolve) => s.on('message', (m) => m.cpuMs !== undefined && resolve(m)));
  clearInterval(loadTimer);
  load.push(loadavg()[0]);
  const histogram = reports[0].histogram.map((_, ms) => reports.reduce((sum, r) => sum + r.histogram[ms], 0));
  const measured = histogram.reduce((a, b) => a + b, 0);
  const q = (p) => {
    let seen = 0;
    for (let ms = 0; ms < histogram.length; ms++) if ((seen += histogram[ms]) >= p * measured) return ms;
    return histogram.length - 1;
  };
  const max = histogram.findLastIndex((n) => n > 0);
  const received = reports.reduce((sum, r) => sum + r.received, 0);
  const drops = reports.flatMap((r) => r.drops);
  const clientCpuMs = reports.reduce((sum, r) => sum + r.cpuMs, 0);
  const missing = SUBSCRIBERS * (last - 1) - received;
  console.log(`serve-stream: ${SUBSCRIBERS} subscribers (${SUBSCRIBERS / 2} WebSocket, ${SUBSCRIBERS / 2} SSE), ${RATE} events/s for ${SECONDS} s, ${cpus().length} cores`);
  console.log(`  delivered ${received} events; missing ${missing}, gaps ${reports.reduce((s, r) => s + r.gaps, 0)}, duplicates ${reports.reduce((s, r) => s + r.dups, 0)}, subscribers dropped ${drops.length}${drops.length ? ` (${drops[0]})` : ''}`);
  console.log(`  delivery latency (receive − recording), after the first second: p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${max} ms over ${measured} deliveries`);
  console.log(`  server CPU per delivery ${((server.cpuMs * 1000) / received).toFixed(2)} µs (${((server.cpuMs * 1000 * SUBSCRIBERS * RATE) / received / 1e6 * 100).toFixed(0)}% of one core at the full rate)`);
  console.log(`  server process CPU ${((server.cpuMs / 1000 / SECONDS) * 100).toFixed(0)}% of one core, subscribers' ${CLIENT_PROCESSES} processes ${((clientCpuMs / 1000 / SECONDS) * 100).toFixed(0)}%; peak queued events of a subscriber ${server.peakQueued}`);
  console.log(`  load average (1 min) during the run: ${load.map((l) => l.toFixed(2)).join(' → ')}`);
  w.kill();
  children.forEach((c) => c.kill());
  s.kill('SIGINT');
  await new Promise((r) => s.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  machine.end();
  process.exit(0);
}
