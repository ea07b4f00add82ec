import { parentPort } from 'node:worker_threads';
import { supplyShippedCalendars } from '../loaders/calendars.js';
import { simulatePath, type PathJob } from './simulate-path.js';

/**
 * A worker thread of `ptexec simulate`: runs the paths it is handed, one at a time, and posts
 * back each path's samples under the job's index (worker-pool.ts).
 */
supplyShippedCalendars();
parentPort?.on('message', (message: { index: number; job: PathJob }) => {
  simulatePath(message.job).then(
    (samples) => parentPort!.postMessage({ index: message.index, samples }),
    (err: unknown) => parentPort!.postMessage({ index: message.index, error: err instanceof Error ? err.message : String(err) }),
  );
});
