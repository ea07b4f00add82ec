import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, type Dispatcher, request } from 'undici';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Path below the base URL, e.g. `/orders/regular`. */
  path: string;
  /** Query parameters in order; repeated keys are allowed (`i=NSE:INFY&i=NSE:TCS`). */
  query?: readonly (readonly [string, string])[];
  /** Sent as `application/x-www-form-urlencoded`. Undefined values are left out. */
  form?: Record<string, string | number | undefined>;
  /** Sent as `application/json`. */
  json?: unknown;
  headers?: Record<string, string>;
  /** Overrides the client's response timeout for this request. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A request that failed below HTTP. `sent` says whether the request may have reached the server:
 * a refused or timed-out connection never did (safe to retry anything), a timeout waiting for
 * the answer or a reset after writing may have (a placement must then be resolved, not re-sent).
 */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly sent: boolean,
    readonly code: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Time allowed for the response headers and between body chunks (ms). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** How long an idle keep-alive socket is kept (ms). */
  keepAliveMs?: number;
  /** Concurrent sockets per origin. */
  connections?: number;
  /** An undici Agent/Pool to use instead of the client's own (the client then does not close it). */
  dispatcher?: Dispatcher;
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * HTTP over undici with explicit timeouts and keep-alive. The dispatcher is always passed
 * explicitly (never the global one: Node 20 bundles an older undici). It knows nothing of any
 * broker's envelope: adapters interpret status and body.
 */
export class HttpClient {
  readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeoutMs: number;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        keepAliveTimeout: options.keepAliveMs ?? 30_000,
        keepAliveMaxTimeout: Math.max(options.keepAliveMs ?? 30_000, 60_000),
        connect: { timeout: options.connectTimeoutMs ?? 5_000 },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connections: options.connections ?? 8,
      });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = this.baseUrl + req.path;
    if (req.query?.length) url += `?${new URLSearchParams(req.query.map(([k, v]): [string, string] => [k, v])).toString()}`;
    const headers: Record<string, string> = { ...req.headers };
    let body: string | undefined;
    if (req.form) {
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(req.form)) if (v !== undefined) form.append(k, String(v));
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    const timeout = req.timeoutMs ?? this.timeoutMs;
    try {
      const res = await request(url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const raw = Buffer.from(await res.body.arrayBuffer());
      return { status: res.statusCode, headers: res.headers, text: decode(raw, res.headers['content-encoding']).toString('utf8') };
    } catch (err) {
      throw toTransportError(err);
    }
  }

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

/**
 * undici's `request` does not decompress; static dumps (Kite's instruments) may arrive gzipped,
 * and some are gzip files themselves (Upstox's `complete.json.gz`), known by gzip's magic bytes.
 */
function decode(body: Buffer, encoding: string | string[] | undefined): Buffer {
  const enc = String(encoding ?? '').toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip' || (body.length > 2 && body[0] === 0x1f && body[1] === 0x8b)) return gunzipSync(body);
  if (enc === 'deflate') return inflateSync(body);
  if (enc === 'br') return brotliDecompressSync(body);
  return body;
}

function toTransportError(err: unknown): TransportError {
  const e = err as { code?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code ?? 'UNKNOWN';
  const sent = !NOT_SENT_CODES.has(code);
  const what =
    code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
      ? 'timed out waiting for the response'
      : code === 'ECONNREFUSED'
        ? 'connection refused'
        : code === 'UND_ERR_CONNECT_TIMEOUT'
          ? 'timed out connecting'
          : code === 'UND_ERR_SOCKET' || code === 'ECONNRESET'
            ? 'connection reset'
            : (e.message ?? 'request failed');
  return new TransportError(`${what} (${code})`, sent, code);
}
