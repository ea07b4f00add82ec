import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectionOf } from '../../src/store/connection.js';
import { getRun } from '../../src/store/queries.js';
import { ORIGINAL_REQUEST, startTestServer, type TestServer } from './server-harness.js';

/** One server for the file: every endpoint against the paper broker after one completed run. */
let s: TestServer;
let read: string;
let trade: string;
let admin: string;
let runId: string;
let executed: { status: number; json: any };

beforeAll(async () => {
  s = await startTestServer();
  read = s.token(['read']);
  trade = s.token(['trade', 'read']);
  admin = s.token(['admin']);
  executed = await s.call('POST', '/execute?wait=true&speed=max', { token: trade, body: { ...ORIGINAL_REQUEST, algo: 'twap', duration: '10m', slices: 2 } });
  runId = executed.json.run_id;
});
afterAll(async () => {
  await s.stop();
  s.remove();
});

describe('POST /execute', () => {
  it('takes the original request shape (options beside it) and answers with the original response shape, after the run with wait=true', async () => {
    expect(executed.status).toBe(200);
    const { results } = executed.json;
    expect(results.map((r: Record<string, unknown>) => ({ symbol: r.symbol, quantity: r.quantity, side: r.side, status: r.status, reason: r.reason }))).toEqual([
      { symbol: 'INFY', quantity: 10, side: 'BUY', status: 'FILLED', reason: null },
      { symbol: 'TCS', quantity: 5, side: 'BUY', status: 'FILLED', reason: null },
    ]);
    expect(Object.keys(results[0]).slice(0, 6)).toEqual(['symbol', 'quantity', 'side', 'status', 'reason', 'leg_status']);
    expect(results[0]).toMatchObject({ leg_status: 'complete', filled_quantity: 10, exchange: 'NSE' });
    expect(executed.json).toMatchObject({ run_id: expect.stringMatching(/^[a-z0-9]{4,10}$/), status: 'completed', status_url: `/execute/${runId}` });
    expect(getRun(s.store, runId)?.status).toBe('completed');
    expect(JSON.parse(getRun(s.store, runId)!.options)).toMatchObject({ algo: 'twap' });
    const status = await s.call('GET', executed.json.status_url, { token: read });
    expect(status.json.results.map((r: { symbol: string; status: string }) => [r.symbol, r.status])).toEqual([['INFY', 'FILLED'], ['TCS', 'FILLED']]);
  });
});

describe('authentication and scopes', () => {
  it('no token or an unknown one is 401 with WWW-Authenticate; a token without the scope is 403; a revoked one 401', async () => {
    const none = await s.call('GET', '/runs');
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await s.call('GET', '/runs', { token: 'ptx_nope_nope' })).status).toBe(401);
    const forbidden = await s.call('POST', '/execute', { token: read, body: ORIGINAL_REQUEST });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toMatchObject({ status: 403, required_scope: 'trade' });
    expect((await s.call('GET', '/tokens', { token: trade })).status).toBe(403);
    expect((await s.call('GET', '/runs', { token: admin })).status).toBe(403);
    expect(s.orderCount()).toBeGreaterThan(0);
    const before = s.orderCount();
    const created = await s.call('POST', '/tokens', { token: admin, body: { scopes: ['read'], name: 'short-lived' } });
    expect(created.status).toBe(201);
    expect((await s.call('GET', '/runs', { token: created.json.token })).status).toBe(200);
    expect((await s.call('DELETE', `/tokens/${created.json.id}`, { token: admin })).json.revoked_at).not.toBeNull();
    const revoked = await s.call('GET', '/runs', { token: created.json.token });
    expect(revoked.status).toBe(401);
    expect(revoked.json.detail).toContain('revoked');
    const listed = await s.call('GET', '/tokens', { token: admin });
    expect(JSON.stringify(listed.json)).not.toContain(created.json.token);
    expect((await s.call('DELETE', '/tokens/nosuch', { token: admin })).status).toBe(404);
    expect(s.orderCount()).toBe(before);
    // Only hashes are stored; the log has token ids, never a token.
    const stored = JSON.stringify(connectionOf(s.store).prepare('SELECT * FROM api_tokens').all());
    expect(stored).not.toContain(created.json.token);
    const lines = JSON.stringify(s.log);
    for (const t of [read, trade, admin, created.json.token]) expect(lines).not.toContain(t);
    expect(s.log.some((l) => l.message === 'request' && l.path === '/runs' && l.status === 401 && l.token_id === null)).toBe(true);
  });
});

describe('read endpoints', () => {
  it('runs, one run, legs, orders and fills in the --json shapes, paged by cursor without gaps or repeats', async () => {
    const runs = await s.call('GET', '/runs', { token: read });
    expect(runs.json.runs[0]).toMatchObject({ run_id: runId, status: 'completed', broker: 'paper' });
    const one = await s.call('GET', `/runs/${runId}`, { token: read });
    expect(one.json.run.run_id).toBe(runId);
    expect(one.json.legs.map((l: { symbol: string; status: string }) => [l.symbol, l.status])).toEqual([['INFY', 'complete'], ['TCS', 'complete']]);
    expect((await s.call('GET', `/runs/${runId}/legs`, { token: read })).json.legs).toHaveLength(2);
    expect((await s.call('GET', '/runs/zzzzzzzz', { token: read })).status).toBe(404);
    const all = (await s.call('GET', '/orders?limit=1000', { token: read })).json.orders.map((o: { client_order_id: string }) => o.client_order_id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const paged: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { json: { orders: { client_order_id: string }[]; next_cursor: string | null } } = await s.call('GET', `/orders?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: read });
      paged.push(...page.json.orders.map((o) => o.client_order_id));
      cursor = page.json.next_cursor;
    }
    expect(paged).toEqual(all);
    expect((await s.call('GET', '/orders?cursor=bogus', { token: read })).status).toBe(400);
    expect((await s.call('GET', '/orders?limit=0', { token: read })).status).toBe(422);
    const order = await s.call('GET', `/orders/${all[0]}`, { token: read });
    expect(order.status).toBe(200);
    expect((await s.call('GET', '/orders/nosuch', { token: read })).status).toBe(404);
    const fills = await s.call('GET', `/fills?run=${runId}`, { token: read });
    expect(fills.json.fills.length).toBeGreaterThan(0);
    expect(fills.json.next_cursor).toBeNull();
  });

  it('positions, TCA, settlement and P&L as their commands print them; a dry-run plan from /checks records nothing', async () => {
    const positions = await s.call('GET', '/positions', { token: read });
    expect(positions.status).toBe(200);
    expect(JSON.stringify(positions.json)).toContain('INFY');
    const tca = await s.call('GET', `/tca?run=${runId}`, { token: read });
    expect(tca.status).toBe(200);
    expect(JSON.stringify(tca.json)).toContain(runId);
    expect((await s.call('GET', '/settlement', { token: read })).status).toBe(200);
    expect((await s.call('GET', `/pnl?run=${runId}`, { token: read })).status).toBe(200);
    expect((await s.call('GET', '/pnl?since=yesterday', { token: read })).status).toBe(422);
    const orders = s.orderCount();
    const checks = await s.call('POST', '/checks', { token: read, body: { broker: 'paper', target_portfolio: [{ symbol: 'RELIANCE', target_quantity: 3 }] } });
    expect(checks.status).toBe(200);
    expect(checks.json).toMatchObject({ dry_run: true, status: 'planned' });
    expect(checks.json.results[0]).toMatchObject({ symbol: 'RELIANCE', quantity: 3, side: 'BUY', status: 'PENDING' });
    const csv = await s.call('POST', '/checks?algo=twap&duration=30m', { token: read, text: 'symbol,target_quantity\nRELIANCE,4\n', contentType: 'text/csv' });
    expect(csv.json.results[0]).toMatchObject({ symbol: 'RELIANCE', quantity: 4 });
    expect(csv.json.plan.legs[0].algo).toBe('twap');
    expect(s.orderCount()).toBe(orders);
  });

  it('metrics count what the run recorded; the OpenAPI document and the docs page describe every route', async () => {
    expect((await s.call('GET', '/metrics')).status).toBe(401);
    const metrics = await s.call('GET', '/metrics', { token: read });
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.text).toMatch(/ptexec_orders_sent_total\{broker="paper"\} [1-9]/);
    expect(metrics.text).toMatch(/ptexec_fills_total\{broker="paper"\} [1-9]/);
    expect(metrics.text).toMatch(/ptexec_runs\{status="completed"\} 1/);
    expect(metrics.text).toMatch(/ptexec_order_place_latency_seconds_count\{broker="paper"\} [1-9]/);
    expect(metrics.text).toContain('ptexec_kill_switch_halted 0');
    s.server.metrics.setStreamSubscribers('websocket', 3);
    expect((await s.call('GET', '/metrics', { token: read })).text).toContain('ptexec_stream_subscribers{transport="websocket"} 3');
    const doc = (await s.call('GET', '/openapi.json')).json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/execute', '/execute/{run_id}', '/runs', '/runs/{run_id}/cancel', '/checks', '/metrics', '/halt']));
    const body = doc.paths['/execute'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(body)).toContain('target_quantity');
    expect(doc.paths['/execute'].post.security).toEqual([{ bearer: ['trade'] }]);
    const docs = await s.call('GET', '/docs');
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(docs.text).toContain('/execute');
    expect(docs.text).not.toMatch(/<script[^>]+src=/);
  });
});

describe('controls', () => {
  it('pause, resume and cancel a live run; halt refuses new runs until unhalt', async () => {
    const res = await s.call('POST', '/execute?algo=twap&duration=1h', { token: trade, body: { broker: 'paper', target_portfolio: [{ symbol: 'HDFCBANK', target_quantity: 20 }] } });
    expect(res.status).toBe(202);
    const id = res.json.run_id;
    expect((await s.call('POST', `/runs/${id}/pause`, { token: trade })).json).toMatchObject({ run_id: id, action: 'pause' });
    expect((await s.call('POST', `/runs/${id}/resume`, { token: trade })).json).toMatchObject({ run_id: id, action: 'resume' });
    expect((await s.call('POST', `/runs/${id}/cancel`, { token: trade })).json).toMatchObject({ run_id: id, action: 'cancel' });
    // The run's engine reads the request within its poll interval and ends the run.
    while (getRun(s.store, id)?.status === 'running') await sleep(20);
    expect(getRun(s.store, id)?.status).toBe('incomplete');
    expect((await s.call('POST', `/runs/${id}/pause`, { token: read })).status).toBe(403);
    expect((await s.call('POST', '/runs/nosuch/pause', { token: trade })).status).toBe(404);
    const halted = await s.call('POST', '/halt', { token: trade, body: { reason: 'desk check' } });
    expect(halted.json).toMatchObject({ halted: true, reason: 'desk check' });
    expect((await s.call('GET', '/metrics', { token: read })).text).toContain('ptexec_kill_switch_halted 1');
    const refused = await s.call('POST', '/execute?speed=max', { token: trade, body: { broker: 'paper', target_portfolio: [{ symbol: 'SBIN', target_quantity: 1 }] } });
    expect(refused.status).toBe(409);
    expect(refused.json).toMatchObject({ type: 'urn:ptexec:problem:blocked', exit_code: 3 });
    expect((await s.call('POST', '/unhalt', { token: trade })).json).toMatchObject({ halted: false, changed: true });
  });
});

describe('problem documents, one per error class', () => {
  it('invalid input 422, malformed 400, blocked 409 with verdicts, conflict 409, unknown route 404, method 405, media type 415', async () => {
    const invalid = await s.call('POST', '/execute', { token: trade, body: { broker: 'paper', target_portfolio: [{ symbol: 'INFY', target_quantity: -5 }] } });
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ type: 'urn:ptexec:problem:invalid-input', status: 422, exit_code: 2 });
    expect(invalid.json.issues[0].path).toContain('target_quantity');
    expect(invalid.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect((await s.call('POST', '/execute', { token: trade, text: '{"broker":', contentType: 'application/json' })).status).toBe(400);
    expect((await s.call('POST', '/execute', { token: trade, text: 'x', contentType: 'application/xml' })).status).toBe(415);
    const badOption = await s.call('POST', '/execute?algo=warp', { token: trade, body: ORIGINAL_REQUEST });
    expect(badOption.status).toBe(422);
    expect(badOption.json.detail).toContain('warp');
    mkdirSync(join(s.dir, 'config', 'ptexec'), { recursive: true });
    writeFileSync(join(s.dir, 'config', 'ptexec', 'config.json'), JSON.stringify({ risk: { lists: { restricted: ['WIPRO'] } } }));
    try {
      const before = s.orderCount();
      const blocked = await s.call('POST', '/execute?speed=max', { token: trade, body: { broker: 'paper', target_portfolio: [{ symbol: 'WIPRO', target_quantity: 10 }] } });
      expect(blocked.status).toBe(409);
      expect(blocked.json).toMatchObject({ type: 'urn:ptexec:problem:blocked', exit_code: 3 });
      expect(blocked.json.result.risk.legs[0]).toMatchObject({ symbol: 'WIPRO', verdict: 'block' });
      expect((await s.call('GET', '/metrics', { token: read })).text).toMatch(/ptexec_risk_blocks_total\{rule="[a-z_]+"\} [1-9]/);
      expect(s.orderCount()).toBe(before);
    } finally {
      writeFileSync(join(s.dir, 'config', 'ptexec', 'config.json'), '{}');
    }
    const conflict = await s.call('POST', '/execute?wait=true&speed=max&algo=twap&duration=10m&slices=2', { token: trade, body: ORIGINAL_REQUEST });
    expect(conflict.status).toBe(409);
    expect(conflict.json).toMatchObject({ type: 'urn:ptexec:problem:conflict', exit_code: 6 });
    expect((await s.call('GET', '/nowhere', { token: read })).status).toBe(404);
    const method = await s.call('DELETE', '/runs', { token: read });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET');
  });

  it('credentials in a request are refused naming the flag unless the server allows them', async () => {
    const res = await s.call('POST', '/execute', { token: trade, body: { ...ORIGINAL_REQUEST, credentials: { api_key: 'k-SECRET-1' } } });
    expect(res.status).toBe(422);
    expect(res.json.hint).toContain('--allow-request-credentials');
    expect(JSON.stringify(s.log)).not.toContain('k-SECRET-1');
  });
});
