// Routes a 2,000-leg plan over 5 Indian accounts (routeLegs: eligibility, cash after each account's
// own sells, shares per account, charges, NSE/BSE choice by spread and depth, splitting of legs
// larger than the displayed depth) and prints median and best wall time and median CPU time.
// Three times: with each broker's shipped charge schedule through scheduleCharges (what a caller
// should pass), through the contract-note calculator chargesForTrade (the same figures, slower),
// with a flat charge, which is the router's own work alone, and with the shipped schedules over a
// household whose accounts declare shares (every leg placed by the shares).
// Run after `npm run build`: node bench/router.js
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { DEFAULT_ROUTING_POLICY, routeLegs, scheduleCharges, sellableKey } from '../dist/engine/routing/index.js';
import { chargesForTrade } from '../dist/engine/charges/contract-note.js';
import { loadChargeSchedules } from '../dist/app/loaders/charge-schedules.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const LEGS = 2_000;
const RUNS = 21;

function lcg(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const random = lcg(18);
const schedules = loadChargeSchedules();

const ACCOUNTS = [
  { alias: 'main', broker: 'zerodha', role: 'primary' },
  { alias: 'spouse', broker: 'upstox', role: 'secondary' },
  { alias: 'huf', broker: 'fyers', role: 'secondary' },
  { alias: 'kid', broker: 'angelone', role: 'secondary' },
  { alias: 'trust', broker: 'groww', role: 'backup' },
];

const plan = [];
const holdings = ACCOUNTS.map(() => new Map());
for (let i = 0; i < LEGS; i++) {
  const symbol = `SYM${i}`;
  const price = 5 * Math.round((10_000 + random() * 400_000) / 5);
  const half = 5 * (1 + Math.floor(random() * 6));
  const depth = () => 200 + Math.floor(random() * 5_000);
  const venues = [
    { exchange: 'NSE', bid: price - half, ask: price + half, bidDepth: depth(), askDepth: depth() },
    { exchange: 'BSE', bid: price - half - 5 * Math.floor(random() * 3), ask: price + half + 5 * Math.floor(random() * 3), bidDepth: depth(), askDepth: depth() },
  ];
  const side = i % 3 === 0 ? 'sell' : 'buy';
  // One leg in ten is larger than the displayed depth, so the split search runs on it.
  const quantity = i % 10 === 0 ? 4_000 + Math.floor(random() * 8_000) : 1 + Math.floor(random() * 300);
  if (side === 'sell') {
    // The shares are spread over two or three accounts, not always enough in any one of them.
    const holders = 2 + (i % 2);
    for (let h = 0; h < holders; h++) holdings[(i + h) % ACCOUNTS.length].set(sellableKey(symbol, 'NSE'), Math.ceil((quantity * 1.2) / holders));
  }
  plan.push({ key: `NSE:${symbol}`, symbol, side, quantity, price, orderType: i % 2 ? 'limit' : 'market', venues, adv: 1_000_000 + Math.floor(random() * 9_000_000), volatility: 0.2 + random() * 0.2 });
}

function accounts(charges) {
  return ACCOUNTS.map((a, k) => ({
    definition: { alias: a.alias, broker: a.broker, role: a.role, permissions: { buy: true, sell: true } },
    currency: 'INR',
    cash: 40_00_00_000_00 * (k + 1),
    sellable: holdings[k],
    capabilities: { orderTypes: ['market', 'limit', 'stop', 'stop_limit'], orderClasses: [], nativeIceberg: k === 0, afterMarketOrders: true, exchanges: ['NSE', 'BSE'] },
    charges: charges(a.broker),
    ordersLeftToday: k === 3 ? 1_000 : Infinity,
    health: { breaker: k === 4 ? 'half-open' : 'closed', sessionUsable: true, errorRate: 0.01 * k, latencyMs: 80 + 40 * k },
    quality: { legs: 50, slippageBps: 2 + k, fillRate: 0.97 + 0.005 * k, rejectRate: 0.01 * k },
  }));
}

const scheduled = (broker) => scheduleCharges(schedules, broker);
const contractNote = (broker) => (trade) => chargesForTrade(schedules, broker, trade).total;
const flat = () => () => 2_000;

/**
 * The same plan as a household: each account declares a share (30%, 25%, 20%, 15%, 10%), owns
 * what it may sell (and no more), and each leg carries the household's target of its line, so
 * every leg is placed by the shares (share-allocation.ts) before the weights choose venues.
 */
const SHARES = [0.3, 0.25, 0.2, 0.15, 0.1];
const householdLegs = plan.map((leg) => {
  const held = holdings.reduce((s, h) => s + (h.get(sellableKey(leg.symbol, 'NSE')) ?? 0), 0);
  return { ...leg, householdTarget: leg.side === 'buy' ? held + leg.quantity : held - leg.quantity };
});
function household(list) {
  return list.map((a, k) => ({
    ...a,
    definition: { ...a.definition, share: SHARES[k] },
    holdings: new Map([...holdings[k]].map(([key, q]) => [key.split('@')[0], q])),
  }));
}

function measure(label, charges, shares = false) {
  const routed = shares ? household(accounts(charges)) : accounts(charges);
  const legs = shares ? householdLegs : plan;
  for (let i = 0; i < 3; i++) routeLegs(legs, routed, DEFAULT_ROUTING_POLICY);
  const wall = [];
  const cpu = [];
  let decisions;
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    decisions = routeLegs(legs, routed, DEFAULT_ROUTING_POLICY);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const split = decisions.filter((d) => d.parts.length > 1).length;
  const refused = decisions.filter((d) => d.parts.length === 0).length;
  const venues = decisions.flatMap((d) => d.parts).reduce((m, p) => ((m[p.exchange] = (m[p.exchange] ?? 0) + 1), m), {});
  console.log(`routeLegs, ${label}: ${LEGS} legs over ${ACCOUNTS.length} accounts, median ${median(wall).toFixed(1)} ms wall (best ${Math.min(...wall).toFixed(1)} ms), median ${median(cpu).toFixed(1)} ms CPU, over ${RUNS} runs (target < 100 ms)`);
  const byShare = decisions.filter((d) => d.why.startsWith('by share:')).length;
  console.log(`  decisions: ${LEGS - split - refused} whole, ${split} split, ${refused} refused${shares ? `, ${byShare} by share` : ''}; parts by venue ${Object.entries(venues).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}

const [load1] = loadavg();
const busy = load1 > cpus().length * 0.5;
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores${busy ? ' — BUSY: figures below are inflated by other work' : ''}; node ${process.version}`);
measure('scheduleCharges from the shipped schedules', scheduled);
measure('chargesForTrade (contract-note calculator)', contractNote);
measure('flat charges (the router alone)', flat);
measure('scheduleCharges, a household with shares', scheduled, true);
machine.end();
