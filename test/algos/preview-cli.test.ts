import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { almgrenChriss } from '../../src/engine/algos/almgren-chriss.js';
import { twapSchedule } from '../../src/engine/algos/twap-schedule.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

async function ptexec(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', ['bin/run.js', ...args], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const textbook = ['--sigma', '0.95', '--eta', '2.5e-6', '--gamma', '2.5e-7', '--epsilon', '0.0625'];

describe('ptexec algo preview (compiled CLI)', () => {
  beforeAll(() => {
    if (!existsSync(`${root}dist/cli/commands/algo/preview.js`)) throw new Error('build first: npm run build');
  });

  it('prints the IS schedule with κ, E and V matching the formulas', async () => {
    const r = await ptexec('algo', 'preview', '--algo', 'is', '--qty', '1000000', '--horizon', '5', '--periods', '5', ...textbook, '--lambda', '2e-6', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    const expected = almgrenChriss({ X: 1e6, T: 5, N: 5, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625, lambda: 2e-6 });
    expect(out.kappa).toBeCloseTo(Math.acosh(1.38), 12);
    expect(out.expected_cost).toBeCloseTo(expected.expectedCost, 6);
    expect(out.variance / expected.variance).toBeCloseTo(1, 12);
    expect(out.schedule.map((row: { quantity: number }) => row.quantity)).toEqual([571401, 245666, 106637, 48653, 27643]);
    expect(out.schedule[0]).toEqual({ period: 1, time: 0, quantity: 571401, cumulative: 571401, remaining: 428599 });
    expect(out.schedule.at(-1)).toMatchObject({ period: 5, time: 4, cumulative: 1000000, remaining: 0 });
  });

  it('with λ = 0 the IS schedule is the TWAP schedule', async () => {
    const [isRun, twapRun] = await Promise.all([
      ptexec('algo', 'preview', '--algo', 'is', '--qty', '1003', '--horizon', '30m', '--periods', '7', ...textbook, '--lambda', '0', '--start', '2026-01-05T03:45:00Z', '--json'),
      ptexec('algo', 'preview', '--algo', 'twap', '--qty', '1003', '--duration', '30m', '--slices', '7', '--start', '2026-01-05T03:45:00Z', '--json'),
    ]);
    const is = JSON.parse(isRun.stdout);
    const twap = JSON.parse(twapRun.stdout);
    expect(is.kappa).toBe(0);
    expect(twap.schedule.map((row: { quantity: number }) => row.quantity)).toEqual(twapSchedule(1003, 7));
    expect(is.schedule).toEqual(twap.schedule);
    expect(twap.schedule[1]).toEqual({ period: 2, time: '2026-01-05T03:49:17.143Z', quantity: 144, cumulative: 287, remaining: 716 });
  });

  it('refuses invalid parameters with exit 2, naming the flag', async () => {
    const [bad, missing, unsolvable] = await Promise.all([
      ptexec('algo', 'preview', '--algo', 'twap', '--qty', '100', '--slices', '0'),
      ptexec('algo', 'preview', '--algo', 'is', '--qty', '100', '--horizon', '5', '--periods', '5'),
      ptexec('algo', 'preview', '--algo', 'is', '--qty', '100', '--horizon', '5', '--periods', '5', '--sigma', '1', '--eta', '1e-7', '--gamma', '1', '--epsilon', '0'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--slices "0" must be at least 1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--sigma is required');
    expect(unsolvable.code).toBe(2);
    expect(unsolvable.stderr).toContain('eta − gamma·tau/2 must be > 0');
  });

  it('prints a table without --json', async () => {
    const r = await ptexec('algo', 'preview', '--algo', 'twap', '--qty', '10', '--slices', '3', '--duration', '3m', '--start', '2026-01-05 09:15');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual([
      'period  time (NSE)           quantity  cumulative  remaining',
      '     1  2026-01-05 09:15:00         3           3          7',
      '     2  2026-01-05 09:16:00         4           7          3',
      '     3  2026-01-05 09:17:00         3          10          0',
    ]);
  });
});
