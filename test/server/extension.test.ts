import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ServerExtensionFactory } from '../../src/server/http-server.js';
import { startTestServer } from './server-harness.js';

/** What the live stream plugs in: a streamed GET route and WebSocket upgrades, authenticated by the server's own tokens. */
const extension: ServerExtensionFactory = (ctx) => ({
  routes: [
    {
      method: 'GET',
      path: '/v1/test-events',
      scope: 'read',
      summary: 'a streamed answer',
      handle: ({ res }) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: one\n\n');
        res.end('data: two\n\n');
        return { status: 200, streamed: true };
      },
    },
  ],
  upgrade: (req, socket) => {
    if (!req.url?.startsWith('/v1/test-upgrade')) return false;
    const auth = ctx.authorize(req, 'read');
    socket.end(auth.ok ? `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nx-token: ${auth.token.id}\r\n\r\n` : `HTTP/1.1 ${auth.problem.status} No\r\nContent-Length: 0\r\n\r\n`);
    return true;
  },
});

/** An upgrade request on a raw socket: the status line and headers the server answered. */
async function upgrade(url: string, path: string, token?: string): Promise<{ status: number; token?: string }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}\r\n`);
  let text = '';
  for await (const chunk of socket) text += (chunk as Buffer).toString();
  const status = Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
  const id = /x-token: (\w+)/i.exec(text)?.[1];
  return id ? { status, token: id } : { status };
}

describe('the extension seam', () => {
  it('another module adds streamed routes and upgrades on the same server, authenticated by authorize(req, scope)', async () => {
    const s = await startTestServer({ extensions: [extension] });
    try {
      const token = s.token(['read']);
      expect((await s.call('GET', '/v1/test-events')).status).toBe(401);
      const events = await s.call('GET', '/v1/test-events', { token });
      expect(events.headers.get('content-type')).toBe('text/event-stream');
      expect(events.text).toBe('data: one\n\ndata: two\n\n');
      expect(s.log).toContainEqual(expect.objectContaining({ message: 'request', path: '/v1/test-events', status: 200 }));
      expect(await upgrade(s.url, '/v1/test-upgrade', token)).toEqual({ status: 101, token: token.split('_')[1] });
      expect((await upgrade(s.url, '/v1/test-upgrade')).status).toBe(401);
      expect((await upgrade(s.url, '/elsewhere', token)).status).toBe(404);
      expect(Object.keys((await s.call('GET', '/openapi.json')).json.paths)).toContain('/v1/test-events');
    } finally {
      await s.stop();
      s.remove();
    }
  });
});
