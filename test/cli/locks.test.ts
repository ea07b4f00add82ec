import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

function write(sql: string, ...args: unknown[]): void {
  const db = new Database(box.db);
  try {
    db.prepare(sql).run(...args);
  } finally {
    db.close();
  }
}

function read<T>(sql: string, ...args: unknown[]): T | undefined {
  const db = new Database(box.db, { readonly: true });
  try {
    return db.prepare(sql).get(...args) as T | undefined;
  } finally {
    db.close();
  }
}

describe('account locks whose holder is gone', () => {
  it('resume takes over a lock from another host without a heartbeat and runs; a live holder is refused until `ptexec unlock`', async () => {
    const file = join(box.dir, 'target.csv');
    writeFileSync(file, 'symbol,target_quantity\nTCS,40\nINFY,60\n');
    // The run crashes mid-way; its lock is then made to look like a container that is gone.
    box.extraEnv = { PTEXEC_FAILPOINT: 'fill-recorded:1' };
    await box.run(['rebalance', file, '--speed', 'max', '--yes', '--algo', 'twap', '--duration', '10m', '--slices', '4']);
    box.extraEnv = {};
    const run = read<{ run_id: string; status: string }>('SELECT run_id, status FROM runs')!;
    expect(run.status).toBe('running');
    write("UPDATE locks SET pid = 1, hostname = 'old-container', heartbeat_at = ?", Date.now() - 3_600_000);

    const resumed = await box.json<{ status: string }>(['resume', '--speed', 'max']);
    expect(resumed.stderr).not.toMatch(/asked it to resume/);
    expect(resumed.stderr).toMatch(new RegExp(`took over the lock on paper:PAPER from run ${run.run_id} \\(pid 1 on old-container\\): no heartbeat for 3\\d\\d\\d s`));
    expect(resumed.code).toBe(0);
    expect(resumed.body.status).toBe('completed');
    expect(read<{ n: number }>('SELECT count(*) n FROM locks')!.n).toBe(0);

    // Another host's run with a fresh heartbeat holds the account.
    write('INSERT INTO locks (lock_key, run_id, pid, hostname, acquired_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)', 'paper:PAPER', 'zz00other', 77, 'other-host', Date.now(), Date.now() + 600_000);
    const other = join(box.dir, 'other.csv');
    writeFileSync(other, 'symbol,target_quantity\nITC,10\n');
    const refused = await box.run(['rebalance', other, '--speed', 'max', '--yes']);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/locked by run zz00other \(pid 77 on other-host[;)]/);
    expect(refused.stderr).toMatch(/ptexec unlock paper:PAPER/);

    const unasked = await box.run(['unlock', 'PAPER']);
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(/paper:PAPER is locked by run zz00other \(pid 77 on other-host\)/);
    expect(unasked.stderr).toMatch(/refusing to remove the lock on paper:PAPER without confirmation: there is no terminal to ask/);
    expect(read<{ n: number }>('SELECT count(*) n FROM locks')!.n).toBe(1);

    const unlocked = await box.json<{ unlocked: boolean; lock: { key: string; run_id: string; alive: boolean } }>(['unlock', 'PAPER', '--yes']);
    expect(unlocked.code).toBe(0);
    expect(unlocked.body).toMatchObject({ unlocked: true, lock: { key: 'paper:PAPER', run_id: 'zz00other', alive: true } });
    expect(read<{ n: number }>('SELECT count(*) n FROM locks')!.n).toBe(0);
  });
});
