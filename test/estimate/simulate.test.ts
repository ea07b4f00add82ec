import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCostModel } from '../../src/app/loaders/cost-model.js';
import { supplyShippedCalendars } from '../../src/app/loaders/calendars.js';
import { SIMULATION_START } from '../../src/app/simulate/simulate-service.js';
import type { PathJob } from '../../src/app/simulate/simulate-path.js';
import { summarise } from '../../src/app/simulate/simulate-report.js';
import { runJobs } from '../../src/app/simulate/worker-pool.js';

/** The compiled worker (`npm run build`), which worker threads can start; the sources cannot be. */
const WORKER = fileURLToPath(new URL('../../dist/app/simulate/simulate-worker.js', import.meta.url));
const model = loadCostModel({ XDG_CONFIG_HOME: '/nonexistent' }).model;
// Small legs over five minutes: a path costs a few hundred milliseconds.
const TARGET = 'symbol,target_quantity\nITC,2000\nRELIANCE,1000\n';
const jobs = (algo: string, params: PathJob['params'], n: number): PathJob[] =>
  Array.from({ length: n }, (_, i) => ({ targetText: TARGET, targetName: 't.csv', algo, params, seed: 5 + i, start: SIMULATION_START, model }));

beforeAll(() => supplyShippedCalendars());

describe('ptexec simulate', { timeout: 60_000 }, () => {
  it('the same seeds give the same figures in this thread and on two worker threads; every leg measured, the estimate beside the actual', async () => {
    expect(existsSync(WORKER)).toBe(true);
    const all = [...jobs('twap', { algo: 'twap', duration: '5m', slices: 2 }, 2), ...jobs('auto', { algo: 'auto' }, 1)];
    const inThread = await runJobs(all, 0);
    const threaded = await runJobs(all, 2, undefined, WORKER);
    expect(threaded).toEqual(inThread);
    // Path 1 of twap and path 1 of auto meet the same market (seed 5): the same legs, in plan order.
    expect(inThread[2]!.map((l) => l.symbol)).toEqual(inThread[0]!.map((l) => l.symbol));

    const s = summarise('twap', inThread.slice(0, 2));
    expect([s.paths, s.legs]).toEqual([2, 4]);
    expect(s.fillRate).toBeGreaterThan(0.5);
    expect(s.estimateBps).toBeGreaterThan(0);
    expect(s.actualOverEstimate).not.toBeNull();
    expect(s.chosen).toEqual({ twap: 4 });
    expect(s.shortfallP95Bps).toBeGreaterThanOrEqual(s.shortfallMeanBps);
    for (const l of inThread.flat()) expect(l.fillsWithinQuote).toBeLessThanOrEqual(l.fills);
  });
});
