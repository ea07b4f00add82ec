// Cold start of non-dashboard commands: `ptexec --version`, the read-only commands (`runs`,
// `runs show`, `positions`, `pnl`, `settlement`, `tca` of a small run, `brokers accounts`, all
// `--json`) and `check` of the 10-line example against the paper broker, each started as a new
// process, in interleaved rounds so that a change in the machine's load reaches every command
// alike. Prints each command's median wall time and best of 15, its median as a multiple of
// `node -e 0`'s (issue 20: read-only commands ≤ 3×, check ≤ 4×), and the CPU time its processes
// used (user + system, per start) with its multiple of `node -e 0`'s: on a busy machine the CPU
// ratio is the steadier figure.
// Usage: npm run build && node bench/cold-start.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const bin = new URL('../bin/run.js', import.meta.url).pathname;
const example = new URL('../examples/portfolio.json', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ptexec-cold-'));
const env = { ...process.env, PTEXEC_DB: join(dir, 'cold.db'), XDG_CONFIG_HOME: dir };
const RUNS = 15;

/** CPU time (ms) of this process's finished children, from /proc (Linux); undefined elsewhere. */
function childCpuMs() {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10; // cutime + cstime, in 100 Hz ticks
  } catch {
    return undefined;
  }
}

function start(argv) {
  const cpu0 = childCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { env });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const cpu1 = childCpuMs();
  return { wall, cpu: cpu0 === undefined ? undefined : cpu1 - cpu0 };
}

// A small run for `tca` and `runs show` to read: the example target at --speed max.
const run = JSON.parse(spawnSync(process.execPath, [bin, 'rebalance', example, '--speed', 'max', '--yes', '--json'], { env, encoding: 'utf8' }).stdout).run_id;

const commands = [
  ['node -e 0', ['-e', '0']],
  ['--version', [bin, '--version']],
  ['runs --json', [bin, 'runs', '--json']],
  ['runs show <run> --json', [bin, 'runs', 'show', run, '--json']],
  ['positions --json', [bin, 'positions', '--json']],
  ['pnl --json', [bin, 'pnl', '--json']],
  ['settlement --json', [bin, 'settlement', '--json']],
  ['tca --json (10 legs)', [bin, 'tca', '--json']],
  ['brokers accounts --json', [bin, 'brokers', 'accounts', '--json']],
  ['check examples/portfolio.json --json', [bin, 'check', example, '--json']],
];

const loadBefore = loadavg()[0];
for (const [, argv] of commands) start(argv); // warm the file cache
const samples = commands.map(() => []);
for (let i = 0; i < RUNS; i++) commands.forEach(([, argv], c) => samples[c].push(start(argv)));
const loadAfter = loadavg()[0];
rmSync(dir, { recursive: true, force: true });

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const figures = samples.map((s) => ({ wall: median(s.map((x) => x.wall)), best: Math.min(...s.map((x) => x.wall)), cpu: s[0].cpu === undefined ? undefined : s.reduce((a, x) => a + x.cpu, 0) / s.length }));
const [base] = figures;
const busy = Math.max(loadBefore, loadAfter) > cpus().length * 0.5;
console.log(`cold start, median of ${RUNS} interleaved rounds (node -e 0 alone: ${base.wall.toFixed(0)} ms wall${base.cpu === undefined ? '' : `, ${base.cpu.toFixed(0)} ms CPU`}); load ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${cpus().length} cores${busy ? ' — BUSY: not a headline figure' : ''}`);
commands.forEach(([label], c) => {
  if (c === 0) return;
  const f = figures[c];
  const cpu = f.cpu === undefined || base.cpu === undefined ? '' : `   CPU ${f.cpu.toFixed(0).padStart(4)} ms  ${(f.cpu / base.cpu).toFixed(1)}×`;
  console.log(`  ptexec ${label.padEnd(38)} median ${f.wall.toFixed(0).padStart(4)} ms (best ${f.best.toFixed(0).padStart(4)} ms)  ${(f.wall / base.wall).toFixed(1)}× node -e 0${cpu}`);
});
machine.end();
