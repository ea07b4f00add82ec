import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { AccountLock } from '../../src/store/account-lock.js';
import { getRun } from '../../src/store/queries.js';
import { ORIGINAL_REQUEST, startTestServer } from './server-harness.js';

describe('graceful shutdown', () => {
  it('stops accepting, stops a run in flight as Ctrl-C does (interrupted, resumable), and answers nothing more', async () => {
    const s = await startTestServer();
    try {
      const token = s.token(['trade', 'read']);
      // A TWAP of an hour on the real clock: still working when the server is stopped.
      const res = await s.call('POST', '/execute?algo=twap&duration=1h', { token, body: ORIGINAL_REQUEST });
      expect(res.status).toBe(202);
      const runId = res.json.run_id as string;
      expect(getRun(s.store, runId)?.status).toBe('running');
      // The same target again while it works: refused, and the working run keeps its lock.
      const again = await s.call('POST', '/execute?algo=twap&duration=1h', { token, body: ORIGINAL_REQUEST });
      expect(again.status).toBe(409);
      expect(again.json.detail).toContain(`run ${runId} of this target is running in this server`);
      expect(new AccountLock(s.store).holder('paper:PAPER')?.runId).toBe(runId);
      const { stoppedRuns } = await s.server.shutdown();
      expect(stoppedRuns).toEqual([runId]);
      await expect(fetch(`${s.url}/health`)).rejects.toThrow();
      s.store.close();
      const reopened = openDatabase(s.dbPath);
      const run = getRun(reopened, runId);
      expect(run?.status).toBe('interrupted');
      reopened.close();
      // The next server continues it, as `ptexec resume` would.
      const next = await startTestServer({ dir: s.dir });
      try {
        const resumed = await next.call('POST', `/runs/${runId}/resume?speed=max`, { token: next.token(['trade']) });
        expect([200, 202]).toContain(resumed.status);
        while (getRun(next.store, runId)?.status === 'running') await sleep(20);
        expect(getRun(next.store, runId)?.status).toBe('completed');
      } finally {
        await next.stop();
      }
    } finally {
      s.remove();
    }
  });
});
