// Cold start of non-dashboard commands: `ptexec --version`, `runs --json`, `positions --json`,
// `pnl --json` and `check` of the 10-line example against the paper broker, each started as a new
// process. Prints the median and best of 15 runs and each median as a multiple of `node -e 0`'s
// (issue 20: read-only commands ≤ 3×, check ≤ 4×), with the machine's load.
// Usage: npm run build && node bench/cold-start.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const bin = new URL('../bin/run.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'ptexec-cold-'));
const env = { ...process.env, PTEXEC_DB: join(dir, 'cold.db'), XDG_CONFIG_HOME: dir };
const RUNS = 15;

function measure(args) {
  spawnSync(process.execPath, [bin, ...args], { env }); // warm the file cache and create the database
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, ...args], { env });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`ptexec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(RUNS / 2)], best: times[0] };
}

const baseline = (() => {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
})();

const example = new URL('../examples/portfolio.json', import.meta.url).pathname;
const load = loadavg()[0];
const busy = load > cpus().length * 0.5;
console.log(`cold start, median of ${RUNS} (node -e 0 alone: ${baseline.toFixed(0)} ms); load ${load.toFixed(2)} on ${cpus().length} cores${busy ? ' — BUSY: not a headline figure' : ''}`);
for (const args of [['--version'], ['runs', '--json'], ['positions', '--json'], ['pnl', '--json'], ['check', example, '--json']]) {
  const { median, best } = measure(args);
  const label = args.map((a) => (a === example ? 'examples/portfolio.json' : a)).join(' ');
  console.log(`  ptexec ${label.padEnd(38)} median ${median.toFixed(0)} ms (best ${best.toFixed(0)} ms)  ${(median / baseline).toFixed(1)}× node -e 0`);
}
rmSync(dir, { recursive: true, force: true });
machine.end();
