import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * The HTTP and WebSocket plumbing every broker emulator shares: routing, request recording,
 * per-class rate limits, and the faults of the conformance kit (5xx, malformed bodies, hung
 * calls, rate-limit answers, a placement booked whose answer is lost, a placement lost on the
 * way; a stream cut, gapped, duplicated or reordered). What the broker's wire looks like — its
 * headers, envelopes, error codes — is the dialect's; an emulator is a dialect plus routes over
 * a `SimExchange`.
 */

export interface EmulatorRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RecordedCall extends EmulatorRequest {
  status: number;
  at: number;
}

/** A refusal with the broker's own status and body (the dialect builds them). */
export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

export interface EmulatorRoute {
  method: string;
  pattern: RegExp;
  /** The rate-limit class (`orders`, `books`, `other`, …): see `limits`. */
  cls: string;
  /** A placement: the target of `bookThenReset` and `loseNextPlacement`. */
  placement?: boolean;
  /** Needs no session (login calls). */
  anonymous?: boolean;
  /** Its answer's data (the dialect wraps it), or a WireError. */
  handle(req: EmulatorRequest, match: RegExpExecArray): unknown;
}

export interface WireDialect {
  /** Checks the session and the headers every call must carry; throws a WireError. */
  authenticate(req: EmulatorRequest, route: EmulatorRoute): void;
  /** The success envelope (and its headers: a `Location` naming what was created). */
  ok(data: unknown, route: EmulatorRoute): { status: number; body: unknown; headers?: Record<string, string> };
  /** Anything a handler threw that is not a WireError (a SimRefusal, a bug) in the broker's words. */
  error(err: unknown, route: EmulatorRoute): { status: number; body: unknown };
  /** The broker's answer to too many requests (HTTP 429 and its own code). */
  rateLimited(route: EmulatorRoute): { status: number; body: unknown; headers?: Record<string, string> };
  /** The broker's 5xx answer. */
  serverError(route: EmulatorRoute): { status: number; body: unknown };
}

export interface EmulatorServerOptions {
  routes: EmulatorRoute[];
  dialect: WireDialect;
  /** Calls allowed per rolling second per class (or per a window of the broker's: a minute); a class absent is not limited. */
  limits?: Record<string, number | { limit: number; windowMs: number }>;
  /** Where the order-update WebSocket listens (a path), if the broker has one. */
  streamPath?: string;
  /** Checks a WebSocket upgrade (its token); returns false to refuse with 401. */
  authenticateStream?(req: IncomingMessage): boolean;
  /** A stream connection was accepted (brokers that authenticate by message take it from here). */
  onStreamClient?(ws: WebSocket): void;
  /** The clock rate limits count on. */
  now?: () => number;
}

/** Switches that make the emulator misbehave as real APIs sometimes do. Counts apply to the next calls. */
export class EmulatorFaults {
  serverErrorsLeft = 0;
  malformedLeft = 0;
  hangsLeft = 0;
  rateLimitsLeft = 0;
  bookThenResetLeft = 0;
  losePlacementsLeft = 0;
  /** Responses held open by `hang` or `bookThenReset`, released on close. */
  readonly held = new Set<ServerResponse>();

  serverErrors(count: number): void {
    this.serverErrorsLeft = count;
  }
  malformedBodies(count: number): void {
    this.malformedLeft = count;
  }
  hang(count: number): void {
    this.hangsLeft = count;
  }
  rateLimit(count: number): void {
    this.rateLimitsLeft = count;
  }
  /** The next placement is booked; its connection is then reset before any answer. */
  bookThenReset(): void {
    this.bookThenResetLeft++;
  }
  /** The next placement is never booked and never answered. */
  loseNextPlacement(): void {
    this.losePlacementsLeft++;
  }
}

/** The order-update stream: what is sent to every client, with the kit's faults. */
export class StreamHub {
  readonly clients = new Set<WebSocket>();
  private dropLeft = 0;
  private duplicate = false;
  private reorder = false;
  private heldBack: string[] = [];

  /** Sends a message to every open client (JSON-encoded unless a string or Buffer). */
  send(message: unknown): void {
    const text = typeof message === 'string' || Buffer.isBuffer(message) ? message : JSON.stringify(message);
    if (this.dropLeft > 0) {
      this.dropLeft--;
      return;
    }
    if (this.reorder) {
      this.heldBack.push(text as string);
      return;
    }
    this.broadcast(text);
    if (this.duplicate) this.broadcast(text);
  }

  /** Cuts every connection. */
  drop(): void {
    for (const c of this.clients) c.terminate();
  }
  dropMessages(count: number): void {
    this.dropLeft = count;
  }
  duplicateMessages(on: boolean): void {
    this.duplicate = on;
  }
  /** While on, messages are held; turning it off sends them newest first. */
  reorderMessages(on: boolean): void {
    this.reorder = on;
    if (!on) {
      const held = this.heldBack.reverse();
      this.heldBack = [];
      for (const text of held) this.broadcast(text);
    }
  }
  open(): number {
    return [...this.clients].filter((c) => c.readyState === WebSocket.OPEN).length;
  }

  private broadcast(data: string | Buffer): void {
    for (const c of this.clients) if (c.readyState === WebSocket.OPEN) c.send(data);
  }
}

export interface EmulatorServer {
  url: string;
  /** `ws://…` of the stream path, when there is one. */
  wsUrl: string;
  calls: RecordedCall[];
  faults: EmulatorFaults;
  stream: StreamHub;
  close(): Promise<void>;
}

export async function startEmulatorServer(options: EmulatorServerOptions): Promise<EmulatorServer> {
  const now = options.now ?? Date.now;
  const calls: RecordedCall[] = [];
  const faults = new EmulatorFaults();
  const stream = new StreamHub();
  const arrivals = new Map<string, number[]>();
  const sockets = new Set<Socket>();

  const underLimit = (cls: string): boolean => {
    const given = options.limits?.[cls];
    if (given === undefined) return true;
    const { limit, windowMs } = typeof given === 'number' ? { limit: given, windowMs: 1_000 } : given;
    const t = now();
    const recent = (arrivals.get(cls) ?? []).filter((a) => t - a < windowMs);
    recent.push(t);
    arrivals.set(cls, recent);
    return recent.length <= limit;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const call: EmulatorRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        calls.push({ ...call, status, at: now() });
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
        res.end(text);
      };
      let match: RegExpExecArray | null = null;
      const route = options.routes.find((r) => r.method === call.method && (match = r.pattern.exec(call.path)) !== null);
      if (!route || !match) return answer(404, { error: `no route ${call.method} ${call.path}` });
      if (faults.hangsLeft > 0) {
        faults.hangsLeft--;
        calls.push({ ...call, status: 0, at: now() });
        faults.held.add(res);
        return;
      }
      if (route.placement && faults.losePlacementsLeft > 0) {
        faults.losePlacementsLeft--;
        calls.push({ ...call, status: 0, at: now() });
        faults.held.add(res);
        return;
      }
      if (faults.serverErrorsLeft > 0) {
        faults.serverErrorsLeft--;
        const e = options.dialect.serverError(route);
        return answer(e.status, e.body);
      }
      if (faults.rateLimitsLeft > 0 || !underLimit(route.cls)) {
        if (faults.rateLimitsLeft > 0) faults.rateLimitsLeft--;
        const e = options.dialect.rateLimited(route);
        return answer(e.status, e.body, e.headers);
      }
      try {
        if (!route.anonymous) options.dialect.authenticate(call, route);
        const data = route.handle(call, match);
        if (route.placement && faults.bookThenResetLeft > 0) {
          faults.bookThenResetLeft--;
          calls.push({ ...call, status: 0, at: now() });
          res.socket?.destroy();
          return;
        }
        if (faults.malformedLeft > 0) {
          faults.malformedLeft--;
          return answer(200, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' });
        }
        const ok = options.dialect.ok(data, route);
        return answer(ok.status, ok.body, ok.headers);
      } catch (err) {
        if (err instanceof WireError) return answer(err.status, err.body, err.headers);
        const e = options.dialect.error(err, route);
        return answer(e.status, e.body);
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  if (options.streamPath) {
    const wss = new WebSocketServer({ noServer: true });
    server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      // A client that gives up on a refused handshake resets the socket: that is not the server's error.
      socket.on('error', () => undefined);
      if (path !== options.streamPath || (options.authenticateStream && !options.authenticateStream(req))) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        stream.clients.add(ws);
        ws.on('error', () => undefined);
        ws.on('close', () => stream.clients.delete(ws));
        options.onStreamClient?.(ws);
      });
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}${options.streamPath ?? ''}`,
    calls,
    faults,
    stream,
    async close() {
      for (const c of stream.clients) c.terminate();
      for (const res of faults.held) res.socket?.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
