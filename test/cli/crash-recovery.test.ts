import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CliSandbox, collect } from './cli-harness.js';

/**
 * Kills `ptexec rebalance` at 21 distinct points of a run — including between "intent recorded"
 * and "broker acknowledged", and between "fill received" and "fill recorded" — then resumes it,
 * and checks the books: no order twice at the broker, every broker trade recorded exactly once,
 * and the account exactly at the target. Every point runs in-process on a copy of the files the
 * kill leaves; one point of each kind kills a real process.
 */
const TARGET = { RELIANCE: 900, TCS: 400, INFY: 700, ITC: 3000 };
const CSV = `symbol,target_quantity\n${Object.entries(TARGET)
  .map(([s, q]) => `${s},${q}`)
  .join('\n')}\n`;
const THIN_FAST_BOOK = { depth: { touch_adv_fraction: 0.00001, book_levels: 2, resilience_seconds: 5 } };
const ALGO = ['--algo', 'twap', '--duration', '3m', '--slices', '3', '--param', 'child_type=market'];

const CRASH_POINTS = [
  'parents-started:1',
  'order-intent-recorded:1',
  'order-intent-recorded:2',
  'order-intent-recorded:5',
  'order-intent-recorded:9',
  'order-intent-recorded:12',
  'order-acknowledged:1',
  'order-acknowledged:3',
  'order-acknowledged:6',
  'order-acknowledged:10',
  'order-acknowledged:12',
  'fill-received:1',
  'fill-received:4',
  'fill-received:9',
  'fill-received:14',
  'fill-received:25',
  'fill-recorded:1',
  'fill-recorded:2',
  'fill-recorded:7',
  'fill-recorded:20',
  'fill-recorded:35',
];

/** Resumes the run in the sandbox and checks the books. */
async function resumeAndCheckBooks(box: CliSandbox): Promise<void> {
  box.extraEnv = {};
  const resumed = await box.json<{ status: string; results: { symbol: string; status: string }[] }>(['resume', '--speed', 'max']);
  expect(resumed.stderr).not.toMatch(/this is a bug/);
  expect(resumed.body.status).toBe('completed');
  expect(resumed.code).toBe(0);

  const db = new Database(box.db, { readonly: true });
  try {
    // No client order id was ever placed twice.
    const dupes = db.prepare('SELECT client_order_id, count(*) n FROM paper_orders GROUP BY client_order_id HAVING n > 1').all();
    expect(dupes).toEqual([]);
    // Every trade the broker made is recorded once, and nothing else is.
    const brokerTrades = db.prepare('SELECT trade_id FROM paper_trades ORDER BY trade_id').pluck().all();
    const ourFills = db.prepare('SELECT trade_id FROM fills ORDER BY trade_id').pluck().all();
    expect(ourFills).toEqual(brokerTrades);
    // Filled per symbol equals the target, in our books and at the broker.
    const filled = Object.fromEntries(db.prepare('SELECT symbol, sum(quantity) q FROM fills GROUP BY symbol').all().map((r) => [(r as { symbol: string }).symbol, (r as { q: number }).q]));
    expect(filled).toEqual(TARGET);
    const held = db.prepare("SELECT symbol, quantity FROM paper_holdings WHERE account_id = 'PAPER'").all() as { symbol: string; quantity: number }[];
    const unsettled = db.prepare("SELECT symbol, sum(quantity) q FROM paper_unsettled WHERE account_id = 'PAPER' GROUP BY symbol").all() as { symbol: string; q: number }[];
    const owned: Record<string, number> = {};
    for (const h of held) owned[h.symbol] = (owned[h.symbol] ?? 0) + h.quantity;
    for (const u of unsettled) owned[u.symbol] = (owned[u.symbol] ?? 0) + u.q;
    expect(Object.fromEntries(Object.entries(owned).filter(([, q]) => q !== 0))).toEqual(TARGET);
    // The resuming process's market clock carried on where the killed one stopped.
    const times = db.prepare('SELECT market_ts FROM events WHERE run_id IS NOT NULL ORDER BY seq').pluck().all() as number[];
    expect(times.filter((t, i) => i > 0 && t < times[i - 1]!)).toEqual([]);
  } finally {
    db.close();
  }
}

async function inSandbox(test: (box: CliSandbox, file: string) => Promise<void>): Promise<void> {
  const box = new CliSandbox();
  try {
    const file = join(box.dir, 'target.csv');
    writeFileSync(file, CSV);
    // A thin book that comes back in seconds (paper.model): each market child fills in many
    // sweeps, so the run has fills enough to be killed at each point, and still ends in minutes.
    writeFileSync(join(box.dir, 'model.json'), JSON.stringify(THIN_FAST_BOOK));
    mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ paper: { model: join(box.dir, 'model.json') } }));
    await test(box, file);
  } finally {
    box.cleanup();
  }
}

/**
 * Every point, in-process: where the failpoint kills the process, the database files are copied
 * as they are — what SIGKILL leaves on disk (SQLite's committed transactions; the paper broker
 * keeps its books in the same file) — and the run is resumed from that copy.
 */
describe('crash at any point (the files a SIGKILL leaves), resume, and the books still balance', () => {
  for (const point of CRASH_POINTS) {
    it(point, () =>
      inSandbox(async (box, file) => {
        box.extraEnv = { PTEXEC_FAILPOINT: point };
        const copies = ['', '-wal'].map((suffix) => [box.db + suffix, `${box.db}${suffix}.at-kill`] as const);
        let killedBy: string | undefined;
        const crashed = await box.run(['rebalance', file, '--speed', 'max', '--yes', '--json', ...ALGO], {
          onSelfKill: (signal) => {
            killedBy = signal;
            for (const [from, to] of copies) if (existsSync(from)) copyFileSync(from, to);
          },
        });
        expect(killedBy, crashed.stderr).toBe('SIGKILL');
        for (const [from, to] of [...copies, [`${box.db}-shm`, ''] as const]) {
          rmSync(from, { force: true });
          if (to && existsSync(to)) renameSync(to, from);
        }
        await resumeAndCheckBooks(box);
      }),
    );
  }
});

/** One point of each kind with a real SIGKILL of a real process. */
const KILLED_PROCESSES = ['parents-started:1', 'order-intent-recorded:5', 'order-acknowledged:6', 'fill-received:9', 'fill-recorded:7'];

describe.concurrent('SIGKILL at a point of each kind, resume, and the books still balance', () => {
  for (const point of KILLED_PROCESSES) {
    it(point, () =>
      inSandbox(async (box, file) => {
        box.extraEnv = { PTEXEC_FAILPOINT: point };
        const child = box.spawn(['rebalance', file, '--speed', 'max', '--yes', '--json', ...ALGO]);
        const exit = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
        await collect(child, undefined, 60_000);
        expect(await exit).toBe('SIGKILL');
        await resumeAndCheckBooks(box);
      }),
    );
  }
});
