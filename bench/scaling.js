// How the cost of each user-facing operation grows with the number of legs: a full market
// rebalance at --speed max, then tca (--json, text, --group-by), settlement, check, pnl,
// positions and watch (--json, and the dashboard on a stand-in terminal) of that run, at 1k, 5k
// and 10k legs (add 50k with --sizes 1000,5000,10000,50000), over a synthetic universe of that many instruments (bench/support). Each operation is its own
// process, as a user runs it; its CPU seconds (user + system, as the process reports at exit) are
// the figure, not wall time. The fitted exponent of CPU against legs is printed per operation:
// 1.0 is linear. Then a TWAP of 30 slices at 50, 150 and 500 legs.
//   node bench/scaling.js [--sizes 1000,5000,10000] [--twap 50,150,500] [--keep DIR] [--only NAME,...]
// --keep DIR keeps each size's database in DIR/<legs> and, when one is there already, reads it
// again instead of rebalancing (the 50k-leg rebalance alone costs about a minute of CPU), so the
// read commands can be measured before and after a change on the same run. --only runs just the
// operations whose names start with one of the given words (e.g. --only tca,settlement).
// Run `npm run build` first. On a busy machine (load above half the cores) the exponents are
// printed marked "busy" and a BUSY line follows the figures (bench/support/machine-load.js).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_LIMITS, syntheticTarget } from './support/synthetic-universe.js';
import { loadWatch, machineLoad } from './support/machine-load.js';
const machine = loadWatch();

const op = fileURLToPath(new URL('./support/scaling-op.js', import.meta.url));
const watchOp = fileURLToPath(new URL('./support/watch-op.js', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return (i > 0 ? process.argv[i + 1] : fallback).split(',').map(Number);
};
const sizes = arg('--sizes', '1000,5000,10000');
const twapSizes = process.argv.includes('--twap') || !process.argv.includes('--keep') ? arg('--twap', '50,150,500') : [];
const keepIndex = process.argv.indexOf('--keep');
const keep = keepIndex > 0 ? process.argv[keepIndex + 1] : undefined;
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1].split(',') : undefined;


// `watch` on a terminal (the dashboard, drawn on a stand-in terminal) replays the finished run.
const WATCH = Symbol('watch');
const OPERATIONS = [
  ['tca --json', ['tca', '--json']],
  ['tca (text)', ['tca']],
  ['tca --group-by algo', ['tca', '--group-by', 'algo']],
  ['settlement', ['settlement']],
  ['check', ['check', 'target.csv']],
  ['pnl', ['pnl']],
  ['positions', ['positions']],
  ['watch --json', ['watch', '--json']],
  ['watch (dashboard)', WATCH],
];

/**
 * A fresh database and config for `legs` synthetic instruments, with cash for all of them; with
 * `into`, that folder, and the database already there when an earlier run left it (`reused`).
 */
function sandbox(legs, into) {
  const dir = into ?? mkdtempSync(join(tmpdir(), 'ptexec-scaling-'));
  const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), PTEXEC_DB: join(dir, 'ptexec.db'), NO_COLOR: '1' };
  if (into && existsSync(join(dir, 'done'))) return { dir, env, reused: true };
  if (into) rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
  writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ risk: NO_LIMITS }));
  writeFileSync(join(dir, 'target.csv'), syntheticTarget(legs));
  run(legs, ['paper/reset', '--cash', '1000000000000', '--yes'], { dir, env });
  return { dir, env, reused: false };
}

/** Runs one command in its own process (its output thrown away); returns its CPU seconds and peak memory (MiB). */
function run(legs, argv, { dir, env }) {
  const args = argv === WATCH ? [watchOp] : [op, String(legs), ...argv];
  const r = spawnSync(process.execPath, args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28 });
  const line = /SCALING (\{.*\})/.exec(r.stderr ?? '');
  if (!line) throw new Error(`${argv === WATCH ? 'watch' : argv.join(' ')} at ${legs} legs failed (exit ${r.status}):\n${(r.stderr ?? '').slice(-2000)}`);
  const { cpuMs, maxRssKb } = JSON.parse(line[1]);
  return { cpu: cpuMs / 1000, rss: maxRssKb / 1024, exit: r.status };
}

/** Least-squares slope of log(cpu) against log(legs). */
function exponent(points) {
  const xs = points.map((p) => Math.log(p.legs));
  const ys = points.map((p) => Math.log(Math.max(p.cpu, 1e-3)));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return num / den;
}

console.log(`machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}`);

// What starting the CLI costs (module loading): subtracted before fitting, so the exponent is the work's.
const startup = (() => {
  const box = sandbox(1);
  const cpu = Math.min(...[0, 1, 2].map(() => run(1, ['version'], box).cpu));
  rmSync(box.dir, { recursive: true, force: true });
  return cpu;
})();
console.log(`start-up (ptexec version): ${startup.toFixed(2)} s CPU, subtracted before fitting\n`);

const results = new Map();
const record = (name, legs, m) => {
  if (!results.has(name)) results.set(name, []);
  results.get(name).push({ legs, ...m });
};
for (const legs of sizes) {
  const box = sandbox(legs, keep ? join(keep, String(legs)) : undefined);
  if (!box.reused) {
    const rebalance = run(legs, ['rebalance', 'target.csv', '--speed', 'max', '--yes', '--json'], box);
    if (rebalance.exit !== 0) throw new Error(`the rebalance of ${legs} legs ended with exit ${rebalance.exit}`);
    record('rebalance --speed max', legs, rebalance);
    if (keep) writeFileSync(join(box.dir, 'done'), '');
  }
  for (const [name, argv] of OPERATIONS) if (!only || only.some((w) => name.startsWith(w))) record(name, legs, run(legs, argv, box));
  if (!keep) rmSync(box.dir, { recursive: true, force: true });
  console.log(`${legs} legs done (load ${machineLoad().one.toFixed(2)})`);
}
for (const legs of twapSizes) {
  const box = sandbox(legs);
  record('TWAP 30 slices', legs, run(legs, ['rebalance', 'target.csv', '--algo', 'twap', '--slices', '30', '--speed', 'max', '--yes', '--json'], box));
  rmSync(box.dir, { recursive: true, force: true });
}

const busy = machine.busy;
const pad = (s, n) => String(s).padEnd(n);
console.log(`\n${pad('operation', 24)}${pad('legs', 8)}${pad('CPU s', 10)}${pad('peak MiB', 10)}`);
for (const [name, points] of results) {
  for (const p of points) console.log(`${pad(name, 24)}${pad(p.legs, 8)}${pad(p.cpu.toFixed(2), 10)}${pad(Math.round(p.rss), 10)}`);
}
console.log(`\n${pad('operation', 24)}CPU exponent (start-up subtracted), first → last size; last pair`);
for (const [name, points] of results) {
  const work = points.map((p) => ({ legs: p.legs, cpu: p.cpu - startup }));
  if (work.length < 2) continue;
  const last = work.slice(-2);
  console.log(`${pad(name, 24)}${busy ? 'busy ' : ''}${exponent(work).toFixed(2)}; ${last[0].legs}→${last[1].legs}: ${exponent(last).toFixed(2)}`);
}
machine.end();
