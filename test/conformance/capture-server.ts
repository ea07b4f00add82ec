import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { RecordedRequest } from './subject.js';

/** A canned answer: the first route whose method and path match answers every such request. */
export interface CannedRoute {
  method: string;
  path: RegExp;
  status?: number;
  contentType?: string;
  body: unknown;
}

export interface CaptureServer {
  url: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Forgets the requests received so far. */
  clear(): void;
  close(): Promise<void>;
}

/**
 * A 127.0.0.1 HTTP server that records every request (method, path, query, headers, body) and
 * answers each with the canned success body of its route, so an official SDK and our adapter can
 * be driven against the same place and their requests compared. An unknown route gets 404.
 */
export async function startCaptureServer(routes: CannedRoute[]): Promise<CaptureServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req: IncomingMessage, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const route = routes.find((r) => r.method === method && r.path.test(url.pathname));
      const status = route ? (route.status ?? 200) : 404;
      requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status, at });
      const text = route ? (typeof route.body === 'string' ? route.body : JSON.stringify(route.body)) : JSON.stringify({ error: `no canned answer for ${method} ${url.pathname}` });
      res.writeHead(status, { 'content-type': route?.contentType ?? 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    clear: () => {
      requests.length = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
