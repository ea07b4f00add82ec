import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { violations } from '../schemas/contract.js';
import { CliSandbox, collect, dbRow } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

describe('ptexec calendar, schedule and rebalance --at/--wait-lock/--log-file, as a script sees them', () => {
  it('answers with exit codes, prints a crontab line, refuses bad flags with exit 2, and logs a run as NDJSON', async () => {
    const holiday = await box.run(['calendar', 'is-open', '--exchange', 'NSE', '--at', '2026-01-26 10:00']);
    expect(holiday.code).toBe(8);
    expect(holiday.stderr).toMatch(/NSE at 2026-01-26 10:00:00: closed \(Republic Day\); next open 2026-01-27 09:15/);
    const unknown = await box.json(['calendar', 'is-open', '--at', '2027-02-01 10:00']);
    expect(unknown.code).toBe(9);
    expect(violations('calendar-is-open.json', unknown.body)).toEqual([]);
    const days = await box.json<{ days: { date: string; kind: string }[] }>(['calendar', '--from', '2026-12-31', '--to', '2027-01-01']);
    expect(days.body.days.map((d) => d.kind)).toEqual(['trading', 'unknown']);
    expect(violations('calendar.json', days.body)).toEqual([]);

    const target = join(box.dir, 'portfolio.json');
    writeFileSync(target, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 5 }] }));
    box.extraEnv = { PTEXEC_CRONTAB: join(box.dir, 'no-such-crontab') };
    const printed = await box.run(['schedule', 'add', 'morning', target, '--cron', '20 9 * * 1-5', '--algo', 'twap', '--print']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^20 9 \* \* 1-5 cd \S+ && .*PTEXEC_DB=\S+ .*\/bin\/run\.js schedule run morning # ptexec:morning\n$/);
    const listed = await box.json<{ schedules: { name: string; installed: boolean | null; flags: Record<string, unknown> }[] }>(['schedule', 'list']);
    expect(violations('schedules.json', listed.body)).toEqual([]);
    expect(listed.body.schedules).toEqual([expect.objectContaining({ name: 'morning', installed: null, flags: { algo: 'twap' } })]);
    expect(listed.stderr).toMatch(/crontab command .* is not installed/);
    const removed = await box.run(['schedule', 'remove', 'morning']);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toMatch(/remove its line from wherever you installed it/);
    expect((await box.run(['schedule', 'remove', 'morning'])).code).toBe(2);

    expect((await box.run(['rebalance', target, '--at', 'lunch', '-y'])).code).toBe(2);
    expect((await box.run(['rebalance', target, '--wait-lock', 'forever', '-y'])).code).toBe(2);

    const log = join(box.dir, 'logs', 'run.log');
    const run = await box.run(['rebalance', target, '--speed', 'max', '--seed', '3', '-y', '--no-ui', '--log-file', log]);
    expect(run.code).toBe(0);
    const records = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; exit_code?: number; type?: string });
    expect(records[0]).toMatchObject({ kind: 'start', command: 'rebalance' });
    expect(records.some((r) => r.kind === 'message')).toBe(true);
    expect([...new Set(records.map((r) => r.type))]).toContain('run.created');
    expect(records.at(-1)).toMatchObject({ kind: 'end', exit_code: 0 });
  });

  it('writes the run\'s events to --log-file as they are recorded: a run killed mid-way has them', async () => {
    const target = join(box.dir, 'portfolio.json');
    writeFileSync(target, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 5 }, { symbol: 'INFY', quantity: 5 }] }));
    const log = join(box.dir, 'killed.log');
    box.extraEnv = { PTEXEC_FAILPOINT: 'order-intent-recorded:2' };
    let killedBy: string | undefined;
    // The file as SIGKILL leaves it: read at the moment of the kill.
    let atKill = '';
    await box.run(['rebalance', target, '--speed', 'max', '--seed', '3', '-y', '--no-ui', '--log-file', log], {
      onSelfKill: (signal) => {
        killedBy = signal;
        atKill = readFileSync(log, 'utf8');
      },
    });
    expect(killedBy).toBe('SIGKILL');
    const records = atKill.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; type?: string; seq?: number });
    expect(records.some((r) => r.kind === 'end')).toBe(false);
    const types = records.filter((r) => r.kind === 'event').map((r) => r.type);
    expect(types).toContain('run.created');
    expect(types).toContain('order.created');
    // Each event once, in the order it was recorded.
    const seqs = records.filter((r) => r.kind === 'event').map((r) => r.seq!);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
  });

  it('SIGTERM while a real process waits for its start: exit 130, nothing planned or sent', async () => {
    const target = join(box.dir, 'portfolio.json');
    writeFileSync(target, JSON.stringify({ positions: [{ symbol: 'TCS', quantity: 5 }] }));
    // A start that is always ahead of now: in half an hour (exchange time), or the next open late at night.
    const ist = new Date(Date.now() + (330 + 30) * 60_000);
    const at = ist.getUTCDate() === new Date(Date.now() + 330 * 60_000).getUTCDate() ? ist.toISOString().slice(11, 16) : 'open';
    const child = box.spawn(['rebalance', target, '--at', at, '--yes', '--no-ui']);
    const done = collect(child, undefined, 30_000);
    await new Promise<void>((ready) => child.stderr!.on('data', (d: Buffer) => d.toString().includes('waiting until') && ready()));
    child.kill('SIGTERM');
    const stopped = await done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/stopped while waiting to start: nothing was planned or sent/);
    expect(stopped.stderr).not.toMatch(/this is a bug/);
    expect(dbRow<{ n: number }>(box.db, 'SELECT count(*) n FROM events')?.n).toBe(0);
  });
});
