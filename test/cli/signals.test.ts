import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliSandbox, collect, dbRow, waitUntil } from './cli-harness.js';

let box: CliSandbox;
beforeEach(() => {
  box = new CliSandbox();
});
afterEach(() => box.cleanup());

const runOf = (db: string) => dbRow<{ run_id: string; status: string }>(db, 'SELECT run_id, status FROM runs ORDER BY created_at DESC LIMIT 1');
const locks = (db: string) => dbRow<{ n: number }>(db, 'SELECT count(*) n FROM locks')?.n;

describe('SIGTERM and SIGHUP stop a run exactly as Ctrl-C does', () => {
  it('--no-ui with piped stdio: exit 130, state saved, lock released, the hint to resume; resume completes the run', async () => {
    const file = join(box.dir, 'target.csv');
    writeFileSync(file, 'symbol,target_quantity\nTCS,40\nINFY,60\n');
    const first = box.spawn(['rebalance', file, '--yes', '--no-ui', '--speed', '60', '--algo', 'twap', '--duration', '30m', '--slices', '10']);
    const firstDone = collect(first, undefined, 60_000);
    await waitUntil('the first child order on disk', () => (dbRow<{ n: number }>(box.db, "SELECT count(*) n FROM orders WHERE parent_id IS NOT NULL AND status <> 'created'")?.n ?? 0) > 0);
    first.kill('SIGTERM');
    const stopped = await firstDone;
    const run = runOf(box.db)!;
    expect(stopped.stderr).not.toMatch(/this is a bug/);
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`continue with \`ptexec resume ${run.run_id}\``);
    expect(run.status).toBe('interrupted');
    expect(locks(box.db)).toBe(0);

    // The terminal closing (SIGHUP) stops a resumed run the same way.
    const second = box.spawn(['resume', run.run_id, '--no-ui', '--speed', '60']);
    const secondDone = collect(second, undefined, 60_000);
    await waitUntil('the resumed run to hold the lock', () => runOf(box.db)?.status === 'running' && locks(box.db) === 1);
    second.kill('SIGHUP');
    const hungUp = await secondDone;
    expect(hungUp.stderr).not.toMatch(/this is a bug/);
    expect(hungUp.code).toBe(130);
    expect(hungUp.stderr).toContain(`continue with \`ptexec resume ${run.run_id}\``);
    expect(runOf(box.db)!.status).toBe('interrupted');
    expect(locks(box.db)).toBe(0);

    const resumed = await box.json<{ status: string }>(['resume', run.run_id, '--speed', 'max']);
    expect(resumed.code).toBe(0);
    expect(resumed.body.status).toBe('completed');
    expect(dbRow<{ q: number }>(box.db, 'SELECT sum(quantity) q FROM fills')?.q).toBe(100);
  });
});
