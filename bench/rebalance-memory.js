// Peak memory of a plain market rebalance without the dashboard: 2,000 legs (or --legs N) over
// the synthetic universe (bench/support), `--speed max --json`, in its own process as a user runs
// it; prints the peak resident set (MiB) and the CPU seconds the process reports at exit, median
// of --rounds (default 3) fresh databases. Issue 20: a 2,000-leg rebalance ≤ 200 MiB.
//   node bench/rebalance-memory.js [--legs 2000] [--rounds 3]
// Run `npm run build` first. Memory does not depend much on the machine's load; CPU does, and is
// marked busy when the load passes half the cores.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_LIMITS, syntheticTarget } from './support/synthetic-universe.js';

const op = fileURLToPath(new URL('./support/scaling-op.js', import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return Number(i > 0 ? process.argv[i + 1] : fallback);
};
const legs = arg('--legs', 2000);
const rounds = arg('--rounds', 3);
const LIMIT_MIB = 200;

function run(argv, dir, env) {
  const r = spawnSync(process.execPath, [op, String(legs), ...argv], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const line = /SCALING (\{.*\})/.exec(r.stderr ?? '');
  if (!line || r.status !== 0) throw new Error(`${argv.join(' ')} at ${legs} legs failed (exit ${r.status}):\n${(r.stderr ?? '').slice(-2000)}`);
  const { cpuMs, maxRssKb } = JSON.parse(line[1]);
  return { cpu: cpuMs / 1000, rss: maxRssKb / 1024 };
}

function once() {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-memory-'));
  try {
    mkdirSync(join(dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ risk: NO_LIMITS }));
    writeFileSync(join(dir, 'target.csv'), syntheticTarget(legs));
    const env = { ...process.env, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), PTEXEC_DB: join(dir, 'ptexec.db'), NO_COLOR: '1' };
    run(['paper/reset', '--cash', '1000000000000', '--yes'], dir, env);
    return run(['rebalance', 'target.csv', '--speed', 'max', '--yes', '--json'], dir, env);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cores = cpus().length;
const loadBefore = loadavg()[0];
const results = Array.from({ length: rounds }, once).sort((a, b) => a.rss - b.rss);
const loadAfter = loadavg()[0];
const busy = Math.max(loadBefore, loadAfter) > cores * 0.5;
const median = results[Math.floor(rounds / 2)];
console.log(`market rebalance of ${legs} legs, --speed max --json, median of ${rounds}; load ${loadBefore.toFixed(2)} → ${loadAfter.toFixed(2)} on ${cores} cores${busy ? ' — BUSY: CPU seconds not a headline figure' : ''}`);
console.log(`  peak RSS ${median.rss.toFixed(0)} MiB (${results.map((r) => r.rss.toFixed(0)).join(' / ')})${legs === 2000 ? `  ${median.rss <= LIMIT_MIB ? '✔' : '✘'} ≤ ${LIMIT_MIB} MiB` : ''}`);
console.log(`  CPU ${median.cpu.toFixed(2)} s (${results.map((r) => r.cpu.toFixed(2)).join(' / ')})${busy ? ' (busy)' : ''}`);
