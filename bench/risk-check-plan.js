// Risk-checks a plan of 10,000 legs (checkPlan on the NSE session, default limits plus a group limit, a duplicate
// window over 2,000 recent orders and 334 working sells) and prints median and best wall time and median CPU time.
// Run after `npm run build`: node bench/risk-check-plan.js
import { performance } from 'node:perf_hooks';
import { checkPlan, defaultRiskConfig } from '../dist/engine/risk/index.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();

const LEGS = 10_000;
const RUNS = 15;

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const random = lcg(42);
const sectors = ['IT', 'Financials', 'Energy', 'FMCG', 'Industrials', 'Telecom', 'Health', 'Materials'];

const instruments = new Map();
const quotes = new Map();
const holdings = [];
const legs = [];
const recent = [];
const working = [];
for (let i = 0; i < LEGS; i++) {
  const symbol = `SYM${i}`;
  const key = `NSE:${symbol}`;
  const price = 5 * Math.round((10_000 + random() * 400_000) / 5);
  instruments.set(key, { symbol, exchange: 'NSE', name: symbol, currency: 'INR', tickSize: 5, lotSize: 1, adv: 1_000_000 + Math.floor(random() * 9_000_000), sector: sectors[i % sectors.length] });
  quotes.set(key, { symbol, exchange: 'NSE', bid: price - 5, ask: price + 5, last: price, volume: 0, ts: 0 });
  const side = i % 3 === 0 ? 'sell' : 'buy';
  const current = side === 'sell' ? 200 : 0;
  if (current) holdings.push({ symbol, exchange: 'NSE', quantity: current, t1Quantity: 0, averagePrice: price });
  const quantity = 1 + Math.floor(random() * 150);
  legs.push({
    index: i,
    symbol,
    exchange: 'NSE',
    side,
    quantity,
    current,
    target: side === 'buy' ? current + quantity : current - quantity,
    decisionPrice: price,
    estimatedPrice: price,
    estimatedValue: quantity * price,
    limitPrice: i % 2 ? price : undefined,
    execution: { algo: 'twap', orderType: i % 2 ? 'limit' : 'market', params: {} },
    notes: [],
  });
  if (i % 5 === 0) recent.push({ clientOrderId: `r${i}`, runId: 'other', parentId: null, symbol, exchange: 'NSE', side: 'buy', quantity: quantity + 1, filledQuantity: 0, status: 'filled', createdAt: 0 });
  if (i % 10 === 0 && side === 'sell') working.push({ clientOrderId: `w${i}`, runId: 'other', parentId: null, symbol, exchange: 'NSE', side: 'sell', quantity: 10, filledQuantity: 0, status: 'accepted', createdAt: 0 });
}
const accountValue = 100_000_000_000_000;
const plan = { legs, skipped: [], notes: [], accountValue, cashBefore: accountValue, estimatedCashAfter: 0, currency: 'INR' };
const snapshot = { broker: 'zerodha', account: 'BENCH', takenAt: 0, funds: { currency: 'INR', available: accountValue, used: 0 }, holdings, instruments, quotes };
const config = { ...defaultRiskConfig(), run: { max_turnover_value: null, max_turnover_pct: 200, max_orders: 20_000, max_child_orders: null } };
config.concentration = { ...config.concentration, max_group_pct: 30 };
const history = { recentOrders: () => recent, workingOrders: () => working, countSimilarSince: () => 0 };
const ctx = { config, now: Date.parse('2026-01-05T05:00:00Z'), runId: 'bench', history };

for (let i = 0; i < 3; i++) checkPlan(plan, snapshot, ctx);
const times = [];
const cpu = [];
let result;
for (let i = 0; i < RUNS; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  result = checkPlan(plan, snapshot, ctx);
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
// CPU time is reported too because wall time on a shared machine includes waiting for a core.
console.log(`risk checkPlan: ${LEGS} legs, median ${median(times).toFixed(1)} ms wall (best ${Math.min(...times).toFixed(1)} ms), median ${median(cpu).toFixed(1)} ms CPU, over ${RUNS} runs (target < 50 ms)`);
console.log(`  verdicts: ${result.counts.pass} pass, ${result.counts.warn} warn, ${result.counts.block} block`);
machine.end();
