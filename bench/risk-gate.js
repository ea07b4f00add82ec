// Send-time gate throughput: RiskGate.checkOrder for 100,000 child orders (kill switch read from
// an in-memory reader, session on the real NSE calendar, generous rate limits). Prints µs/order.
// Run after `npm run build`: node bench/risk-gate.js
import { performance } from 'node:perf_hooks';
import { defaultRiskConfig, RiskGate } from '../dist/engine/risk/index.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();

const ORDERS = 100_000;
const halt = { isHalted: () => ({ halted: false, reason: null, at: null, cancelOpen: false }) };
const gate = new RiskGate({
  config: { ...defaultRiskConfig(), run: { ...defaultRiskConfig().run, max_child_orders: null } },
  broker: { id: 'zerodha', account: 'BENCH', capabilities: { orderRate: { perSecond: 1e9, perMinute: 1e9 } } },
  currency: 'INR',
  halt,
});
const now = Date.parse('2025-06-10T10:00:00+05:30');
const instrument = { tickSize: 5, lotSize: 1 };
const quote = { bid: 99_995, ask: 100_005, last: 100_000 };
const requests = Array.from({ length: 1000 }, (_, i) => ({ clientOrderId: `c${i}`, symbol: `SYM${i % 50}`, exchange: 'NSE', side: i % 2 ? 'buy' : 'sell', type: 'limit', quantity: 1 + (i % 90), limitPrice: 100_000 + 5 * (i % 20), timeInForce: 'day', product: 'delivery' }));

for (let i = 0; i < 10_000; i++) gate.checkOrder(requests[i % 1000], { now: now + i, runId: 'r', instrument, quote });
const t0 = performance.now();
let blocked = 0;
for (let i = 0; i < ORDERS; i++) if (gate.checkOrder(requests[i % 1000], { now: now + i, runId: 'r', instrument, quote }).verdict === 'block') blocked++;
const ms = performance.now() - t0;
console.log(`risk gate: ${ORDERS} child orders in ${ms.toFixed(1)} ms, ${((ms * 1000) / ORDERS).toFixed(2)} µs/order (${blocked} blocked)`);
machine.end();
