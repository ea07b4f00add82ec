// Execution quality on the paper market (issue 17): `ptexec simulate` of a realistic 10-line
// target (bench/fixtures/execution-quality.csv: legs from 0.5% to 10% of daily volume) and the
// issue's figures for the algorithm `--algo auto` chooses. Run `npm run build` first.
//   node bench/execution-quality.js [paths=200] [algos=auto,twap,vwap,pov,is] [workers]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const root = fileURLToPath(new URL('..', import.meta.url));
const paths = Number(process.argv[2] ?? 200);
const algos = process.argv[3] ?? 'auto,twap,vwap,pov,is';
const workers = Number(process.argv[4] ?? availableParallelism());
// A config folder of its own: the shipped cost model, not one a user calibrated.
const home = mkdtempSync(join(tmpdir(), 'ptexec-bench-eq-'));
const loadBefore = loadavg()[0];
const started = process.hrtime.bigint();
const r = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), 'simulate', join(root, 'bench', 'fixtures', 'execution-quality.csv'), '--algo', algos, '--paths', String(paths), '--seed', '1', '--workers', String(workers), '--duration', '2h', '--json'], {
  env: { ...process.env, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, NO_COLOR: '1' },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
rmSync(home, { recursive: true, force: true });
if (r.status !== 0) {
  console.error(r.stderr);
  process.exit(1);
}
const result = JSON.parse(r.stdout);
const pct = (x) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const mark = (ok) => (ok ? '✔' : '✘');
console.log(`execution quality: ${paths} paths × ${result.algorithms.length} algorithms of a 10-line target, seed 1, ${workers} workers: ${seconds.toFixed(1)} s wall`);
console.log(`  machine load average: ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${cpus().length} cores`);
console.log('  algo   IS mean    sd    p95  vs VWAP  filled  in horizon  in bid/offer   cost ± se   est.  act/est  chosen');
for (const a of result.algorithms) {
  const chosen = Object.entries(a.chosen).map(([k, v]) => `${k} ${v}`).join(' ');
  console.log(`  ${a.algo.padEnd(5)} ${String(a.shortfall_bps.mean).padStart(7)} ${String(a.shortfall_bps.std).padStart(6)} ${String(a.shortfall_bps.p95).padStart(6)} ${String(a.vwap_slippage_bps).padStart(8)} ${pct(a.fully_filled).padStart(7)} ${pct(a.within_horizon).padStart(11)} ${pct(a.fills_within_quote).padStart(13)} ${`${a.cost_bps.mean} ± ${a.cost_bps.se}`.padStart(11)} ${String(a.estimate_bps).padStart(6)} ${String(a.actual_over_estimate).padStart(8)}  ${chosen}`);
}
const auto = result.algorithms.find((a) => a.algo === 'auto');
if (auto) {
  console.log('  the issue\'s figures for the chosen algorithm (auto):');
  console.log(`    average shortfall ${auto.shortfall_bps.mean} bps (target < 25) ${mark(auto.shortfall_bps.mean < 25)}`);
  console.log(`    legs fully filled ${pct(auto.fully_filled)} (target ≥ 98%) ${mark(auto.fully_filled >= 0.98)}`);
  console.log(`    legs complete within the horizon ${pct(auto.within_horizon)} (target ≥ 99%) ${mark(auto.within_horizon >= 0.99)}`);
  console.log(`    fills within the bid/offer ${pct(auto.fills_within_quote)} (target ≥ 95%) ${mark(auto.fills_within_quote >= 0.95)}`);
  const off = auto.actual_over_estimate === null ? null : Math.abs(auto.actual_over_estimate - 1);
  // The cost is the shortfall less the market's own move over each fill's wait (its mean is nil, its noise
  // tens of bps): what the estimate estimates, measured to a standard error the 10% can be judged by.
  console.log(`    mean cost ${auto.cost_bps.mean} ± ${auto.cost_bps.se} bps / mean estimate ${auto.estimate_bps} bps = ${auto.actual_over_estimate} (target within 10%) ${mark(off !== null && off <= 0.1)}`);
}
const per200 = (seconds / paths) * 200;
console.log(`  wall time for 200 paths at this rate: ${per200.toFixed(0)} s (target < 60 s on 2 cores) ${mark(per200 < 60)}`);
machine.end();
