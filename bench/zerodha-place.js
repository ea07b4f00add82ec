// Order placement throughput and latency through the Zerodha adapter (rate limiter off).
//
// Compile-free: the Kite emulator used by the tests is TypeScript, so this starts a minimal
// JavaScript Kite loopback server on 127.0.0.1 that checks what matters on the placement path
// (X-Kite-Version, Authorization, form body, tag) and answers with Kite's envelope. It measures
// the adapter and its HTTP plumbing (undici keep-alive, envelope parsing, error mapping), not a
// network. Run `npm run build` first.
import { createServer } from 'node:http';
import { ZerodhaConfigSchema } from '../dist/brokers/zerodha/config.js';
import { ZerodhaBroker } from '../dist/brokers/zerodha/zerodha-broker.js';
import { WallClock } from '../dist/engine/clock/index.js';

const ORDERS = 1000;
const API_KEY = 'benchkey';
const TOKEN = 'benchtoken';

let nextId = 1;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const fail = (status, type, message) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error', message, error_type: type, data: null }));
    };
    if (req.headers['x-kite-version'] !== '3') return fail(400, 'InputException', 'X-Kite-Version missing');
    if (req.headers.authorization !== `token ${API_KEY}:${TOKEN}`) return fail(403, 'TokenException', 'bad token');
    if (req.method !== 'POST' || req.url !== '/orders/regular') return fail(404, 'GeneralException', 'Route not found');
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded') return fail(400, 'InputException', 'form expected');
    const form = new URLSearchParams(body);
    if (!/^[A-Za-z0-9]{1,20}$/.test(form.get('tag') ?? '')) return fail(400, 'InputException', 'bad tag');
    const text = JSON.stringify({ status: 'success', data: { order_id: String(2611220000000 + nextId++) } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}`;

const broker = new ZerodhaBroker({
  settings: ZerodhaConfigSchema.parse({ api_url: url, ws_url: url.replace('http', 'ws') }),
  apiKey: API_KEY,
  accessToken: TOKEN,
  clock: new WallClock(),
  rateLimit: false,
});

const request = (i) => ({ clientOrderId: `BENCH${i}`, symbol: 'INFY', exchange: 'NSE', side: i % 2 ? 'sell' : 'buy', type: 'limit', quantity: 1 + (i % 7), limitPrice: 150_000 + (i % 20) * 10, timeInForce: 'day', product: 'delivery' });

async function run(label, concurrency) {
  const latencies = [];
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ORDERS) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        await broker.placeOrder(request(i));
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];
  console.log(`${label}: ${ORDERS} placements in ${seconds.toFixed(2)} s = ${(ORDERS / seconds).toFixed(0)} orders/s; latency p50 ${pct(50).toFixed(2)} ms, p99 ${pct(99).toFixed(2)} ms`);
}

await run('warm-up (discarded)', 4);
await run('sequential (1 in flight)', 1);
await run('concurrent (8 in flight)', 8);
await broker.close();
server.close();
