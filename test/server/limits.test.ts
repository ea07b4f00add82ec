import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/brokers/broker.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { connectionOf } from '../../src/store/connection.js';
import { ORIGINAL_REQUEST, startTestServer } from './server-harness.js';

/** A broker that fails as it connects: out of reach, or with a bug of ours. */
function failingBroker(error: Error): (id: string) => Broker | undefined {
  return () => ({ id: 'paper', account: 'PAPER', connect: () => Promise.reject(error), close: async () => undefined }) as unknown as Broker;
}

describe('limits and failures', () => {
  it('a body past the limit is 413, a token past its rate 429 with Retry-After, per token', async () => {
    const s = await startTestServer({ maxBodyBytes: 2048, rateLimit: { perSecond: 0.001, burst: 3 } });
    try {
      const token = s.token(['trade', 'read']);
      const other = s.token(['read']);
      const big = { broker: 'paper', target_portfolio: Array.from({ length: 200 }, (_, i) => ({ symbol: `SYM${i}`, target_quantity: 1 })) };
      const tooLarge = await s.call('POST', '/execute', { token, body: big });
      expect(tooLarge.status).toBe(413);
      expect(tooLarge.json).toMatchObject({ type: 'urn:ptexec:problem:too-large', max_bytes: 2048 });
      expect((await s.call('GET', '/runs', { token })).status).toBe(200);
      expect((await s.call('GET', '/runs', { token })).status).toBe(200);
      const limited = await s.call('GET', '/runs', { token });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await s.call('GET', '/runs', { token: other })).status).toBe(200);
      expect(s.orderCount()).toBe(0);
    } finally {
      await s.stop();
      s.remove();
    }
  });

  it('a broker out of reach is 503; an unexpected error is 500 with only an id, which the log line has with the cause', async () => {
    const down = await startTestServer({ openedBroker: failingBroker(new BrokerError('unavailable', 'connection refused', 'paper')) });
    try {
      const res = await down.call('POST', '/execute?speed=max', { token: down.token(['trade']), body: ORIGINAL_REQUEST });
      expect(res.status).toBe(503);
      expect(res.json).toMatchObject({ type: 'urn:ptexec:problem:broker-unavailable', exit_code: 5 });
    } finally {
      await down.stop();
      down.remove();
    }
    const bug = await startTestServer({ openedBroker: failingBroker(new TypeError('cannot read properties of undefined')) });
    try {
      const res = await bug.call('POST', '/execute?speed=max', { token: bug.token(['trade']), body: ORIGINAL_REQUEST });
      expect(res.status).toBe(500);
      expect(res.json.detail).not.toContain('cannot read');
      expect(res.text).not.toMatch(/\.(ts|js):\d+/);
      const line = bug.log.find((l) => l.level === 'error' && l.request_id === res.json.request_id);
      expect(line?.error).toContain('cannot read properties of undefined');
      expect(bug.log.some((l) => l.message === 'request' && l.request_id === res.json.request_id && l.status === 500)).toBe(true);
    } finally {
      await bug.stop();
      bug.remove();
    }
  });

  it('with --allow-request-credentials a request carries credentials for itself only: never stored, never logged', async () => {
    const s = await startTestServer({ allowRequestCredentials: true });
    try {
      const res = await s.call('POST', '/execute?wait=true&speed=max', { token: s.token(['trade']), body: { ...ORIGINAL_REQUEST, credentials: { api_key: 'k-SECRET-2', access_token: 't-SECRET-3' } } });
      expect(res.status).toBe(200);
      const db = connectionOf(s.store);
      const everything = JSON.stringify([db.prepare('SELECT * FROM events').all(), db.prepare('SELECT * FROM runs').all(), db.prepare('SELECT * FROM idempotency_keys').all()]);
      for (const secret of ['k-SECRET-2', 't-SECRET-3']) {
        expect(everything).not.toContain(secret);
        expect(JSON.stringify(s.log)).not.toContain(secret);
      }
      const badShape = await s.call('POST', '/execute', { token: s.token(['trade']), body: { ...ORIGINAL_REQUEST, credentials: 'k' } });
      expect(badShape.status).toBe(422);
    } finally {
      await s.stop();
      s.remove();
    }
  });
});
