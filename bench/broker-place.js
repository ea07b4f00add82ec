// Order placement throughput, latency and each adapter's own overhead, for every broker adapter
// (Zerodha, Upstox, Fyers, Angel One, Groww) against a loopback server of that broker, rate
// limiter off.
//
// Compile-free: the emulators used by the tests are TypeScript, so each broker gets a minimal
// JavaScript loopback server on 127.0.0.1 that checks what matters on the placement path (auth
// headers, body encoding, our client order id in the tag/reference field), serves a one-row
// instrument master where placing needs one, and answers with that broker's success envelope.
//
// Every adapter is warmed up first; then, in three rounds: 1,000 placements one at a time and
// 1,000 with 8 in flight (orders/s, p50/p99), and 2,000 placements each paired with a plain undici
// request repeating the very request the adapter sent (method, path, headers, body) on its own
// keep-alive agent — the floor of HTTP round trip plus server. The adapter's own overhead is
// (adapter − raw) per pair, p50/p99, on the wall clock and in CPU time, and p99(adapter) −
// p99(raw). The table shows the medians of the rounds. Run `npm run build` first.
import { createServer } from 'node:http';
import os from 'node:os';
import { Agent, request } from 'undici';
import { WallClock } from '../dist/engine/clock/index.js';
import { AngelOneConfigSchema } from '../dist/brokers/angelone/config.js';
import { AngelOneBroker } from '../dist/brokers/angelone/angelone-broker.js';
import { FyersConfigSchema } from '../dist/brokers/fyers/config.js';
import { FyersBroker } from '../dist/brokers/fyers/fyers-broker.js';
import { GrowwConfigSchema } from '../dist/brokers/groww/config.js';
import { GrowwBroker } from '../dist/brokers/groww/groww-broker.js';
import { UpstoxConfigSchema } from '../dist/brokers/upstox/config.js';
import { UpstoxBroker } from '../dist/brokers/upstox/upstox-broker.js';
import { ZerodhaConfigSchema } from '../dist/brokers/zerodha/config.js';
import { ZerodhaBroker } from '../dist/brokers/zerodha/zerodha-broker.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const ORDERS = 1000;
const WARM_UP = 1000;
const PAIRS = 2000;
const ROUNDS = 3;
const KEY = 'benchkey';
const TOKEN = 'benchtoken';
const TAG = /^[A-Za-z0-9]{1,20}$/;

class Refused extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}
const check = (ok, status, message) => {
  if (!ok) throw new Refused(status, message);
};
const parseJson = (req, body) => {
  check(String(req.headers['content-type']).startsWith('application/json'), 400, 'JSON body expected');
  return JSON.parse(body);
};

/**
 * Each broker: its placement route and checks, its success and error envelopes, any master file
 * it downloads, and how its adapter is built against `url`.
 */
const BROKERS = [
  {
    id: 'zerodha',
    place: { method: 'POST', path: '/orders/regular' },
    handle(req, body) {
      check(req.headers['x-kite-version'] === '3', 400, 'X-Kite-Version missing');
      check(req.headers.authorization === `token ${KEY}:${TOKEN}`, 403, 'bad token');
      check(req.headers['content-type'] === 'application/x-www-form-urlencoded', 400, 'form expected');
      check(TAG.test(new URLSearchParams(body).get('tag') ?? ''), 400, 'bad tag');
      return { status: 'success', data: { order_id: String(2612030000000 + nextId()) } };
    },
    error: (message) => ({ status: 'error', message, error_type: 'InputException', data: null }),
    build: (url) =>
      new ZerodhaBroker({ settings: ZerodhaConfigSchema.parse({ api_url: url, ws_url: url.replace('http', 'ws') }), apiKey: KEY, accessToken: TOKEN, clock: new WallClock(), rateLimit: false }),
  },
  {
    id: 'upstox',
    place: { method: 'POST', path: '/v3/order/place' },
    files: {
      '/complete.json': JSON.stringify([
        { segment: 'NSE_EQ', name: 'INFOSYS LIMITED', exchange: 'NSE', isin: 'INE009A01021', instrument_type: 'EQ', instrument_key: 'NSE_EQ|INE009A01021', lot_size: 1, tick_size: 5.0, trading_symbol: 'INFY', exchange_token: '1594' },
      ]),
    },
    handle(req, body) {
      check(req.headers.authorization === `Bearer ${TOKEN}`, 401, 'Invalid token used to access API');
      const b = parseJson(req, body);
      check(b.instrument_token === 'NSE_EQ|INE009A01021', 400, 'Invalid instrument key');
      check(TAG.test(String(b.tag)), 400, 'Invalid tag');
      return { status: 'success', data: { order_ids: [`2612030${nextId()}`] }, metadata: { latency: 20 } };
    },
    error: (message) => ({ status: 'error', errors: [{ errorCode: 'UDAPI1026', message }] }),
    build: (url) =>
      new UpstoxBroker({
        settings: UpstoxConfigSchema.parse({ api_url: url, order_url: url, ws_url: url.replace('http', 'ws'), login_url: url, instruments_url: `${url}/complete.json` }),
        accessToken: TOKEN,
        userId: 'U0001',
        clock: new WallClock(),
        rateLimit: false,
      }),
  },
  {
    id: 'fyers',
    place: { method: 'POST', path: '/api/v3/orders/sync' },
    files: {
      // One NSE equity row in the emulator's 21 columns (no header): ticker in column 9, symbol in 13.
      '/sym_details/NSE_CM.csv': '101000000001594,INFOSYS LIMITED,0,1,0.05,INE009A01021,0915-1530|1815-1915:,2026-12-03,,NSE:INFY-EQ,10,10,1594,INFY,1594,-1.0,XX,101000000001594,None,0,0.0\n',
      '/sym_details/BSE_CM.csv': '\n',
    },
    handle(req, body) {
      check(req.headers.authorization === `${KEY}:${TOKEN}`, 401, 'bad token');
      check(req.headers.version === '2.0', 400, 'version header missing');
      const b = parseJson(req, body);
      check(b.symbol === 'NSE:INFY-EQ', 400, 'Please provide a valid symbol');
      check(TAG.test(String(b.orderTag)), 400, 'Invalid orderTag');
      return { s: 'ok', code: 1101, message: 'Order submitted successfully', id: `2612030${nextId()}` };
    },
    error: (message) => ({ s: 'error', code: -50, message }),
    build: (url) =>
      new FyersBroker({
        settings: FyersConfigSchema.parse({ api_url: `${url}/api/v3`, data_url: `${url}/data`, ws_url: url.replace('http', 'ws'), symbols_url: `${url}/sym_details` }),
        appId: KEY,
        accessToken: TOKEN,
        userId: 'XB0001',
        clock: new WallClock(),
        rateLimit: false,
      }),
  },
  {
    id: 'angelone',
    place: { method: 'POST', path: '/rest/secure/angelbroking/order/v1/placeOrder' },
    files: {
      '/OpenAPIScripMaster.json': JSON.stringify([
        { token: '1594', symbol: 'INFY-EQ', name: 'INFY', expiry: '', strike: '-1.000000', lotsize: '1', instrumenttype: '', exch_seg: 'NSE', tick_size: '5.000000' },
      ]),
    },
    handle(req, body) {
      check(req.headers.authorization === `Bearer ${TOKEN}`, 401, 'Invalid Token');
      check(req.headers['x-privatekey'] === KEY, 401, 'Invalid API Key');
      const b = parseJson(req, body);
      check(b.symboltoken === '1594' && b.tradingsymbol === 'INFY-EQ', 400, 'Invalid symbol token');
      check(typeof b.quantity === 'string', 400, 'Invalid quantity');
      check(TAG.test(String(b.ordertag)), 400, 'Invalid ordertag');
      const id = `26120300${nextId()}`;
      return { status: true, message: 'SUCCESS', errorcode: '', data: { script: 'INFY-EQ', orderid: id, uniqueorderid: `u-${id}` } };
    },
    error: (message) => ({ status: false, message, errorcode: 'AB1007', data: null }),
    build: (url) =>
      new AngelOneBroker({
        settings: AngelOneConfigSchema.parse({ api_url: url, instruments_url: `${url}/OpenAPIScripMaster.json`, rate_limit: false }),
        apiKey: KEY,
        jwt: TOKEN,
        clientCode: 'B0001',
        clock: new WallClock(),
        rateLimit: false,
      }),
  },
  {
    id: 'groww',
    place: { method: 'POST', path: '/v1/order/create' },
    handle(req, body) {
      check(req.headers.authorization === `Bearer ${TOKEN}`, 401, 'bad token');
      check(req.headers['x-api-version'] === '1.0', 400, 'X-API-VERSION missing');
      const b = parseJson(req, body);
      check(/^[A-Za-z0-9-]{8,20}$/.test(String(b.order_reference_id)), 400, 'Invalid order_reference_id');
      return { status: 'SUCCESS', payload: { groww_order_id: `GMK${nextId()}`, order_reference_id: b.order_reference_id, order_status: 'OPEN', remark: 'Order placed successfully' } };
    },
    error: (message) => ({ status: 'FAILURE', error: { code: 'GA001', message } }),
    build: (url) =>
      new GrowwBroker({ settings: GrowwConfigSchema.parse({ api_url: url, instruments_url: `${url}/instruments.csv` }), accessToken: TOKEN, userId: 'G0001', clock: new WallClock(), rateLimit: false }),
  },
];

let counter = 1;
const nextId = () => counter++;

/** A loopback server of one broker; `last` is the latest placement request as it arrived. */
async function serve(broker) {
  const state = { last: undefined };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const reply = (status, value, type = 'application/json') => {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      };
      const file = broker.files?.[req.url];
      if (file !== undefined && req.method === 'GET') return reply(200, file, req.url.endsWith('.json') ? 'application/json' : 'text/csv');
      try {
        check(req.method === broker.place.method && req.url === broker.place.path, 404, `no route ${req.method} ${req.url}`);
        const answer = broker.handle(req, body);
        const { host, connection, 'content-length': _, ...headers } = req.headers;
        state.last = { method: req.method, path: req.url, headers, body };
        reply(200, answer);
      } catch (err) {
        reply(err instanceof Refused ? err.status : 500, broker.error(err.message));
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, state, url: `http://127.0.0.1:${server.address().port}` };
}

const order = (i) => ({ clientOrderId: `BENCH${i}`, symbol: 'INFY', exchange: 'NSE', side: i % 2 ? 'sell' : 'buy', type: 'limit', quantity: 1 + (i % 7), limitPrice: 150_000 + (i % 20) * 10, timeInForce: 'day', product: 'delivery' });
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

let seq = 0;
async function placements(adapter, count, concurrency) {
  const latencies = [];
  let done = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (done < count) {
        done++;
        const t0 = process.hrtime.bigint();
        await adapter.placeOrder(order(seq++));
        latencies.push(ms(t0));
      }
    }),
  );
  return { perSecond: count / (ms(start) / 1000), p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/**
 * Adapter placements paired with raw repeats of the request the adapter sent; the pair's order
 * alternates. Each side is timed on the wall clock and in process CPU time (server included on
 * both sides): the CPU difference is what the adapter itself costs and, unlike the wall clock, is
 * not inflated when other processes take the cores.
 */
async function overhead({ adapter, state, url, agent }, pairs) {
  const timed = async (work) => {
    const cpu = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await work();
    const wall = ms(t0);
    const used = process.cpuUsage(cpu);
    return { wall, cpu: (used.user + used.system) / 1000 };
  };
  const raw = (sent) =>
    timed(async () => {
      const res = await request(url + sent.path, { method: sent.method, headers: sent.headers, body: sent.body, dispatcher: agent });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`raw repeat refused: ${text}`);
    });
  const viaAdapter = () => timed(() => adapter.placeOrder(order(seq++)));
  const a = [];
  const r = [];
  for (let i = 0; i < pairs; i++) {
    if (i % 2 === 0) {
      a.push(await viaAdapter());
      r.push(await raw(state.last));
    } else {
      r.push(await raw(state.last));
      a.push(await viaAdapter());
    }
  }
  const wall = a.map((x, i) => x.wall - r[i].wall);
  const cpu = a.map((x, i) => x.cpu - r[i].cpu);
  const aw = a.map((x) => x.wall);
  const rw = r.map((x) => x.wall);
  return {
    adapterP50: pct(aw, 50), adapterP99: pct(aw, 99), rawP50: pct(rw, 50), rawP99: pct(rw, 99),
    diffP50: pct(wall, 50), diffP99: pct(wall, 99), tailGap: pct(aw, 99) - pct(rw, 99), cpuP50: pct(cpu, 50), cpuP99: pct(cpu, 99),
  };
}

// `node bench/broker-place.js [adapter…]` measures only those, in that order.
const only = process.argv.slice(2);
const fail = (message) => {
  console.error(message);
  process.exit(2);
};
const [load1] = os.loadavg();
const cores = os.cpus().length;
const busy = load1 > cores * 0.5;
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cores} cores${busy ? ' — BUSY: figures below are inflated by other work' : ''}`);
console.log(`node ${process.version}, rate limiter off, loopback HTTP/1.1 keep-alive\n`);

const f = (x, d = 2) => x.toFixed(d);
const median = (values) => pct(values, 50);
const chosen = only.length === 0 ? BROKERS : only.map((id) => BROKERS.find((b) => b.id === id) ?? fail(`unknown adapter ${id}; one of ${BROKERS.map((b) => b.id).join(', ')}`));

// Every adapter is warmed up before any is measured (the first one measured would otherwise pay
// for compiling the HTTP code they share), then measured in rounds, adapter after adapter.
const subjects = [];
for (const broker of chosen) {
  const served = await serve(broker);
  const subject = { broker, ...served, adapter: broker.build(served.url), agent: new Agent({ keepAliveTimeout: 30_000, connections: 8 }), rounds: [] };
  await placements(subject.adapter, WARM_UP, 4);
  await placements(subject.adapter, WARM_UP / 2, 1);
  await overhead(subject, WARM_UP / 2);
  subjects.push(subject);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const subject of subjects) {
    const sequential = await placements(subject.adapter, ORDERS, 1);
    const parallel = await placements(subject.adapter, ORDERS, 8);
    const own = await overhead(subject, PAIRS);
    subject.rounds.push([
      sequential.perSecond, sequential.p50, sequential.p99, parallel.perSecond, parallel.p50, parallel.p99,
      own.adapterP50, own.adapterP99, own.rawP50, own.rawP99, own.diffP50, own.diffP99, own.tailGap, own.cpuP50, own.cpuP99,
    ]);
  }
}
const DIGITS = [0, 2, 2, 0, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3];
const rows = subjects.map(({ broker, rounds }) => [broker.id, ...DIGITS.map((d, i) => f(median(rounds.map((r) => r[i])), d))]);
const worstOwn = subjects.map(({ broker, rounds }) => `${broker.id} ${f(Math.max(...rounds.map((r) => r[11])), 3)}/${f(Math.max(...rounds.map((r) => r[14])), 3)}`);
for (const subject of subjects) {
  await subject.adapter.close();
  await subject.agent.close();
  subject.server.close();
}

const header = ['adapter', '1: ord/s', 'p50 ms', 'p99 ms', '8: ord/s', 'p50 ms', 'p99 ms', 'pair p50', 'p99', 'raw p50', 'p99', 'own p50', 'own p99', 'p99 gap', 'cpu p50', 'cpu p99'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log(`\nMedians of ${ROUNDS} rounds. 1 / 8: ${ORDERS} placements, 1 or 8 in flight. Then ${PAIRS} pairs: pair = the adapter's placement, raw = the same request`);
console.log('repeated with undici alone; own = adapter − raw per pair, wall clock (ms); p99 gap = p99(pair) − p99(raw);');
console.log('cpu = adapter − raw per pair in process CPU time (ms), which other processes on the machine do not inflate.');
console.log(`worst round's own p99 / cpu p99 (ms): ${worstOwn.join(', ')}`);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}${busy ? ' (busy)' : ''}`);
machine.end();
