// `POST /execute` dry run of a 500-line target (CSV) through `ptexec serve`: parse, snapshot of
// the paper account, plan, pre-trade checks and the answer, over HTTP on loopback; the paper
// universe is 500 synthetic instruments. Median and worst of 15 after 3 warm-ups. Target: < 300 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../dist/app/database.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { brokerRegistration, registerBroker } from '../dist/brokers/registry.js';
import '../dist/brokers/index.js';
import { createPaperBroker } from '../dist/brokers/paper/index.js';
import { TokenService } from '../dist/server/auth/token-service.js';
import { startServer } from '../dist/server/http-server.js';
import { syntheticTarget, syntheticUniverse } from './support/synthetic-universe.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();
const [load1] = os.loadavg();
const cores = os.cpus().length;
console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cores} cores${load1 > cores * 0.5 ? ' — BUSY: figures below are inflated by other work' : ''}`);
const LINES = 500;
const instruments = syntheticUniverse(LINES);
const paper = brokerRegistration('paper');
registerBroker('paper', { ...paper, create: async (deps) => createPaperBroker({ tables: deps.tables, clock: deps.clock, config: deps.config, settlementDate: deps.calendar?.settlementDate, instruments }) });

const dir = mkdtempSync(join(os.tmpdir(), 'ptexec-bench-serve-execute-'));
const store = openDatabase(join(dir, 'bench.db'));
const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
const server = await startServer({ store, env, log: () => undefined }, { host: '127.0.0.1', port: 0, allowRequestCredentials: false, version: 'bench', rateLimit: { perSecond: 1e6, burst: 1e6 } });
const token = new TokenService(store).create(['trade']).token;
const target = syntheticTarget(LINES);
const post = async () => {
  const res = await fetch(`${server.url}/execute?dry_run=true`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: target });
  const body = await res.json();
  if (res.status !== 200 || body.results.length !== LINES) throw new Error(`${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
};
for (let i = 0; i < 3; i++) await post();
const times = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  await post();
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`POST /execute dry run, ${LINES} lines: median ${median.toFixed(1)} ms, best ${times[0].toFixed(1)} ms, worst ${times.at(-1).toFixed(1)} ms (target < 300 ms) ${median < 300 ? '✔' : '✘'}`);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await server.shutdown();
store.close();
rmSync(dir, { recursive: true, force: true });
machine.end();
