import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliSandbox, collect, dbRow, waitUntil } from './cli-harness.js';

/**
 * An automatic breaker as a user meets it (README "Breakers"): the run pauses and waits,
 * `watch --json` shows the trip, `ptexec resume` from another terminal lets it finish.
 */
let box: CliSandbox;
afterEach(() => box?.cleanup());

describe('ptexec with an automatic breaker', () => {
  it('a leg near its circuit limit pauses the run until ptexec resume; watch --json shows the trip', async () => {
    box = new CliSandbox();
    mkdirSync(join(box.dir, 'config', 'ptexec'), { recursive: true });
    // A ±0.5% circuit band: every price is within 0.5% of one of its limits.
    writeFileSync(join(box.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ risk: { breakers: { circuit: { within_pct: 0.5, band_pct: 0.5 } } } }));
    const target = join(box.dir, 'target.json');
    writeFileSync(target, JSON.stringify({ positions: [{ symbol: 'INFY', quantity: 10 }] }));
    const running = box.spawn(['rebalance', target, '--yes', '--speed', 'max', '--no-ui']);
    const finished = collect(running, undefined, 30_000);
    await waitUntil('the breaker to trip', () => (dbRow<{ n: number }>(box.db, "SELECT count(*) AS n FROM events WHERE type = 'leg.paused'")?.n ?? 0) > 0);

    const watched = await box.run(['watch', '--json']);
    const trips = watched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; payload: Record<string, unknown> })
      .filter((e) => e.type === 'run.breaker_tripped');
    expect(trips.map((e) => e.payload)).toEqual([expect.objectContaining({ breaker: 'circuit', leg: 0, limit: 0.5, unit: '%', message: expect.stringContaining('INFY last price') })]);

    const resumed = await box.run(['resume']);
    expect([resumed.code, resumed.stderr]).toEqual([0, expect.stringContaining('asked it to resume')]);
    const done = await finished;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('ptexec resume --leg 0');
    expect(dbRow<{ n: number }>(box.db, "SELECT count(*) AS n FROM events WHERE type = 'leg.resumed'")?.n).toBe(1);
  });
});
