import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { CliSandbox, dbRow } from '../cli/cli-harness.js';
import { ORIGINAL_REQUEST } from './server-harness.js';

const boxes: CliSandbox[] = [];
afterEach(() => {
  for (const b of boxes.splice(0)) b.cleanup();
});

describe('ptexec serve (the CLI)', () => {
  it('a user creates a token, starts the server on a free port, executes the original request with it, and stops it with SIGTERM', async () => {
    const box = new CliSandbox();
    boxes.push(box);
    const created = await box.run(['serve', 'token', 'create', '--scope', 'read,trade', '--name', 'desk']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^ptx_[0-9a-f]{12}_[\w-]{43}$/);
    expect(created.stderr).toContain('not shown again');
    const listed = await box.json<{ tokens: { name: string; scopes: string[] }[] }>(['serve', 'token', 'list']);
    expect(listed.body.tokens).toEqual([expect.objectContaining({ name: 'desk', scopes: ['read', 'trade'] })]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect((await box.run(['serve', '--host', '0.0.0.0'])).code).toBe(2);

    const server = box.spawn(['serve', '--port', '0']);
    let stderr = '';
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    while (!/listening on (\S+)/.test(stderr)) await once(server.stderr!, 'data');
    const url = /listening on (\S+)/.exec(stderr)![1]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/execute?speed=max&wait=true`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(ORIGINAL_REQUEST) });
    const body = (await res.json()) as { run_id: string; results: { symbol: string; side: string; status: string }[] };
    expect(res.status).toBe(200);
    expect(body.results.map((r) => [r.symbol, r.side, r.status])).toEqual([
      ['INFY', 'BUY', 'FILLED'],
      ['TCS', 'BUY', 'FILLED'],
    ]);
    // Another process sees the run the server recorded, as `ptexec watch` would.
    expect(dbRow<{ status: string }>(box.db, 'SELECT status FROM runs WHERE run_id = ?', body.run_id)?.status).toBe('completed');
    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number];
    expect(code).toBe(0);
    const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ message: 'request', method: 'POST', path: '/execute', status: 200, token_id: token.split('_')[1] }));
    expect(stderr).not.toContain(token);
  });
});
