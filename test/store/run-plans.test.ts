import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations, openDatabase } from '../../src/app/database.js';
import type { NewEvent, PayloadOf } from '../../src/domain/events/index.js';
import { connectionOf } from '../../src/store/connection.js';
import { migrate } from '../../src/store/migrate.js';
import { pageRuns } from '../../src/store/page-queries.js';
import { PostTradeQueries } from '../../src/store/posttrade-queries.js';
import { findRun, getRun, latestRun, listRuns, runProgress } from '../../src/store/queries.js';
import type { Store } from '../../src/store/store.js';

const dirs: string[] = [];
function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-run-plans-'));
  dirs.push(dir);
  return join(dir, 'test.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// Costs whose shortest decimal text needs all 17 digits: a copy through SQLite's own float
// formatting would change them.
const COST = 0.1 + 0.2;
const STD = 1 / 3;
const plan = {
  legs: [
    { index: 0, symbol: 'TCS', exchange: 'NSE', side: 'buy', quantity: 10, estimate: { costBps: COST, stdBps: STD, costMinor: 12, stdMinor: 3, defaulted: ['adv'] } },
    { index: 1, symbol: 'INFY', exchange: 'NSE', side: 'sell', quantity: 5 },
    { index: 2, symbol: 'SBIN', exchange: 'NSE', side: 'buy', quantity: 7, estimate: { costBps: 12, stdBps: 2.5e-7, costMinor: 1, stdMinor: 0, defaulted: [] } },
  ],
  skipped: [{ index: 3, symbol: 'WIPRO', exchange: 'NSE', unmet: true }],
  blocked: [{ index: 4, symbol: 'ITC', exchange: 'NSE' }],
  notes: [],
  accountValue: 1_000_000,
  cashBefore: 500_000,
  currency: 'INR',
};
const costs = new Map([
  [0, { costBps: COST, stdBps: STD }],
  [2, { costBps: 12, stdBps: 2.5e-7 }],
]);

function columns(store: Store, table: string): string[] {
  return (connectionOf(store).prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

describe('a run\'s plan in a table of its own', () => {
  it('moves the plans of a database built by the old schema out of the runs rows, with each leg\'s estimated cost beside them', () => {
    const path = tempDb();
    const old = new Database(path);
    migrate(old, migrations.filter((m) => !m.id.includes('run-plan')));
    const insert = old.prepare(`INSERT INTO runs (run_id, broker, account, trading_date, target_hash, source, dry_run, status, reason, options, plan, summary, created_at, updated_at)
      VALUES (?, 'paper', 'A', '2026-01-05', 'h', 'p.json', 0, ?, NULL, '{}', ?, NULL, ?, ?)`);
    insert.run('r1', 'completed', JSON.stringify(plan), 1_000, 2_000);
    insert.run('r2', 'blocked', null, 3_000, 3_000);
    old.close();

    const store = openDatabase(path);
    expect(columns(store, 'runs')).not.toContain('plan');
    expect(columns(store, 'run_plans')).toEqual(['run_id', 'estimates', 'plan']);
    expect(connectionOf(store).prepare('SELECT run_id, plan FROM run_plans').all()).toEqual([{ run_id: 'r1', plan: JSON.stringify(plan) }]);
    const queries = new PostTradeQueries(store);
    expect(queries.plannedCosts('r1')).toEqual(costs);
    expect(queries.plannedCosts('r2')).toEqual(new Map());
    const run = getRun(store, 'r1')!;
    expect(run).toMatchObject({ run_id: 'r1', status: 'completed', created_at: 1_000, updated_at: 2_000 });
    expect(runProgress(store, run)).toEqual({ total: 5, done: 0, left: ['NSE:TCS', 'NSE:INFY', 'NSE:SBIN', 'NSE:ITC', 'NSE:WIPRO'] });
    expect(latestRun(store)!.run_id).toBe('r2');
    store.close();
  });

  it('records a planned run\'s plan and estimated costs apart from its row, and a rebuild from the log gives the same', () => {
    const store = openDatabase(tempDb());
    const events: NewEvent[] = [
      { runId: 'r1', type: 'run.created', marketTs: 0, payload: { runId: 'r1', broker: 'paper', account: 'A', tradingDate: '2026-01-05', targetHash: 'h', source: 'p.json', dryRun: false, options: {} } },
      { runId: 'r1', type: 'run.planned', marketTs: 0, payload: plan as unknown as PayloadOf<'run.planned'> },
    ];
    const [, planned] = store.append(events);
    const row = () => connectionOf(store).prepare('SELECT * FROM run_plans').all();
    const recorded = row();
    expect(recorded).toEqual([{ run_id: 'r1', estimates: expect.any(String), plan: JSON.stringify(plan) }]);
    expect(new PostTradeQueries(store).plannedCosts('r1')).toEqual(costs);
    expect(getRun(store, 'r1')!.updated_at).toBe(planned!.ts);
    store.rebuildProjections();
    expect(row()).toEqual(recorded);
    store.close();
  });

  it('reads no run row with its plan', () => {
    const store = openDatabase(tempDb());
    store.append([
      { runId: 'r1', type: 'run.created', marketTs: 0, payload: { runId: 'r1', broker: 'paper', account: 'A', tradingDate: '2026-01-05', targetHash: 'h', source: 'p.json', dryRun: false, options: {} } },
      { runId: 'r1', type: 'run.planned', marketTs: 0, payload: plan as unknown as PayloadOf<'run.planned'> },
    ]);
    for (const run of [getRun(store, 'r1'), findRun(store, 'r1'), latestRun(store), ...listRuns(store), ...pageRuns(store, { limit: 5 }).rows]) expect(Object.keys(run!)).not.toContain('plan');
    store.close();
  });
});
