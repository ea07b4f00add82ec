import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import { type HttpClient, type HttpRequest, type HttpResponse, TransportError } from '../http/http-client.js';
import type { RateLimiter } from '../http/rate-limiter.js';
import { redact } from '../http/redact.js';
import { withRetries } from '../http/retry.js';
import { fyersError } from './fyers-errors.js';
import { FYERS_RESPONSE_VERSION } from './wire-facts.js';

/** The success envelope: `s` "ok", a `code`, and the call's fields beside them. */
export type FyersBody = { s: 'ok'; code?: number; message?: string } & Record<string, unknown>;

export interface FyersCall extends HttpRequest {
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** Session calls (validate-authcode, validate-refresh-token) carry no Authorization header. */
  anonymous?: boolean;
  /** The call goes to the data API (quotes) instead of the trading API. */
  data?: boolean;
}

export interface FyersClientOptions {
  api: HttpClient;
  data?: HttpClient;
  appId: string;
  accessToken?: string;
  /** Values to scrub from any error text (secret, tokens, PIN). */
  secrets?: string[];
  limiter: RateLimiter;
  breaker: CircuitBreaker;
  clock: Clock;
  random?: () => number;
  readAttempts?: number;
  /** First backoff between read attempts (ms); doubles with each. */
  retryBaseMs?: number;
}

/**
 * Fyers API v3 on the wire: `Authorization: <app_id>:<access_token>` (no scheme word), JSON bodies,
 * the `{s:"ok",code,…}` / `{s:"error",code:<negative>,message}` envelope. Every call counts against
 * one published limit (10/s, 200/min). Reads are retried with backoff; writes never are.
 */
export class FyersClient {
  private accessToken?: string;
  private readonly secrets: string[];
  private readonly queuedReads = new Map<string, Promise<FyersBody>>();

  constructor(private readonly options: FyersClientOptions) {
    this.accessToken = options.accessToken;
    this.secrets = [...(options.secrets ?? [])];
    if (options.accessToken) this.secrets.push(options.accessToken);
  }

  get appId(): string {
    return this.options.appId;
  }

  /** The header value, also what the order socket authenticates with. */
  get authorization(): string {
    return `${this.options.appId}:${this.accessToken ?? ''}`;
  }

  addSecret(value: string): void {
    this.secrets.push(value);
  }

  /**
   * Calls an endpoint. A read identical to one still waiting for its turn under the rate limit
   * joins it instead of spending another of the app's 10 calls a second: its answer is read after
   * both asked. (Once a read has gone out, a new caller sends its own.)
   */
  call(call: FyersCall): Promise<FyersBody> {
    if (call.write || call.method !== 'GET') return this.callNow(call);
    const key = `${call.data ? 'data' : 'api'} ${call.path}?${new URLSearchParams(call.query?.map(([k, v]): [string, string] => [k, v])).toString()}`;
    const queued = this.queuedReads.get(key);
    if (queued) return queued;
    const forget = () => {
      if (this.queuedReads.get(key) === result) this.queuedReads.delete(key);
    };
    const result = this.callNow(call, forget);
    this.queuedReads.set(key, result);
    result.then(forget, forget);
    return result;
  }

  private async callNow(call: FyersCall, onTurn?: () => void): Promise<FyersBody> {
    const once = async () => {
      await this.options.limiter.acquire('api');
      onTurn?.();
      return this.unwrap(call, await this.sendOnce(call));
    };
    try {
      const body = call.write ? await once() : await withRetries(once, { clock: this.options.clock, attempts: this.options.readAttempts ?? 3, baseDelayMs: this.options.retryBaseMs, random: this.options.random });
      this.options.breaker.recordSuccess();
      return body;
    } catch (err) {
      this.options.breaker.recordFailure(err);
      throw err;
    }
  }

  /** A plain-text download (the symbol master CSV) from an absolute URL's client. */
  async text(http: HttpClient, path: string): Promise<string> {
    const call: FyersCall = { method: 'GET', path, anonymous: true };
    const res = await withRetries(
      async () => {
        const r = await this.sendOnce(call, http);
        if (r.status !== 200) throw fyersError({ request: `GET ${http.baseUrl}${path}`, status: r.status });
        return r;
      },
      { clock: this.options.clock, attempts: this.options.readAttempts ?? 3, baseDelayMs: this.options.retryBaseMs, random: this.options.random },
    );
    if (res.text.trimStart().startsWith('<')) throw this.wrongAddress(call, res, http, '(HTML), not the Fyers symbol master');
    return res.text;
  }

  private async sendOnce(call: FyersCall, http = call.data ? (this.options.data ?? this.options.api) : this.options.api): Promise<HttpResponse> {
    if (!call.anonymous && !this.accessToken) throw new BrokerError('auth', 'not logged in to Fyers: no access token', 'fyers', { code: 'no_token' });
    const headers: Record<string, string> = { ...call.headers };
    if (!call.anonymous) {
      headers.authorization = this.authorization;
      headers.version = FYERS_RESPONSE_VERSION;
    }
    try {
      return await http.send({ ...call, headers });
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      const where = this.describe(call);
      if (call.write && err.sent) throw new BrokerError('unknown_outcome', `${where}: ${err.message}; the request may have been processed`, 'fyers', { code: err.code });
      throw new BrokerError('unavailable', `${where}: ${err.message}`, 'fyers', { code: err.code });
    }
  }

  private unwrap(call: FyersCall, res: HttpResponse): FyersBody {
    let body: { s?: unknown; code?: unknown; message?: unknown } | undefined;
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      body = undefined;
    }
    const envelope = body && typeof body === 'object' && !Array.isArray(body) && typeof body.s === 'string' ? body : undefined;
    // A 5xx on a write says nothing certain about whether Fyers took it: the engine looks it up.
    if (call.write && !call.anonymous && res.status >= 500) {
      const said = typeof envelope?.message === 'string' && envelope.message ? ` (${this.scrub(envelope.message)})` : '';
      throw new BrokerError('unknown_outcome', `${this.describe(call)}: HTTP ${res.status}${said}; the request may have been processed`, 'fyers', { status: res.status });
    }
    if (!envelope) {
      // Fyers' own envelope, cut short or broken on the way: the call reached Fyers, the answer did not.
      if (res.status >= 200 && res.status < 300 && /^\s*\{\s*"s"\s*:/.test(res.text)) {
        throw new BrokerError('protocol', `${this.describe(call)}: a Fyers answer (HTTP ${res.status}) whose JSON body is cut short or broken; nothing was changed by this read, try again`, 'fyers', { status: res.status });
      }
      if (res.status === 429 || res.status >= 500) throw fyersError({ request: this.describe(call), status: res.status });
      throw this.wrongAddress(call, res, call.data ? this.options.data : this.options.api, `(${contentType(res)}), not the Fyers API`);
    }
    if (envelope.s !== 'ok' || res.status < 200 || res.status >= 300) {
      const retryAfter = Number(res.headers['retry-after']);
      const error = fyersError({
        request: this.describe(call),
        status: res.status,
        code: typeof envelope.code === 'number' ? envelope.code : undefined,
        message: typeof envelope.message === 'string' ? this.scrub(envelope.message) : undefined,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      });
      error.message = this.scrub(error.message);
      throw error;
    }
    return envelope as FyersBody;
  }

  /** An answer from the wrong place: `unavailable` (exit 5), with the URL to check. */
  private wrongAddress(call: FyersCall, res: HttpResponse, http: HttpClient | undefined, what: string): BrokerError {
    const base = http?.baseUrl ?? this.options.api.baseUrl;
    return new BrokerError('unavailable', this.scrub(`${this.describe(call)}: HTTP ${res.status} from ${base}${call.path} ${what}`), 'fyers', {
      status: res.status,
      code: 'not_fyers',
      hint: `is the API URL right? ptexec called ${base} (PTEXEC_FYERS_URL / PTEXEC_FYERS_DATA_URL / PTEXEC_FYERS_SYMBOLS_URL, else brokers.fyers in config.json)`,
    });
  }

  private describe(call: FyersCall): string {
    return this.scrub(`${call.method} ${call.path}`);
  }

  scrub(text: string): string {
    return redact(text, [...this.secrets, this.accessToken ? this.authorization : undefined]);
  }
}

function contentType(res: HttpResponse): string {
  return String(res.headers['content-type'] ?? 'no content type').split(';')[0]!.trim();
}
