/**
 * `ptexec serve`: the HTTP front end, beside the commands. Built on `node:http` (and `node:https`)
 * rather than a framework: some twenty JSON routes need a path matcher, a body limit and one
 * error mapping, which fit in a few small files; zod (which the project already validates with)
 * checks the input and generates the OpenAPI document, so Fastify's schema layer would be a
 * second one. No framework joins the bundle, and only `ptexec serve` loads this file:
 * `ptexec --version` and every other command never import src/server.
 *
 * The seam for other modules (the live stream): an extension is given the server's context
 * (`authorize`, the store, the metrics, the log) and may add routes and take `upgrade` requests
 * on the same `http.Server`.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { KillSwitch } from '../store/risk-queries.js';
import { runStatuses } from '../store/page-queries.js';
import type { Store } from '../store/store.js';
import { authorizer, type Authorize } from './auth/authorize.js';
import { TokenService } from './auth/token-service.js';
import { ServerMetrics } from './metrics.js';
import { HttpProblem, httpProblem, PROBLEM_CONTENT_TYPE, problemFromError, type Problem } from './problem.js';
import { RateLimiter } from './rate-limit.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './request-body.js';
import type { FactoryBase } from './request-factory.js';
import { matchRoute, type Reply, type Route, type RouteContext } from './route.js';
import { apiRoutes } from './routes/index.js';
import { RunsInFlight } from './runs-in-flight.js';
import type { ServerLog } from './server-log.js';

export interface ServeOptions {
  host: string;
  port: number;
  /** PEM certificate and key: HTTPS. */
  tls?: { cert: string; key: string };
  allowRequestCredentials: boolean;
  /** ptexec's version, in the OpenAPI document. */
  version: string;
  maxBodyBytes?: number;
  /** Requests per second per token, and the burst a token may use at once. */
  rateLimit?: { perSecond: number; burst: number };
  /** Origins allowed to call the API from a browser; none by default (no CORS headers at all). */
  corsOrigins?: string[];
  now?: () => number;
  extensions?: ServerExtensionFactory[];
}

/** What an extension is given: the server's authentication, database, metrics and log. */
export interface ServerContext {
  store: Store;
  authorize: Authorize;
  metrics: ServerMetrics;
  log: ServerLog;
  /** Aborted when the server starts shutting down: long-lived connections end then. */
  closing: AbortSignal;
}

export interface ServerExtension {
  /** More routes, matched after the server's own (authenticated by their `scope`, like them). */
  routes?: Route[];
  /** An `upgrade` request (WebSocket): true when taken; none taking it is answered 404. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Called on shutdown, before the server waits for its runs and connections. */
  close?(): Promise<void> | void;
}

export type ServerExtensionFactory = (ctx: ServerContext) => ServerExtension;

export interface RunningServer {
  url: string;
  address: AddressInfo;
  metrics: ServerMetrics;
  /** Stops accepting, stops the runs in flight (resumable) and waits for them; the runs it stopped. */
  shutdown(): Promise<{ stoppedRuns: string[] }>;
}

export const DEFAULT_RATE_LIMIT = { perSecond: 20, burst: 40 };

/** Starts listening; resolves once the address is bound (port 0: a free port, in `url`). */
export async function startServer(base: FactoryBase, options: ServeOptions): Promise<RunningServer> {
  const api = new ApiServer(base, options);
  return api.listen();
}

class ApiServer {
  private readonly metrics: ServerMetrics;
  private readonly runs = new RunsInFlight();
  private readonly closing = new AbortController();
  private readonly limiter: RateLimiter;
  private readonly authorize: Authorize;
  private readonly extensions: ServerExtension[];
  private readonly routes: Route[];
  private readonly server: Server;
  private stopListening = () => {};

  constructor(
    private readonly base: FactoryBase,
    private readonly options: ServeOptions,
  ) {
    const { store, log } = base;
    const now = options.now ?? Date.now;
    const tokens = new TokenService(store, now);
    this.authorize = authorizer(tokens);
    this.metrics = new ServerMetrics({ runs: runStatuses(store), halted: new KillSwitch(store).isHalted().halted });
    this.limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, now);
    const context: ServerContext = { store, authorize: this.authorize, metrics: this.metrics, log, closing: this.closing.signal };
    this.extensions = (options.extensions ?? []).map((make) => make(context));
    const deps = { base, runs: this.runs, tokens, metrics: this.metrics, allowRequestCredentials: options.allowRequestCredentials, extraRoutes: () => this.routes };
    this.routes = [...apiRoutes(deps, options.version), ...this.extensions.flatMap((e) => e.routes ?? [])];
    const listener = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createHttpServer(listener);
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (!this.closing.signal.aborted && this.extensions.some((e) => e.upgrade?.(req, socket, head))) return;
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    this.server.on('clientError', (_err, socket: Duplex) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
  }

  async listen(): Promise<RunningServer> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.stopListening = this.base.store.onAppend(this.metrics.onEvents);
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    let shutdown: Promise<{ stoppedRuns: string[] }> | undefined;
    return { url: `${this.options.tls ? 'https' : 'http'}://${host}:${address.port}`, address, metrics: this.metrics, shutdown: () => (shutdown ??= this.shutdown()) };
  }

  private async shutdown(): Promise<{ stoppedRuns: string[] }> {
    this.closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await Promise.all(this.extensions.map((e) => e.close?.()));
    const stoppedRuns = await this.runs.stopAll();
    this.server.closeAllConnections();
    await closed;
    this.stopListening();
    return { stoppedRuns };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const seen: { tokenId: string | null } = { tokenId: null };
    let status = 500;
    try {
      if (this.preflight(req, res)) return void (status = 204);
      const reply = await this.answer(req, res, url, requestId, seen);
      status = reply.status;
      if (!reply.streamed) send(res, reply, req.method === 'HEAD');
    } catch (err) {
      const { problem: p, bug } = problemFromError(err, requestId);
      status = p.status;
      if (bug) this.base.log({ level: 'error', message: 'unexpected error', request_id: requestId, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err), stack: err instanceof Error ? err.stack : undefined });
      sendProblem(res, p);
    } finally {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      this.base.log({ level: 'info', message: 'request', request_id: requestId, method: req.method, path: url.pathname, status, duration_ms: durationMs, token_id: seen.tokenId });
    }
  }

  /** The route, its token and rate, then its answer; every refusal is thrown as a problem. */
  private async answer(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string, seen: { tokenId: string | null }): Promise<Reply> {
    if (this.closing.signal.aborted) throw httpProblem('shutting-down', 503, 'the server is shutting down; retry when it is back');
    const matched = matchRoute(this.routes, req.method ?? 'GET', url.pathname);
    if (!matched) throw httpProblem('not-found', 404, `no endpoint ${url.pathname} (see /openapi.json)`);
    if ('allowed' in matched) throw httpProblem('method-not-allowed', 405, `${url.pathname} takes ${matched.allowed.join(', ')}`, { allow: matched.allowed });
    const { route, params } = matched;
    const ctx: RouteContext = { req, res, url, params, requestId, body: once(() => readBody(req, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES).then((text) => ({ text, contentType: req.headers['content-type'] ?? '' }))) };
    if (route.scope) {
      const auth = this.authorize(req, route.scope);
      if (!auth.ok) throw new HttpProblem(auth.problem);
      ctx.token = auth.token;
      seen.tokenId = auth.token.id;
      const wait = this.limiter.take(auth.token.id);
      if (wait > 0) throw httpProblem('rate-limited', 429, `token ${auth.token.id} sent too many requests; retry in ${Math.ceil(wait / 1000)} s`, { retry_after: Math.ceil(wait / 1000) });
    }
    return route.handle(ctx);
  }

  /** CORS is off unless origins are configured: then only those origins get its headers. True when this was a preflight, answered. */
  private preflight(req: IncomingMessage, res: ServerResponse): boolean {
    const origins = this.options.corsOrigins;
    const origin = req.headers.origin;
    if (!origins?.length || !origin || !origins.includes(origin)) return false;
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('vary', 'origin');
    if (req.method !== 'OPTIONS') return false;
    res.writeHead(204, { 'access-control-allow-headers': 'authorization, content-type, idempotency-key', 'access-control-allow-methods': 'GET, POST, DELETE' }).end();
    return true;
  }
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

function send(res: ServerResponse, reply: Reply, head: boolean): void {
  const body = reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const type = reply.contentType ?? (reply.text === undefined ? 'application/json' : 'text/plain; charset=utf-8');
  res.writeHead(reply.status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', ...reply.headers });
  res.end(head ? undefined : body);
}

function sendProblem(res: ServerResponse, p: Problem): void {
  if (res.headersSent) return void res.destroy();
  const headers: Record<string, string> = {};
  if (p.status === 401) headers['www-authenticate'] = 'Bearer realm="ptexec"';
  if (p.status === 429 && typeof p.retry_after === 'number') headers['retry-after'] = String(p.retry_after);
  if (p.status === 405 && Array.isArray(p.allow)) headers.allow = p.allow.join(', ');
  // A body refused part-way is not read further: the connection cannot be reused.
  if (p.status === 413) headers.connection = 'close';
  send(res, { status: p.status, json: p, contentType: PROBLEM_CONTENT_TYPE, headers }, false);
}
