// `--speed max` as a user runs it: a new process per run, wall and CPU time, with the machine's
// load. (1) 300,000 RELIANCE bought over 2 h in 12 slices with TWAP and IS (issue 17: under 5 s);
// (2) the README tour's TWAP, `rebalance examples/weights.csv --algo twap --duration 30m
// --slices 10` (under 2 s). Each row also gives the leg's fill and average price.
// Usage: npm run build && node bench/speed-max.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const bin = new URL('../bin/run.js', import.meta.url).pathname;
const examples = new URL('../examples/', import.meta.url).pathname;

function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-speed-'));
  const env = { ...process.env, PTEXEC_DB: join(dir, 'bench.db'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), NO_COLOR: '1' };
  const run = (args) => {
    const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ptexec ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  return { dir, run, done: () => rmSync(dir, { recursive: true, force: true }) };
}

function measure(label, prepare, args) {
  const box = sandbox();
  try {
    const file = prepare(box);
    const t0 = performance.now();
    const child = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, ...args(file)], { env: envOf(box), encoding: 'utf8' });
    const wall = (performance.now() - t0) / 1000;
    if (child.status !== 0) throw new Error(`${label}: exit ${child.status}: ${child.stderr.slice(-500)}`);
    const [user, sys] = child.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    const legs = JSON.parse(box.run(['orders', '--parents', '--json'])).orders;
    const fill = legs.map((o) => `${o.symbol} ${o.filled_quantity}/${o.quantity} @ ${o.average_price ?? '-'} ${o.status}`);
    console.log(`${label}: wall ${wall.toFixed(2)} s, CPU ${(user + sys).toFixed(2)} s, load ${loadavg()[0].toFixed(1)}; ${fill.length > 2 ? `${legs.filter((o) => o.status === 'filled').length}/${legs.length} legs filled` : fill.join('; ')}`);
  } finally {
    box.done();
  }
}

const envs = new WeakMap();
function envOf(box) {
  if (!envs.has(box)) envs.set(box, { ...process.env, PTEXEC_DB: join(box.dir, 'bench.db'), XDG_CONFIG_HOME: join(box.dir, 'config'), XDG_DATA_HOME: join(box.dir, 'data'), NO_COLOR: '1' });
  return envs.get(box);
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the machine is shared: figures are wall and CPU time under that load)`);
for (const algo of ['twap', 'is']) {
  measure(
    `RELIANCE 300,000 ${algo} 2h/12`,
    (box) => {
      box.run(['paper', 'reset', '--yes', '--cash', '1000000000']);
      const risk = join(box.dir, 'risk.json');
      writeFileSync(risk, JSON.stringify({ concentration: { max_position_pct: 100 }, order: { max_value: null, max_quantity: null }, child: { max_value: null, max_quantity: null } }));
      writeFileSync(join(box.dir, 't.json'), JSON.stringify({ positions: [{ symbol: 'RELIANCE', quantity: 300000 }] }));
      return { risk, target: join(box.dir, 't.json') };
    },
    ({ risk, target }) => ['rebalance', target, '--algo', algo, '--duration', '2h', '--slices', '12', '--speed', 'max', '--yes', '--json', '--risk', risk],
  );
}
measure(
  'README tour TWAP (weights.csv, 30m/10)',
  (box) => {
    box.run(['paper', 'reset', '--yes']);
    return join(examples, 'weights.csv');
  },
  (target) => ['rebalance', target, '--algo', 'twap', '--duration', '30m', '--slices', '10', '--speed', 'max', '--yes', '--json'],
);
machine.end();
