import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { executeRebalance, type RebalanceFlags } from '../../src/app/rebalance-command-service.js';
import { parseStartAt, startTime } from '../../src/app/start-at.js';
import { waitToStart } from '../../src/app/start-wait.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { KillSwitch } from '../../src/store/risk-queries.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const BASE: RebalanceFlags = { algo: 'market', yes: true, 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, 'no-ui': true, speed: 'max', seed: 7 };

/** A paper account, a target, and a factory whose wall clock and wall-clock sleeps the test moves. */
function sandbox(wallIso: string, options: { onSleep?: (n: number) => void } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-unattended-'));
  dirs.push(dir);
  const file = join(dir, 'target.json');
  writeFileSync(file, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 5 }, { symbol: 'INFY', quantity: 10 }] }));
  const dbPath = join(dir, 'r.db');
  const store = openDatabase(dbPath);
  const fake = fakeIO({ env: { XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data') } });
  let wall = Date.parse(wallIso);
  let sleeps = 0;
  const f = new Factory(fake.io, {
    store,
    wallClock: () => wall,
    wallSleep: async (ms) => {
      wall += ms;
      sleeps += 1;
      options.onSleep?.(sleeps);
    },
  });
  return { ...fake, f, file, dbPath, store, sleeps: () => sleeps, close: async () => (await f.close(), store.close()) };
}

describe('rebalance --at', () => {
  it('parses open, open+D and HH:MM and refuses anything else (exit 2)', () => {
    expect(parseStartAt('open')).toMatchObject({ kind: 'open', offsetMs: 0 });
    expect(parseStartAt('open+10m')).toMatchObject({ kind: 'open', offsetMs: 600_000 });
    expect(parseStartAt('09:20')).toMatchObject({ kind: 'clock', minute: 560 });
    expect(() => parseStartAt('noon')).toThrow(/--at noon is not a start time/);
    expect(() => parseStartAt('open+ten')).toThrow(/--at open\+ten: duration/);
    expect(() => parseStartAt('25:00')).toThrow(/not a start time/);
  });

  it('finds the next open across weekends and holidays; starts at once in a session under way; refuses an unknown day for a real broker', () => {
    const saturday = Date.parse('2026-01-24T03:00:00Z');
    // Monday 26 January is Republic Day: the next open is Tuesday's.
    expect(new Date(startTime(parseStartAt('open+10m'), 'NSE', saturday, false).at).toISOString()).toBe('2026-01-27T03:55:00.000Z');
    const midSession = Date.parse('2026-01-27T06:00:00Z');
    expect(startTime(parseStartAt('open'), 'NSE', midSession, false).at).toBe(midSession);
    expect(startTime(parseStartAt('09:20'), 'NSE', midSession, false).at).toBe(midSession);
    const newYearsEve = Date.parse('2026-12-31T12:00:00Z');
    expect(() => startTime(parseStartAt('open'), 'NSE', newYearsEve, false)).toThrow(expect.objectContaining({ category: 'blocked', message: expect.stringMatching(/no holiday list for 2027-01-01/) }));
    expect(new Date(startTime(parseStartAt('open'), 'NSE', newYearsEve, true).at).toISOString()).toBe('2027-01-01T03:45:00.000Z');
  });

  it('with the kill switch on, a run that would send is refused before the wait (exit 3)', async () => {
    const box = sandbox('2026-03-02T02:30:00Z');
    try {
      new KillSwitch(box.store).halt('test', false);
      await expect(executeRebalance(box.f, { file: box.file, flags: { ...BASE, at: 'open' } })).rejects.toMatchObject({ category: 'blocked' });
      expect(box.stderr.text()).not.toMatch(/waiting until/);
    } finally {
      await box.close();
    }
  });

  it('an early start waits for the open on the simulated clock, then plans at the open', async () => {
    const box = sandbox('2026-03-02T02:30:00Z'); // Monday 08:00 IST
    try {
      const result = await executeRebalance(box.f, { file: box.file, flags: { ...BASE, 'dry-run': true, at: 'open' } });
      expect(result.exitCode).toBe(0);
      expect(box.stderr.text()).toMatch(/waiting until open \(2026-03-02 09:15 NSE time\), 1h15m from now; nothing is planned or sent before/);
      expect((await box.f.clock('paper', 'max')).clock.now()).toBe(Date.parse('2026-03-02T03:45:00Z'));
    } finally {
      await box.close();
    }
  });

  it.each(['SIGINT', 'SIGTERM'])('%s during the wait exits 130 with nothing planned or sent', async (signal) => {
    const box = sandbox('2026-03-02T02:30:00Z');
    box.stderr.on('data', (d: Buffer) => {
      if (d.toString().includes('waiting until')) box.signals.emit(signal);
    });
    try {
      const result = await executeRebalance(box.f, { file: box.file, flags: { ...BASE, at: '10:00' } });
      expect(result.exitCode).toBe(130);
      expect(result.json).toMatchObject({ status: 'interrupted', sent: false });
      expect(box.stderr.text()).toMatch(/stopped while waiting to start: nothing was planned or sent/);
      expect(new Database(box.dbPath, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 0 });
    } finally {
      await box.close();
    }
  });
});

describe('the wait on a terminal', () => {
  it('counts down second by second on one line, cleared when the wait ends', async () => {
    const { io, stderr } = fakeIO({ tty: { stderr: true } });
    const clock = new VirtualClock(Date.parse('2026-03-02T03:44:57Z'));
    const done = await waitToStart(io, { clock, drive: (w) => clock.run(w) }, { at: Date.parse('2026-03-02T03:45:00Z'), label: 'open' }, new AbortController().signal);
    expect(done).toBe(true);
    expect(clock.now()).toBe(Date.parse('2026-03-02T03:45:00Z'));
    const text = stderr.text();
    expect(text).toContain('waiting until open, 3s from now');
    expect(text.match(/\r\x1b\[2Kstarting in \d+s/g)).toEqual(['\r\x1b[2Kstarting in 3s', '\r\x1b[2Kstarting in 2s', '\r\x1b[2Kstarting in 1s']);
    expect(text.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('rebalance --wait-lock', () => {
  const holdLock = (dbPath: string) =>
    new Database(dbPath).prepare('INSERT INTO locks (lock_key, run_id, pid, hostname, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)').run('paper:PAPER', 'zz00other', 77, 'other-host', Date.now(), Date.now() + 600_000);

  it('waits for another run to release the account, saying so, then trades', async () => {
    let dbPath = '';
    const box = sandbox('2026-03-02T05:00:00Z', { onSleep: (n) => n === 2 && new Database(dbPath).prepare('DELETE FROM locks').run() });
    dbPath = box.dbPath;
    holdLock(dbPath);
    try {
      const result = await executeRebalance(box.f, { file: box.file, flags: { ...BASE, 'wait-lock': '10m' } });
      expect(result.exitCode).toBe(0);
      expect(box.sleeps()).toBe(2);
      expect(box.stderr.text()).toMatch(/paper:PAPER is locked by run zz00other \(pid 77 on other-host\); waiting up to 10m for it \(--wait-lock\)/);
    } finally {
      await box.close();
    }
  });

  it('gives up after the limit with exit 6; without --wait-lock it does not wait', async () => {
    const box = sandbox('2026-03-02T05:00:00Z');
    holdLock(box.dbPath);
    try {
      const error = await executeRebalance(box.f, { file: box.file, flags: { ...BASE, 'wait-lock': '1m' } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ category: 'conflict', message: expect.stringMatching(/locked by run zz00other/) });
      expect(box.sleeps()).toBe(12);
      expect(box.stderr.text()).toMatch(/waited 1m for the lock on paper:PAPER; giving up/);
      await expect(executeRebalance(box.f, { file: box.file, flags: BASE })).rejects.toMatchObject({ category: 'conflict' });
      expect(box.sleeps()).toBe(12);
      await expect(executeRebalance(box.f, { file: box.file, flags: { ...BASE, 'wait-lock': '5' } })).rejects.toThrow(/--wait-lock 5: duration/);
    } finally {
      await box.close();
    }
  });
});
