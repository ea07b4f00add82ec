import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { addSchedule, listSchedules, removeSchedule, runSchedule } from '../../src/app/schedule-service.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { slackEmulator, webhookReceiver } from './notify-receivers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A config folder, a target, a fake `crontab` that keeps the crontab in a file, and a factory at a wall-clock time. */
function sandbox(wallIso: string, extraEnv: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-schedule-'));
  dirs.push(dir);
  const target = join(dir, 'my targets', 'portfolio.json');
  execFileSync('mkdir', ['-p', join(dir, 'my targets')]);
  writeFileSync(target, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 5 }, { symbol: 'INFY', quantity: 10 }] }));
  const crontabFile = join(dir, 'crontab.txt');
  const fake = join(dir, 'fake-crontab');
  writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "-l" ]; then [ -f '${crontabFile}' ] || { echo "no crontab for tester" >&2; exit 1; }; cat '${crontabFile}'; else cat > '${crontabFile}'; fi\n`);
  chmodSync(fake, 0o755);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PTEXEC_CONFIG_DIR: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), PTEXEC_CRONTAB: fake, TZ: 'Asia/Kolkata', PTEXEC_ZERODHA_API_SECRET: 'do-not-copy', ...extraEnv };
  const store = openDatabase(join(dir, 'r.db'));
  const fakeIo = fakeIO({ env });
  let wall = Date.parse(wallIso);
  const f = new Factory(fakeIo.io, { store, wallClock: () => wall, wallSleep: async (ms) => void (wall += ms) });
  return { ...fakeIo, f, dir, target, crontabFile, env, store, close: async () => (await f.close(), store.close()) };
}

const logRecords = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('ptexec schedule add / list / remove', () => {
  it('installs a marked crontab line with absolute paths and no secrets, lists it with its next runs, and removes only its own line', async () => {
    const box = sandbox('2026-03-06T04:00:00Z'); // Friday 09:30 IST
    writeFileSync(box.crontabFile, 'MAILTO=me@example.com\n0 1 * * * /usr/bin/backup # ptexec:not-a-real-marker-in-the-middle x\n5 4 * * * /usr/bin/other\n');
    try {
      const added = await addSchedule(box.f, { name: 'morning', target: box.target, cron: '20 9 * * 1-5', print: false, flags: { algo: 'twap', duration: '30m', speed: 'max' } });
      expect(added.exitCode).toBe(0);
      const crontab = readFileSync(box.crontabFile, 'utf8');
      const line = crontab.split('\n').find((l) => l.endsWith('# ptexec:morning'))!;
      expect(line).toMatch(/^20 9 \* \* 1-5 cd '.*\/my targets' && /);
      expect(line).toContain(`PTEXEC_CONFIG_DIR=${box.env.PTEXEC_CONFIG_DIR}`);
      expect(line).toMatch(new RegExp(`${process.execPath} \\S+/bin/run\\.js schedule run morning # ptexec:morning$`));
      expect(line).not.toMatch(/SECRET|do-not-copy/);
      expect(crontab).toContain('MAILTO=me@example.com\n');
      expect(crontab).toContain('5 4 * * * /usr/bin/other\n');
      const saved = JSON.parse(readFileSync(join(box.env.PTEXEC_CONFIG_DIR!, 'schedules.json'), 'utf8'));
      expect(saved.schedules).toEqual([expect.objectContaining({ name: 'morning', cron: '20 9 * * 1-5', target: box.target, flags: { algo: 'twap', duration: '30m', speed: 'max' } })]);

      // Adding the name again replaces its line; the list shows the next runs in exchange time.
      await addSchedule(box.f, { name: 'morning', target: box.target, cron: '25 9 * * 1-5', print: false, flags: {} });
      expect(readFileSync(box.crontabFile, 'utf8').match(/# ptexec:morning/g)).toHaveLength(1);
      const listed = await listSchedules(box.f);
      expect(listed.json).toMatchObject({ schedules: [{ name: 'morning', cron: '25 9 * * 1-5', installed: true, exchange: 'NSE', next_runs: ['2026-03-09 09:25', '2026-03-10 09:25', '2026-03-11 09:25'] }] });

      await removeSchedule(box.f, { name: 'morning' });
      expect(readFileSync(box.crontabFile, 'utf8')).toBe('MAILTO=me@example.com\n0 1 * * * /usr/bin/backup # ptexec:not-a-real-marker-in-the-middle x\n5 4 * * * /usr/bin/other\n');
      expect((await listSchedules(box.f)).json).toMatchObject({ schedules: [] });
      await expect(removeSchedule(box.f, { name: 'morning' })).rejects.toThrow(/no schedule named "morning"/);
    } finally {
      await box.close();
    }
  });

  it('--print prints the line and leaves the crontab alone; a bad cron, name or flag is refused (exit 2) before anything is written', async () => {
    const box = sandbox('2026-03-06T04:00:00Z');
    try {
      const printed = await addSchedule(box.f, { name: 'eod', target: box.target, cron: '0 15 * * mon-fri', print: true, flags: {} });
      expect(box.stdout.text()).toMatch(/^0 15 \* \* mon-fri cd .* schedule run eod # ptexec:eod\n$/);
      expect(printed.json).toMatchObject({ installed: false });
      expect(existsSync(box.crontabFile)).toBe(false);
      await expect(addSchedule(box.f, { name: 'x', target: box.target, cron: '20 9 * *', print: false, flags: {} })).rejects.toMatchObject({ category: 'invalid_input', message: expect.stringMatching(/has 4 fields/) });
      await expect(addSchedule(box.f, { name: 'Bad Name', target: box.target, cron: '20 9 * * *', print: false, flags: {} })).rejects.toThrow(/schedule name "Bad Name"/);
      await expect(addSchedule(box.f, { name: 'x', target: box.target, cron: '20 9 * * *', print: false, flags: { at: 'lunch' } })).rejects.toThrow(/--at lunch/);
      await expect(addSchedule(box.f, { name: 'x', target: join(box.dir, 'nope.json'), cron: '20 9 * * *', print: false, flags: {} })).rejects.toThrow(/does not exist/);
      expect(existsSync(box.crontabFile)).toBe(false);
    } finally {
      await box.close();
    }
  });

  it.runIf(spawnSync('sh', ['-c', 'command -v crontab']).status === 0)('the real crontab command: the line is installed and removed, every other line kept', async () => {
    const box = sandbox('2026-03-06T04:00:00Z', { PTEXEC_CRONTAB: '' });
    const name = `test-${process.pid}`;
    const before = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
    const original = before.status === 0 ? before.stdout : '';
    try {
      await addSchedule(box.f, { name, target: box.target, cron: '20 9 * * 1-5', print: false, flags: {} });
      const during = execFileSync('crontab', ['-l'], { encoding: 'utf8' });
      expect(during.startsWith(original)).toBe(true);
      expect(during).toMatch(new RegExp(`schedule run ${name} # ptexec:${name}\\n$`));
      await removeSchedule(box.f, { name });
      const after = spawnSync('crontab', ['-l'], { encoding: 'utf8' });
      expect(after.status === 0 ? after.stdout : '').toBe(original);
    } finally {
      await box.close();
    }
  });
});

describe('ptexec schedule run', () => {
  it('skips a holiday and a weekend (exit 0, logged); a real broker is refused a day the calendar cannot vouch for (exit 3)', async () => {
    const box = sandbox('2026-01-26T03:30:00Z'); // Republic Day
    const log = join(box.dir, 'run.log');
    try {
      await addSchedule(box.f, { name: 'morning', target: box.target, cron: '0 9 * * *', print: true, flags: { speed: 'max' } });
      const holiday = await runSchedule(box.f, { name: 'morning', logFile: log });
      expect(holiday).toMatchObject({ exitCode: 0, json: { status: 'skipped', reason: 'Republic Day' } });
      expect(logRecords(log)).toEqual([
        expect.objectContaining({ kind: 'start', command: 'schedule run morning' }),
        expect.objectContaining({ kind: 'message', level: 'info', message: expect.stringMatching(/2026-01-26 is an NSE holiday \(Republic Day\); skipped, nothing sent/) }),
        expect.objectContaining({ kind: 'end', exit_code: 0, status: 'skipped' }),
      ]);
      await addSchedule(box.f, { name: 'real', target: box.target, cron: '0 9 * * *', print: true, flags: { broker: 'zerodha' } });
      const unknownDay = sandbox('2027-01-04T03:30:00Z', { PTEXEC_CONFIG_DIR: box.env.PTEXEC_CONFIG_DIR });
      try {
        await expect(runSchedule(unknownDay.f, { name: 'real', logFile: log })).rejects.toMatchObject({ category: 'blocked', message: expect.stringMatching(/no holiday list for 2027-01-04; ptexec does not assume it trades/) });
      } finally {
        await unknownDay.close();
      }
    } finally {
      await box.close();
    }
  });

  it('a broker whose login is needed fails at once (exit 5), before any wait', async () => {
    const box = sandbox('2026-03-02T02:30:00Z', { PTEXEC_ZERODHA_API_SECRET: '' });
    try {
      await addSchedule(box.f, { name: 'real', target: box.target, cron: '0 8 * * 1-5', print: true, flags: { broker: 'zerodha' } });
      await expect(runSchedule(box.f, { name: 'real', logFile: join(box.dir, 'run.log') })).rejects.toMatchObject({ category: 'broker' });
      expect(box.stderr.text()).not.toMatch(/waiting until/);
    } finally {
      await box.close();
    }
  });

  it('notifies a skipped day only to a channel that asks for it, and a needed login to every channel', async () => {
    const [webhook, slack] = await Promise.all([webhookReceiver('sched-secret'), slackEmulator('/hook')]);
    const box = sandbox('2026-01-26T03:30:00Z', { PTEXEC_NOTIFY_WEBHOOK_SECRET: 'sched-secret', PTEXEC_ZERODHA_API_SECRET: '' });
    try {
      execFileSync('mkdir', ['-p', box.env.PTEXEC_CONFIG_DIR!]);
      writeFileSync(join(box.env.PTEXEC_CONFIG_DIR!, 'config.json'), JSON.stringify({ notify: { webhook: { url: webhook.url, events: ['schedule.skipped', 'login.needed'] }, slack: { url: `${slack.url}/hook` } } }));
      await addSchedule(box.f, { name: 'morning', target: box.target, cron: '0 9 * * *', print: true, flags: { speed: 'max' } });
      await addSchedule(box.f, { name: 'real', target: box.target, cron: '0 8 * * 1-5', print: true, flags: { broker: 'zerodha' } });
      await runSchedule(box.f, { name: 'morning', logFile: join(box.dir, 'run.log') });
      const workday = sandbox('2026-03-02T02:30:00Z', { PTEXEC_CONFIG_DIR: box.env.PTEXEC_CONFIG_DIR, PTEXEC_NOTIFY_WEBHOOK_SECRET: 'sched-secret', PTEXEC_ZERODHA_API_SECRET: '' });
      try {
        await expect(runSchedule(workday.f, { name: 'real', logFile: join(box.dir, 'run.log') })).rejects.toMatchObject({ category: 'broker' });
      } finally {
        await workday.close();
      }
      await box.f.close();
      expect(webhook.received.map((r) => r.json)).toEqual([
        expect.objectContaining({ event: 'schedule.skipped', schedule: 'morning', date: '2026-01-26', reason: 'an NSE holiday (Republic Day)' }),
        expect.objectContaining({ event: 'login.needed', broker: 'zerodha', schedule: 'real' }),
      ]);
      expect(slack.received.map((r) => r.json)).toEqual([{ text: expect.stringMatching(/zerodha login needed/) }]);
    } finally {
      await box.close();
      await Promise.all([webhook.close(), slack.close()]);
    }
  });

  it('started early, waits for the open on the simulated clock, takes the lock and trades with --yes; the log has the events', async () => {
    const box = sandbox('2026-03-02T02:30:00Z'); // Monday 08:00 IST
    try {
      await addSchedule(box.f, { name: 'morning', target: box.target, cron: '0 8 * * 1-5', print: true, flags: { speed: 'max', seed: 7 } });
      const result = await runSchedule(box.f, { name: 'morning' });
      expect(result.exitCode).toBe(0);
      expect(box.stderr.text()).toMatch(/waiting until open \(2026-03-02 09:15 NSE time\)/);
      const records = logRecords(join(box.env.XDG_DATA_HOME!, 'ptexec', 'logs', 'ptexec.log'));
      expect(records.filter((r) => r['kind'] === 'event').length).toBeGreaterThan(3);
      expect(records.at(-1)).toMatchObject({ kind: 'end', exit_code: 0, status: 'completed' });
      expect(JSON.stringify(records)).not.toContain('do-not-copy');
    } finally {
      await box.close();
    }
  });
});
