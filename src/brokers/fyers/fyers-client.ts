import { BrokerError } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedCall } from '../http/guarded-call.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-client.js';
import { withRetries } from '../http/retry.js';
import { SecretList } from '../http/secret-list.js';
import { contentType, retryAfterMs } from '../http/response-facts.js';
import { sendOrExplain } from '../http/transport-failure.js';
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

export interface FyersClientOptions extends CallGuards {
  api: HttpClient;
  data?: HttpClient;
  appId: string;
  accessToken?: string;
  /** Values to scrub from any error text (secret, tokens, PIN). */
  secrets?: string[];
}

/**
 * Fyers API v3 on the wire: `Authorization: <app_id>:<access_token>` (no scheme word), JSON bodies,
 * the `{s:"ok",code,…}` / `{s:"error",code:<negative>,message}` envelope. Every call counts against
 * one published limit (10/s, 200/min). Reads are retried with backoff; writes never are.
 */
export class FyersClient {
  private readonly secrets: SecretList;
  private readonly queuedReads = new Map<string, Promise<FyersBody>>();

  constructor(private readonly options: FyersClientOptions) {
    this.secrets = new SecretList(options.secrets, options.accessToken);
  }

  private get accessToken(): string | undefined {
    return this.secrets.token;
  }

  get appId(): string {
    return this.options.appId;
  }

  /** The header value, also what the order socket authenticates with. */
  get authorization(): string {
    return `${this.options.appId}:${this.accessToken ?? ''}`;
  }

  addSecret(value: string): void {
    this.secrets.add(value);
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

  /** Every Fyers call counts against the one `api` limit. */
  private callNow(call: FyersCall, onTurn?: () => void): Promise<FyersBody> {
    return guardedCall(this.options, { cls: 'api', write: call.write }, async () => {
      onTurn?.();
      return this.unwrap(call, await this.sendOnce(call));
    });
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
    return sendOrExplain(http, { ...call, headers }, { where: this.describe(call), write: call.write, broker: 'fyers' });
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
      const error = fyersError({
        request: this.describe(call),
        status: res.status,
        code: typeof envelope.code === 'number' ? envelope.code : undefined,
        message: typeof envelope.message === 'string' ? this.scrub(envelope.message) : undefined,
        retryAfterMs: retryAfterMs(res),
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
    return this.secrets.scrub(text, [this.accessToken ? this.authorization : undefined]);
  }
}
