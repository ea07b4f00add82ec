// Where the shipped cost model's coefficients for legs that rest at the touch come from (issue 17):
// the 10-line target of bench/execution-quality.js run on seeded paper paths with each algorithm,
// and a least-squares fit, weighted by each leg's value, of the legs' cost net of the market's own
// move (LegSample.costBps, what the estimate estimates) on the estimate's parts:
//   cost = spread_paid · half spread + η_passive · σ·√(Q/V_h) + γ · ½ σ·Q/ADV.
// It prints the fitted coefficients and, per algorithm, the mean cost against the estimate with
// the shipped model and with the fitted one. Run `npm run build` first.
//   node bench/fit-paper-cost-model.js [paths=12] [algos=auto,twap,vwap,pov] [target.csv] [duration=2h]
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const dist = (path) => new URL(`../dist/${path}`, import.meta.url).href;
const { supplyShippedCalendars } = await import(dist('app/loaders/calendars.js'));
const { simulatePath } = await import(dist('app/simulate/simulate-path.js'));
const { SIMULATION_START } = await import(dist('app/simulate/simulate-service.js'));
const { parseCostModel } = await import(dist('app/loaders/cost-model.js'));

const paths = Number(process.argv[2] ?? 12);
const algos = (process.argv[3] ?? 'auto,twap,vwap,pov').split(',');
const targetFile = process.argv[4] ?? new URL('fixtures/execution-quality.csv', import.meta.url).pathname;
const duration = process.argv[5] ?? '2h';
supplyShippedCalendars();
const text = readFileSync(targetFile, 'utf8');
const model = parseCostModel(readFileSync(new URL('../data/estimate/cost-model.json', import.meta.url), 'utf8'), 'shipped');
console.log(`fitting the passive cost model: ${paths} paths × ${algos.join(', ')} of ${targetFile} over ${duration}; load ${loadavg()[0].toFixed(1)} on ${cpus().length} cores`);

const rows = [];
for (const algo of algos) {
  for (let i = 0; i < paths; i++) {
    const params = algo === 'auto' ? { algo } : { algo, duration, ...(algo === 'pov' ? { param: ['rate=0.1', 'cleanup=market'] } : {}) };
    for (const s of await simulatePath({ targetText: text, targetName: targetFile, algo, params, seed: 1 + i, start: SIMULATION_START, model })) {
      if (s.estimate?.impactScaleBps != null) rows.push({ algo, cost: s.costBps, e: s.estimate, weight: s.value });
    }
  }
}

// The estimate's parts per unit of each coefficient: γ's part is recorded at the model's γ.
const parts = (e) => [e.halfSpreadBps, e.impactScaleBps, e.permanentImpactBps / model.permanent_impact / 2];
const passive = rows.filter((r) => r.e.style === 'passive');
const n = 3;
const a = Array.from({ length: n }, () => Array(n).fill(0));
const b = Array(n).fill(0);
for (const r of passive) {
  const x = parts(r.e);
  for (let i = 0; i < n; i++) {
    b[i] += r.weight * x[i] * r.cost;
    for (let j = 0; j < n; j++) a[i][j] += r.weight * x[i] * x[j];
  }
}
// Gauss–Jordan on the 3×3 normal equations.
for (let i = 0; i < n; i++) {
  let p = i;
  for (let r = i + 1; r < n; r++) if (Math.abs(a[r][i]) > Math.abs(a[p][i])) p = r;
  [a[i], a[p], b[i], b[p]] = [a[p], a[i], b[p], b[i]];
  for (let r = 0; r < n; r++) {
    if (r === i) continue;
    const f = a[r][i] / a[i][i];
    for (let c = i; c < n; c++) a[r][c] -= f * a[i][c];
    b[r] -= f * b[i];
  }
}
const [spreadPaid, etaPassive, gamma] = b.map((v, i) => v / a[i][i]);
console.log(`  ${passive.length} passive legs: spread_paid ${spreadPaid.toFixed(3)}, passive.temporary_impact ${etaPassive.toFixed(4)}, permanent_impact ${gamma.toFixed(3)}`);
console.log(`  shipped: spread_paid ${model.passive?.spread_paid}, passive.temporary_impact ${model.passive?.temporary_impact}, permanent_impact ${model.permanent_impact}`);
console.log('  algo   value-weighted mean cost bps   estimate (shipped)   estimate (fitted)');
for (const algo of algos) {
  const own = rows.filter((r) => r.algo === algo);
  const w = own.reduce((s, r) => s + r.weight, 0);
  const mean = (f) => own.reduce((s, r) => s + r.weight * f(r), 0) / w;
  const fitted = (r) => {
    if (r.e.style !== 'passive') return r.e.costBps;
    const [hs, scale, perm] = parts(r.e);
    return spreadPaid * hs + etaPassive * scale + gamma * perm;
  };
  console.log(`  ${algo.padEnd(5)}  ${mean((r) => r.cost).toFixed(2).padStart(29)}  ${mean((r) => r.e.costBps).toFixed(2).padStart(19)}  ${mean(fitted).toFixed(2).padStart(18)}`);
}
machine.end();
