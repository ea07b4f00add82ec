import { afterEach, describe, expect, it } from 'vitest';
import { getRun } from '../../src/store/queries.js';
import { ORIGINAL_REQUEST, startTestServer, type TestServer } from './server-harness.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    await s.stop().catch(() => undefined);
    s.remove();
  }
});

async function server(options: Parameters<typeof startTestServer>[0] = {}) {
  const s = await startTestServer(options);
  servers.push(s);
  return s;
}

describe('POST /execute', () => {
  it('takes the original request shape and answers with the original response shape, after the run with wait=true', async () => {
    const s = await server();
    const token = s.token(['trade', 'read']);
    const res = await s.call('POST', '/execute?wait=true&speed=max', { token, body: ORIGINAL_REQUEST });
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: Record<string, unknown>) => ({ symbol: r.symbol, quantity: r.quantity, side: r.side, status: r.status, reason: r.reason }))).toEqual([
      { symbol: 'INFY', quantity: 10, side: 'BUY', status: 'FILLED', reason: null },
      { symbol: 'TCS', quantity: 5, side: 'BUY', status: 'FILLED', reason: null },
    ]);
    expect(Object.keys(res.json.results[0]).slice(0, 5)).toEqual(['symbol', 'quantity', 'side', 'status', 'reason']);
    expect(res.json.run_id).toMatch(/^[a-z0-9]{4,10}$/);
    expect(res.json.status).toBe('completed');
    expect(res.json.status_url).toBe(`/execute/${res.json.run_id}`);
    expect(getRun(s.store, res.json.run_id)?.status).toBe('completed');
    const again = await s.call('GET', res.json.status_url, { token });
    expect(again.status).toBe(200);
    expect(again.json.results.map((r: { status: string }) => r.status)).toEqual(['FILLED', 'FILLED']);
  });
});
