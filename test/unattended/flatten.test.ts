import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { flattenAccount, type FlattenFlags } from '../../src/app/flatten-service.js';
import { paperAccount } from '../../src/app/paper-account-service.js';
import { executeRebalance, type RebalanceFlags } from '../../src/app/rebalance-command-service.js';
import { PAPER_BROKER_ID, resetPaperAccount } from '../../src/brokers/paper/index.js';
import { connectionOf } from '../../src/store/connection.js';
import { liveOrdersOfRun } from '../../src/store/left-working-queries.js';
import { getRun } from '../../src/store/queries.js';
import { KillSwitch } from '../../src/store/risk-queries.js';
import type { Store } from '../../src/store/store.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const FLATTEN: FlattenFlags = { algo: 'market', yes: true, 'override-halt': false, 'no-ui': true, speed: 'max', seed: 7 };
const HOLDINGS = [
  { symbol: 'INFY', quantity: 400 },
  { symbol: 'TCS', quantity: 60 },
  { symbol: 'ITC', quantity: 1000 },
];

/** A paper account holding INFY, TCS and ITC, on a database two factories (two "processes") share. */
function sandbox() {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-flatten-'));
  dirs.push(dir);
  const dbPath = join(dir, 'r.db');
  const env = { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') };
  const stores: Store[] = [];
  const factories: Factory[] = [];
  const open = (options: { yieldingSleep?: boolean } = {}) => {
    const store = openDatabase(dbPath);
    stores.push(store);
    const fake = fakeIO({ env });
    // A wall-clock wait lets the other factory's run go on in this event loop, as another process would.
    const f = new Factory(fake.io, { store, wallClock: () => Date.parse('2026-03-02T05:00:00Z'), ...(options.yieldingSleep ? { wallSleep: () => sleep(1) } : {}) });
    factories.push(f);
    return { f, store, ...fake };
  };
  const first = open();
  resetPaperAccount(first.store.brokerTables(PAPER_BROKER_ID), { holdings: HOLDINGS });
  const target = (text: string) => {
    const file = join(dir, `t${Math.random().toString(36).slice(2, 8)}.json`);
    writeFileSync(file, text);
    return file;
  };
  const held = () => Object.fromEntries(paperAccount(first.f).holdings.map((h) => [h.symbol, h.quantity]));
  const soldBy = (symbol: string) =>
    (connectionOf(first.store).prepare(`SELECT COALESCE(SUM(f.quantity), 0) AS q FROM fills f JOIN orders o ON o.client_order_id = f.client_order_id WHERE o.symbol = ? AND o.side = 'sell'`).get(symbol) as { q: number }).q;
  return { first, open, target, held, soldBy, close: async () => { for (const f of factories) await f.close(); for (const s of stores) s.close(); } };
}

describe('ptexec flatten', () => {
  it('takes over from a TWAP run in progress in another process: the run ends stopped, its open orders cancelled, the holdings sold once', async () => {
    const box = sandbox();
    try {
      const runner = box.open();
      const twap: RebalanceFlags = { algo: 'twap', duration: '5h', slices: 20, yes: true, 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, 'no-ui': true, speed: 'max', seed: 7 };
      const running = executeRebalance(runner.f, { file: box.target(JSON.stringify({ positions: [{ symbol: 'INFY', quantity: 0 }] })), flags: twap });
      // Flatten once the run has sold some INFY: five hours of slices are far from done by the time flatten asks it to stop.
      const db = connectionOf(box.first.store);
      while ((db.prepare("SELECT COUNT(*) AS n FROM fills").get() as { n: number }).n === 0) await sleep(1);
      const flattener = box.open({ yieldingSleep: true });
      const result = await flattenAccount(flattener.f, FLATTEN);
      const ran = await running;
      expect(result.exitCode, flattener.stderr.text()).toBe(0);
      const json = result.json as { stopped_runs: { run_id: string; was: string; status: string }[]; status: string; results: unknown[] };
      const twapRun = (ran.json as { run_id: string }).run_id;
      expect(json.stopped_runs).toEqual([{ run_id: twapRun, was: 'running', status: getRun(box.first.store, twapRun)!.status, still_open: [] }]);
      expect(getRun(box.first.store, twapRun)!.status).toBe('incomplete');
      expect(ran.exitCode).not.toBe(0);
      expect(json.status).toBe('completed');
      // No order of the stopped run is still working; everything held is sold, each share once.
      expect(liveOrdersOfRun(box.first.store, twapRun)).toEqual([]);
      expect(db.prepare("SELECT COUNT(*) AS n FROM orders WHERE run_id = ? AND status = 'cancelled'").get(twapRun)).not.toEqual({ n: 0 });
      expect(box.held()).toEqual({});
      expect(box.soldBy('INFY')).toBe(400);
      expect(box.soldBy('TCS')).toBe(60);
      expect(box.soldBy('ITC')).toBe(1000);
      expect(flattener.stderr.text()).toMatch(new RegExp(`asked run ${twapRun} .*to stop and cancel its open orders`));
    } finally {
      await box.close();
    }
  });

  it('--symbols sells only the listed holdings', async () => {
    const box = sandbox();
    try {
      const result = await flattenAccount(box.first.f, { ...FLATTEN, symbols: 'tcs, itc' });
      expect(result.exitCode, box.first.stderr.text()).toBe(0);
      expect(box.held()).toEqual({ INFY: 400 });
      expect(result.json).toMatchObject({ stopped_runs: [], override_halt: null });
    } finally {
      await box.close();
    }
  });

  it('during a halt it is refused (exit 3, nothing sold) unless --override-halt --reason, which is recorded with the run', async () => {
    const box = sandbox();
    try {
      new KillSwitch(box.first.store).halt('desk halt', false);
      await expect(flattenAccount(box.first.f, FLATTEN)).rejects.toMatchObject({ category: 'blocked', message: expect.stringMatching(/trading is halted.*desk halt.*nothing was stopped or sold/), hint: expect.stringMatching(/--override-halt --reason/) });
      await expect(flattenAccount(box.first.f, { ...FLATTEN, 'override-halt': true })).rejects.toMatchObject({ category: 'invalid_input', message: expect.stringMatching(/--override-halt needs --reason/) });
      expect(box.held()).toEqual({ INFY: 400, TCS: 60, ITC: 1000 });
      const result = await flattenAccount(box.first.f, { ...FLATTEN, 'override-halt': true, reason: 'exchange outage' });
      expect(result.exitCode, box.first.stderr.text()).toBe(0);
      expect(box.held()).toEqual({});
      const runId = (result.json as { run_id: string }).run_id;
      expect(result.json).toMatchObject({ override_halt: 'exchange outage' });
      const alerts = box.first.store.events({ runId, types: ['run.alert'] }).map((e) => e.payload as { message: string });
      expect(alerts.map((a) => a.message)).toContainEqual(expect.stringMatching(/kill switch overridden by ptexec flatten by .*: exchange outage/));
      expect(new KillSwitch(box.first.store).isHalted().halted).toBe(true);
    } finally {
      await box.close();
    }
  });
});
