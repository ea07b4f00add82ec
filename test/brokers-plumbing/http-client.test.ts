import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, TransportError } from '../../src/brokers/http/http-client.js';
import { redact } from '../../src/brokers/http/redact.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('HttpClient', () => {
  it('sends form bodies, repeated query keys, and reuses the keep-alive connection', async () => {
    const seen: { url: string; type: string; body: string; port: number }[] = [];
    const url = await serve((req, body, res) => {
      seen.push({ url: req.url ?? '', type: String(req.headers['content-type']), body, port: req.socket.remotePort ?? 0 });
      res.end('ok');
    });
    const client = new HttpClient({ baseUrl: `${url}/`, timeoutMs: 1000 });
    const a = await client.send({ method: 'POST', path: '/orders/regular', form: { tradingsymbol: 'INFY', quantity: 5, price: undefined, tag: 'a b&c' } });
    await client.send({ method: 'GET', path: '/quote', query: [['i', 'NSE:INFY'], ['i', 'NSE:TCS']] });
    for (let i = 0; i < 3; i++) await client.send({ method: 'GET', path: '/orders' });
    await client.close();
    expect(a).toMatchObject({ status: 200, text: 'ok' });
    expect(seen[0]).toMatchObject({ url: '/orders/regular', type: 'application/x-www-form-urlencoded', body: 'tradingsymbol=INFY&quantity=5&tag=a+b%26c' });
    expect(seen[1]!.url).toBe('/quote?i=NSE%3AINFY&i=NSE%3ATCS');
    // Five requests, fewer sockets: idle connections are kept alive and reused.
    expect(new Set(seen.map((r) => r.port)).size).toBeLessThan(seen.length);
  });

  it('decompresses a gzipped body', async () => {
    const url = await serve((_req, _body, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/csv' });
      res.end(gzipSync('instrument_token,tradingsymbol\n408065,INFY\n'));
    });
    const client = new HttpClient({ baseUrl: url });
    expect((await client.send({ method: 'GET', path: '/instruments' })).text).toBe('instrument_token,tradingsymbol\n408065,INFY\n');
    await client.close();
  });

  it('says a timed-out request may have been sent, and a refused one was not', async () => {
    const url = await serve(() => undefined); // never answers
    const client = new HttpClient({ baseUrl: url, timeoutMs: 150 });
    const timedOut = await client.send({ method: 'POST', path: '/x', form: { a: 1 } }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TransportError);
    expect(timedOut).toMatchObject({ sent: true, code: 'UND_ERR_HEADERS_TIMEOUT' });
    await client.close();
    const refused = new HttpClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 150 });
    const err = await refused.send({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ sent: false, code: 'ECONNREFUSED' });
    await refused.close();
  });

  it('never puts the URL (which may carry tokens) in its errors', async () => {
    const client = new HttpClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 150 });
    const err = (await client.send({ method: 'DELETE', path: '/session/token', query: [['access_token', 'SECRETTOKEN123']] }).catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain('SECRETTOKEN123');
    await client.close();
  });
});

describe('redact', () => {
  it('masks known secrets and secret-bearing parameters', () => {
    const text = 'GET /x?api_key=k&access_token=abc123 Authorization: token key:tok9999 secret s3cr3tvalue';
    const out = redact(text, ['s3cr3tvalue']);
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('tok9999');
    expect(out).not.toContain('s3cr3tvalue');
    expect(out).toContain('api_key=k');
  });
});
