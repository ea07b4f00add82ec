import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KillSwitch } from '../../src/store/risk-queries.js';
import { startTestServer, type TestServer } from './server-harness.js';

let s: TestServer;
let token: string;

beforeAll(async () => {
  s = await startTestServer();
  token = s.token(['trade', 'read']);
  // Whatever the fuzzer happens to make valid is refused by the kill switch (409): nothing may trade.
  new KillSwitch(s.store).halt('fuzzing', false);
});
afterAll(async () => {
  await s.stop();
  s.remove();
});

const line = fc.record({ symbol: fc.oneof(fc.string(), fc.constantFrom('INFY', 'TCS', '')), target_quantity: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)) }, { requiredKeys: [] });
const body = fc.oneof(
  fc.json(),
  fc.string(),
  fc.record({ broker: fc.oneof(fc.string(), fc.constant('paper'), fc.integer()), target_portfolio: fc.oneof(fc.array(line, { maxLength: 4 }), fc.jsonValue()) }, { requiredKeys: [] }),
  fc.record({ positions: fc.array(fc.dictionary(fc.constantFrom('symbol', 'weight', 'quantity', 'value', 'x'), fc.jsonValue()), { maxLength: 3 }), algo: fc.string(), duration: fc.jsonValue(), dry_run: fc.jsonValue() }, { requiredKeys: [] }),
);
const query = fc.dictionary(fc.constantFrom('algo', 'duration', 'slices', 'speed', 'seed', 'wait', 'dry_run', 'min_trade_value', 'band', 'x'), fc.string({ maxLength: 8 }), { maxKeys: 3 });

describe('fuzzing the JSON endpoints', () => {
  it('malformed input is a 4xx problem document, never a 500, never a stack trace, never an order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/execute', '/checks'), body, query, fc.constantFrom('application/json', 'text/csv', 'application/json; charset=utf-8'), async (path, value, q, type) => {
        const text = typeof value === 'string' && type !== 'application/json' ? value : JSON.stringify(value);
        const res = await s.call('POST', `${path}?${new URLSearchParams(q)}`, { token, text, contentType: type });
        if (path === '/checks' && res.status === 200) return; // a dry run that happened to be valid: it sends nothing
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
        expect(res.json).toMatchObject({ type: expect.stringMatching(/^urn:ptexec:problem:/), title: expect.any(String), status: res.status });
        expect(res.text).not.toMatch(/\n\s+at |\.(ts|js):\d+:\d+/);
      }),
      { numRuns: 120, seed: 20260302 },
    );
    expect(s.orderCount()).toBe(0);
  });
});
