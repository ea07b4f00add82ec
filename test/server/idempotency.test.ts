import { afterEach, describe, expect, it } from 'vitest';
import { connectionOf } from '../../src/store/connection.js';
import { ORIGINAL_REQUEST, startTestServer, type TestServer } from './server-harness.js';

const dirs: TestServer[] = [];
afterEach(() => {
  for (const s of dirs.splice(0)) s.remove();
});

const runCount = (s: TestServer) => (connectionOf(s.store).prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;

describe('Idempotency-Key', () => {
  it('the same key never trades twice, across a restart; the same key with another body is 422', async () => {
    const s = await startTestServer();
    dirs.push(s);
    const token = s.token(['trade']);
    const headers = { 'idempotency-key': 'order-2026-03-02-desk-7' };
    const first = await s.call('POST', '/execute?wait=true&speed=max', { token, body: ORIGINAL_REQUEST, headers });
    expect(first.status).toBe(200);
    const orders = s.orderCount();
    expect(orders).toBeGreaterThan(0);
    // With --new-run semantics the target would trade again; the key says it is the same request.
    const again = await s.call('POST', '/execute?wait=true&speed=max', { token, body: ORIGINAL_REQUEST, headers });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.run_id).toBe(first.json.run_id);
    expect(again.json.results.map((r: { status: string }) => r.status)).toEqual(['FILLED', 'FILLED']);
    const other = await s.call('POST', '/execute?wait=true&speed=max', { token, body: { ...ORIGINAL_REQUEST, target_portfolio: [{ symbol: 'INFY', target_quantity: 11 }] }, headers });
    expect(other.status).toBe(422);
    expect(other.json.type).toBe('urn:ptexec:problem:idempotency-key-reused');
    expect(s.orderCount()).toBe(orders);
    await s.stop();

    const restarted = await startTestServer({ dir: s.dir });
    try {
      const token2 = restarted.token(['trade']);
      const replay = await restarted.call('POST', '/execute?wait=true&speed=max', { token: token2, body: ORIGINAL_REQUEST, headers });
      expect(replay.status).toBe(200);
      expect(replay.json.run_id).toBe(first.json.run_id);
      expect(restarted.orderCount()).toBe(orders);
      expect(runCount(restarted)).toBe(1);
      // A new key is a new request, planned against the account as it is now: already at the target, nothing to trade.
      const fresh = await restarted.call('POST', '/execute?wait=true&speed=max', { token: token2, body: ORIGINAL_REQUEST, headers: { 'idempotency-key': 'another' } });
      expect(fresh.status).toBe(200);
      expect(fresh.json.run_id).not.toBe(first.json.run_id);
      expect(restarted.orderCount()).toBe(orders);
    } finally {
      await restarted.stop();
    }
  });

  it('a key whose request sent nothing (invalid input) is free to use again', async () => {
    const s = await startTestServer();
    dirs.push(s);
    const token = s.token(['trade']);
    const headers = { 'idempotency-key': 'k1' };
    expect((await s.call('POST', '/execute?algo=warp', { token, body: ORIGINAL_REQUEST, headers })).status).toBe(422);
    expect((await s.call('POST', '/execute?wait=true&speed=max', { token, body: ORIGINAL_REQUEST, headers })).status).toBe(200);
    expect((await s.call('POST', '/execute', { token, body: ORIGINAL_REQUEST, headers: { 'idempotency-key': 'bad key with spaces' } })).status).toBe(400);
    await s.stop();
  });
});
