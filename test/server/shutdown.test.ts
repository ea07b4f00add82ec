import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
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
      const { stoppedRuns } = await s.server.shutdown();
      expect(stoppedRuns).toEqual([runId]);
      await expect(fetch(`${s.url}/health`)).rejects.toThrow();
      s.store.close();
      const reopened = openDatabase(s.dbPath);
      const run = getRun(reopened, runId);
      expect(run?.status).toBe('interrupted');
      reopened.close();
    } finally {
      s.remove();
    }
  });
});
