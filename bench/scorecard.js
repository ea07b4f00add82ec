// `ptexec brokers scorecard` over a large history: N legs (each with two child orders sent and
// two fills with charges booked) across 3 brokers, 6 accounts and 50 trading days, written
// straight into the projections the scorecard reads. The reads are linear in the window's orders
// and fills, so twice the legs should take about twice the time. Run `npm run build` first.
//   node bench/scorecard.js [legs=50000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWatch } from './support/machine-load.js';
const machine = loadWatch();

const root = fileURLToPath(new URL('..', import.meta.url));
const Database = createRequire(import.meta.url)('better-sqlite3');
const legs = Number(process.argv[2] ?? 50_000);
const home = mkdtempSync(join(tmpdir(), 'ptexec-bench-scorecard-'));
const env = { ...process.env, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, NO_COLOR: '1' };

function ptexec(db, ...args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args, '--db', db], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, stdout: r.stdout };
}

function seed(db, n) {
  ptexec(db, 'brokers', 'scorecard'); // creates the schema
  const sql = new Database(db);
  const brokers = [['paper', 'PAPER'], ['paper', 'P2'], ['zerodha', 'ZX1'], ['zerodha', 'ZX2'], ['upstox', 'U1'], ['upstox', 'U2']];
  const run = sql.prepare(`INSERT INTO runs (run_id, broker, account, trading_date, target_hash, source, dry_run, status, options, created_at, updated_at) VALUES (?, ?, ?, ?, 'h', 'bench', 0, 'completed', '{}', 0, 0)`);
  const order = sql.prepare(`INSERT INTO orders (client_order_id, run_id, parent_id, leg, broker, account, symbol, exchange, side, type, quantity, time_in_force, product, status, filled_quantity, filled_value, arrival_price, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, 'INFY', ?, ?, 'market', ?, 'day', 'delivery', ?, ?, ?, ?, 0, 0)`);
  const send = sql.prepare('INSERT INTO order_sends (client_order_id, sent_at, acknowledged_at, unknown_outcome) VALUES (?, ?, ?, 0)');
  const fill = sql.prepare(`INSERT INTO fills (broker, trade_id, client_order_id, broker_order_id, run_id, account, symbol, exchange, side, quantity, price, ts, seq) VALUES (?, ?, ?, ?, ?, ?, 'INFY', ?, ?, ?, ?, 0, ?)`);
  const charge = sql.prepare(`INSERT INTO charge_allocations (broker, trade_id, account, exchange, symbol, trading_date, amount, components) VALUES (?, ?, ?, ?, 'INFY', ?, ?, '{}')`);
  const legsPerRun = 100;
  sql.transaction(() => {
    let seq = 0;
    for (let r = 0; r * legsPerRun < n; r++) {
      const [broker, account] = brokers[r % brokers.length];
      const runId = `run${r}`;
      const date = `2026-${String(1 + Math.floor((r % 50) / 28)).padStart(2, '0')}-${String(1 + ((r % 50) % 28)).padStart(2, '0')}`;
      run.run(runId, broker, account, date);
      for (let l = 0; l < legsPerRun && r * legsPerRun + l < n; l++) {
        const exchange = l % 10 === 0 ? 'NASDAQ' : 'NSE';
        const side = l % 2 ? 'sell' : 'buy';
        const parent = `${runId}L${l}`;
        order.run(parent, runId, null, l, broker, account, exchange, side, 100, 'filled', 100, 100 * 150_050, 150_000);
        for (let c = 1; c <= 2; c++) {
          const id = `${parent}C${c}`;
          order.run(id, runId, parent, l, broker, account, exchange, side, 50, c === 2 && l % 17 === 0 ? 'rejected' : 'filled', 50, 50 * 150_050, null);
          send.run(id, seq * 10, seq * 10 + 5 + (l % 40));
          fill.run(broker, `T${id}`, id, `B${id}`, runId, account, exchange, side, 50, 150_050, ++seq);
          charge.run(broker, `T${id}`, account, exchange, date, 900);
        }
      }
    }
  })();
  sql.close();
}

// The reads and the computation, in this process (the built modules), without a command's start.
const { openDatabase } = await import(join(root, 'dist', 'app', 'database.js'));
const { measureBrokers } = await import(join(root, 'dist', 'app', 'scorecard-service.js'));

try {
  console.log(`brokers scorecard over a large history (each leg: 2 child orders sent, 2 fills with charges)`);
  for (const n of [legs, legs * 2]) {
    const db = join(home, `scorecard-${n}.db`);
    seed(db, n);
    const store = openDatabase(db);
    const times = [];
    let counted = 0;
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint();
      counted = measureBrokers(store, {}).brokers.reduce((s, b) => s + b.legs, 0);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    store.close();
    times.sort((a, b) => a - b);
    const command = ptexec(db, 'brokers', 'scorecard', '--json').ms;
    console.log(`  ${n} legs (${counted} counted): reads and figures median ${times[2].toFixed(0)} ms (min ${times[0].toFixed(0)}); the whole command ${command.toFixed(0)} ms wall`);
  }
} finally {
  if (!process.env.KEEP) rmSync(home, { recursive: true, force: true });
  else console.log(home);
}
machine.end();
