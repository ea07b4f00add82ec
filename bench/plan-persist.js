// Plans and persists a 2,000-symbol target against a paper account holding 2,000 positions.
// Measures the snapshot, plan and pre-trade checks (RebalanceService.plan) and persisting the
// plan: the run events and one parent order per leg, in one transaction, as a run records them
// when it starts. The run-wide limits are off so that every leg is checked and none is blocked.
// Usage: npm run build && node bench/plan-persist.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createPaperBroker, resetPaperAccount } from '../dist/brokers/paper/index.js';
import { parseTargetPortfolio } from '../dist/app/loaders/target-file.js';
import { VirtualClock } from '../dist/engine/clock/index.js';
import { parentOrderId } from '../dist/engine/identity.js';
import { RebalanceService } from '../dist/engine/rebalance/rebalance-service.js';
import { storePorts } from '../dist/app/factory/store-ports.js';
import { defaultRiskConfig } from '../dist/engine/risk/index.js';
import { openDatabase } from '../dist/app/database.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();

const N = 2000;
const ROUNDS = 5;
const instruments = Array.from({ length: N }, (_, i) => ({
  symbol: `SYM${String(i).padStart(4, '0')}`,
  exchange: 'NSE',
  name: `Synthetic ${i}`,
  currency: 'INR',
  tickSize: 5,
  lotSize: 1,
  sector: `S${i % 11}`,
  adv: 2_000_000 + (i % 97) * 10_000,
  volatility: 0.2 + (i % 13) / 100,
  referencePrice: 20_000 + (i % 400) * 500,
}));
const csv = ['symbol,target_quantity', ...instruments.map((x, i) => `${x.symbol},${100 + ((i * 37) % 200)}`)].join('\n');
const target = parseTargetPortfolio(csv, 'bench.csv');

const defaults = defaultRiskConfig();
const risk = { config: { ...defaults, run: { ...defaults.run, max_orders: null, max_turnover_pct: null } } };

const timings = [];
for (let round = 0; round < ROUNDS; round++) {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-bench-'));
  const store = openDatabase(join(dir, 'bench.db'));
  const clock = new VirtualClock(Date.UTC(2026, 0, 5, 5, 0, 0));
  resetPaperAccount(store.brokerTables('paper'), {
    cash: 50_000_000_000,
    holdings: instruments.map((x, i) => ({ symbol: x.symbol, exchange: 'NSE', quantity: 150 + (i % 50) })),
    instruments,
    now: clock.now(),
  });
  const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, instruments });
  await broker.connect();
  const service = new RebalanceService({ log: store, ...storePorts(store), broker, clock, risk });
  const request = {
    target,
    targetText: csv,
    source: 'bench.csv',
    tradingDate: '2026-01-05',
    dryRun: false,
    newRun: true,
    planOptions: { defaultExecution: { algo: 'market', orderType: 'market', params: {} } },
    options: {},
  };
  const t0 = performance.now();
  const checked = await service.plan(request);
  const t1 = performance.now();
  if (checked.kind !== 'checked' || checked.refusal) throw new Error(`the bench plan was not sendable: ${checked.kind} ${checked.refusal?.message ?? ''}`);
  const { runId, plan } = checked;
  const events = [
    { runId, type: 'run.created', marketTs: clock.now(), payload: { runId, broker: 'paper', account: broker.account, tradingDate: '2026-01-05', targetHash: 'x', source: 'bench.csv', dryRun: false, options: {} } },
    { runId, type: 'run.planned', marketTs: clock.now(), payload: { legs: plan.legs, skipped: plan.skipped, notes: plan.notes, accountValue: plan.accountValue, cashBefore: plan.cashBefore, currency: plan.currency } },
    { runId, type: 'run.status', marketTs: clock.now(), payload: { status: 'running' } },
  ];
  for (const leg of plan.legs) {
    const id = parentOrderId(runId, leg.index);
    events.push({ runId, type: 'order.created', marketTs: clock.now(), payload: { clientOrderId: id, leg: leg.index, broker: 'paper', account: broker.account, symbol: leg.symbol, exchange: leg.exchange, side: leg.side, type: 'market', quantity: leg.quantity, timeInForce: 'day', product: 'delivery', algo: 'market', decisionPrice: leg.decisionPrice } });
    events.push({ runId, type: 'order.status', marketTs: clock.now(), payload: { clientOrderId: id, from: 'created', to: 'accepted' } });
  }
  store.append(events);
  const t2 = performance.now();
  timings.push({ legs: plan.legs.length, plan: t1 - t0, persist: t2 - t1, total: t2 - t0 });
  service.release();
  await broker.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
const best = (k) => Math.min(...timings.map((t) => t[k]));
const median = (k) => [...timings.map((t) => t[k])].sort((a, b) => a - b)[Math.floor(timings.length / 2)];
console.log(`plan + persist of ${timings[0].legs} legs (2,000-symbol target, 2,000 holdings), ${ROUNDS} rounds`);
console.log(`  snapshot + plan + checks: median ${median('plan').toFixed(1)} ms (best ${best('plan').toFixed(1)} ms)`);
console.log(`  persist:                  median ${median('persist').toFixed(1)} ms (best ${best('persist').toFixed(1)} ms)`);
console.log(`  total:                    ${machine.headline(`median ${median('total').toFixed(1)} ms (best ${best('total').toFixed(1)} ms)   target < 300 ms`)}`);
machine.end();
