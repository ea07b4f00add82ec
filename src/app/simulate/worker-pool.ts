import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { simulatePath, type LegSample, type PathJob } from './simulate-path.js';

/**
 * The worker entry beside this module: `dist/app/simulate/` when compiled, `dist/cli/` in the
 * command bundle (this code then sits in `dist/cli/chunks/` or `dist/cli/commands/`).
 */
export function simulateWorkerFile(): string | undefined {
  for (const candidate of ['./simulate-worker.js', '../simulate-worker.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Runs every job and returns the results in the jobs' order, whatever finished first: with
 * `workers` threads (each takes the next job when it is free), or in this thread when `workers`
 * is 0 or there is no worker entry (the sources run under a test runner). A path that fails
 * stops the whole simulation with its error.
 */
export async function runJobs(jobs: readonly PathJob[], workers: number, onDone?: (done: number) => void, workerFile = simulateWorkerFile()): Promise<LegSample[][]> {
  const results: LegSample[][] = new Array(jobs.length);
  let done = 0;
  if (workers <= 0 || !workerFile) {
    for (const [i, job] of jobs.entries()) {
      results[i] = await simulatePath(job);
      onDone?.(++done);
    }
    return results;
  }
  let next = 0;
  const threads = Array.from({ length: Math.min(workers, jobs.length) }, () => new Worker(workerFile));
  try {
    await Promise.all(
      threads.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = () => {
              if (next >= jobs.length) return resolve();
              const index = next++;
              worker.postMessage({ index, job: jobs[index] });
            };
            worker.on('message', (m: { index: number; samples?: LegSample[]; error?: string }) => {
              if (m.error !== undefined) return reject(new Error(`simulated path ${m.index + 1} (${jobs[m.index]!.algo}, seed ${jobs[m.index]!.seed}) failed: ${m.error}`));
              results[m.index] = m.samples!;
              onDone?.(++done);
              feed();
            });
            worker.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
  return results;
}
