// Time to compute execution schedules and to drive algorithms through decide().
// Run after `npm run build`: node bench/algo-schedules.js
import { performance } from 'node:perf_hooks';
import { almgrenChriss, almgrenChrissSchedule } from '../dist/engine/algos/almgren-chriss.js';
import { algorithms } from '../dist/engine/algos/index.js';
import { twapSchedule } from '../dist/engine/algos/twap-schedule.js';
import { defaultProfileBins } from '../dist/market/volume-profile.js';
import { vwapSchedule } from '../dist/engine/algos/vwap-schedule.js';
import { supplyShippedCalendars } from '../dist/app/loaders/calendars.js';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

supplyShippedCalendars();

function time(label, repeat, fn) {
  for (let i = 0; i < Math.min(5, repeat); i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) fn();
  const ms = (performance.now() - t0) / repeat;
  console.log(`${label.padEnd(58)} ${ms.toFixed(3).padStart(9)} ms`);
  return ms;
}

const model = { X: 1e6, T: 5, N: 10_000, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625, lambda: 2e-6 };
time('almgrenChriss, N = 10,000 (κ, trajectory, E, V)', 200, () => almgrenChriss(model));
time('almgrenChrissSchedule, N = 10,000 (integer shares)', 200, () => almgrenChrissSchedule(model));
time('twapSchedule, Q = 1,000,000, 10,000 slices', 200, () => twapSchedule(1_000_000, 10_000));
const bins = defaultProfileBins(10_000).map((u, i, a) => u - (a[i - 1] ?? 0));
time('vwapSchedule, Q = 1,000,000, 10,000 bins', 200, () => vwapSchedule(1_000_000, bins));

// decide(): 10,000 ticks, each a timer call that places a child and a fill call that completes it.
const start = Date.UTC(2026, 0, 5, 3, 45);
const instrument = { symbol: 'INFY', exchange: 'NSE', name: 'Infosys', currency: 'INR', tickSize: 5, lotSize: 1, adv: 5e6, volatility: 0.25 };
const quote = { symbol: 'INFY', exchange: 'NSE', bid: 150_000, ask: 150_050, last: 150_025, volume: 0, ts: start };
function leg(quantity) {
  return { index: 0, symbol: 'INFY', exchange: 'NSE', side: 'buy', quantity, current: 0, target: quantity, decisionPrice: 150_025, estimatedPrice: 150_025, estimatedValue: 0, execution: { algo: 'x', orderType: 'limit', params: {} }, notes: [] };
}

/** Runs one parent through up to 10,000 ticks; returns [decide() calls, ms]. */
function once(algo, params, quantity, stepMs) {
  const l = leg(quantity);
  const a = algorithms[algo]({ algo, orderType: 'limit', params }, { leg: l, instrument, startAt: start });
  let filled = 0;
  let calls = 0;
  // One state and one market object, updated in place, so the loop measures decide() and not
  // the allocation of its arguments.
  const state = { parentId: 'bench', leg: l, instrument, quantity, filled: 0, working: 0, openChildren: [], startedAt: start, now: start, reason: 'start' };
  const market = { quote, marketVolumeSinceStart: 0, arrivalPrice: 150_025 };
  const t0 = performance.now();
  for (let j = 0; j < 10_000 && filled < quantity; j++) {
    state.now = start + j * stepMs;
    state.filled = filled;
    state.reason = j === 0 ? 'start' : 'timer';
    market.marketVolumeSinceStart = j * 900 + filled;
    const d = a.decide(state, market);
    calls++;
    for (const c of d.place ?? []) filled += c.quantity;
    state.filled = filled;
    state.now += 1;
    state.reason = 'fill';
    a.decide(state, market);
    calls++;
  }
  return [calls, performance.now() - t0];
}

/** Best of five runs (each a fresh algorithm instance), so JIT warm-up is not what is measured. */
function drive(algo, params, quantity, stepMs) {
  let best = [0, Number.POSITIVE_INFINITY];
  for (let i = 0; i < 5; i++) {
    const r = once(algo, params, quantity, stepMs);
    if (r[1] < best[1]) best = r;
  }
  const [calls, ms] = best;
  console.log(`${`${algo}: ${calls.toLocaleString('en-US')} decide() calls`.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms  (${((ms * 1000) / calls).toFixed(2)} µs/call)`);
}

drive('twap', { duration: '10000s', slices: 10_000 }, 1_000_000, 1_000);
drive('vwap', { duration: '10000s', slices: 10_000 }, 1_000_000, 1_000);
drive('is', { duration: '10000s', periods: 10_000, lambda: 1e-5 }, 1_000_000, 1_000);
drive('pov', { rate: 0.1, interval: '1s' }, 1_000_000, 1_000);
drive('iceberg', { display_qty: 100, randomize_pct: 20, seed: 1 }, 1_000_000, 1_000);
machine.end();
