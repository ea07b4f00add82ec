import { BrokerError } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedSend } from '../http/guarded-call.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-client.js';
import { SecretList } from '../http/secret-list.js';
import { contentType, retryAfterMs } from '../http/response-facts.js';
import { mayHaveBeenProcessed, sendOrExplain } from '../http/transport-failure.js';
import { kiteError } from './kite-errors.js';

/** Kite's endpoint classes and their published limits (BROKERS.md). */
export const KITE_LIMITS = {
  orders: [
    { limit: 10, windowMs: 1_000 },
    { limit: 400, windowMs: 60_000 },
    { limit: 5_000, windowMs: 86_400_000 },
  ],
  quote: [{ limit: 1, windowMs: 1_000 }],
  historical: [{ limit: 3, windowMs: 1_000 }],
  other: [{ limit: 10, windowMs: 1_000 }],
} as const;

export type KiteEndpointClass = keyof typeof KITE_LIMITS;

export interface KiteCall extends HttpRequest {
  cls: KiteEndpointClass;
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** Session calls authenticate with their own fields instead of the Authorization header. */
  anonymous?: boolean;
  /** The call names one object (an order by id): a 404 means Kite does not have it. */
  lookup?: boolean;
}

export interface KiteClientOptions extends CallGuards {
  http: HttpClient;
  apiKey: string;
  accessToken?: string;
  /** Values to scrub from any error text (secret, tokens). */
  secrets?: string[];
}

/**
 * Kite Connect v3 on the wire: `X-Kite-Version: 3`, `Authorization: token key:token`, form bodies,
 * the `{status, data}` / `{status, error_type, message}` envelope. Reads are retried with backoff;
 * writes never are. Every failure becomes a typed BrokerError with the secrets scrubbed out.
 */
export class KiteClient {
  private readonly secrets: SecretList;

  constructor(private readonly options: KiteClientOptions) {
    this.secrets = new SecretList(options.secrets, options.accessToken);
  }

  private get accessToken(): string | undefined {
    return this.secrets.token;
  }

  get apiKey(): string {
    return this.options.apiKey;
  }

  setAccessToken(token: string): void {
    this.secrets.setToken(token);
  }

  /** Adds a value that must never appear in an error message. */
  addSecret(value: string): void {
    this.secrets.add(value);
  }

  /** Calls an endpoint and returns the envelope's `data`. */
  async data<T>(call: KiteCall): Promise<T> {
    const res = await this.call(call);
    return this.unwrap<T>(call, res);
  }

  /** Calls an endpoint that answers with a non-JSON body (the instruments CSV). */
  async text(call: KiteCall): Promise<string> {
    const res = await this.call(call);
    if (res.status >= 200 && res.status < 300 && !looksLikeJson(res.text)) {
      if (looksLikeHtml(res)) throw this.notKite(call, res);
      return res.text;
    }
    this.unwrap(call, res);
    throw this.protocol(call, 'expected CSV, got a JSON success envelope');
  }

  private call(call: KiteCall): Promise<HttpResponse> {
    return guardedSend(this.options, call, () => this.sendOnce(call), (res) => this.errorFrom(call, res));
  }

  private async sendOnce(call: KiteCall): Promise<HttpResponse> {
    if (!call.anonymous && !this.accessToken) {
      throw new BrokerError('auth', 'not logged in to Zerodha: no access token', 'zerodha', { code: 'no_token', notPlaced: true });
    }
    const headers: Record<string, string> = { 'x-kite-version': '3', ...call.headers };
    if (!call.anonymous) headers.authorization = `token ${this.options.apiKey}:${this.accessToken}`;
    return sendOrExplain(this.options.http, { ...call, headers }, { where: this.describe(call), write: call.write, broker: 'zerodha' });
  }

  private unwrap<T>(call: KiteCall, res: HttpResponse): T {
    let body: { status?: string; data?: unknown; error_type?: string; message?: string } | undefined;
    try {
      body = JSON.parse(res.text) as typeof body;
    } catch {
      body = undefined;
    }
    // Anything but an order write: an answer that is not Kite's, or a 404 from an endpoint that
    // always exists, means the API URL is wrong. (An order write keeps its status-based meaning:
    // whether the order may have been taken is what matters there.)
    if (!(call.write && call.cls === 'orders')) {
      // A success that says it is JSON and is not: an answer cut short, not another server.
      if (body === undefined && res.status >= 200 && res.status < 300 && isJsonContent(res)) {
        throw this.protocol(call, `HTTP ${res.status} with a JSON body that is cut short or broken; a read changes nothing, so it is safe to try again`);
      }
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.status !== 'string') throw this.notKite(call, res);
      if (res.status === 404 && !call.lookup) throw this.wrongAddress(call, res, `(${body.error_type ?? body.status}: ${body.message ?? ''}), no such Kite endpoint`);
    }
    if (res.status < 200 || res.status >= 300 || body?.error_type || body?.status === 'error') throw this.errorFrom(call, res, body);
    if (!body || body.status !== 'success' || !('data' in body)) throw this.protocol(call, `unexpected response body (HTTP ${res.status})`);
    return body.data as T;
  }

  private errorFrom(call: KiteCall, res: HttpResponse, parsed?: { error_type?: string; message?: string }): BrokerError {
    let body = parsed;
    if (!body) {
      try {
        body = JSON.parse(res.text) as typeof body;
      } catch {
        body = undefined;
      }
    }
    const error = kiteError({
      request: this.describe(call),
      status: res.status,
      errorType: typeof body?.error_type === 'string' ? body.error_type : undefined,
      message: typeof body?.message === 'string' ? body.message : undefined,
      retryAfterMs: retryAfterMs(res),
      withAccessToken: !call.anonymous,
    });
    error.message = this.scrub(error.message);
    // A bare 5xx from a gateway on a write says nothing about whether Kite took the order.
    if (call.write && res.status >= 500 && !body?.error_type) return mayHaveBeenProcessed(error);
    return error;
  }

  private notKite(call: KiteCall, res: HttpResponse): BrokerError {
    return this.wrongAddress(call, res, `(${contentType(res)}), not the Kite API`);
  }

  /** An answer from the wrong place: `unavailable` before anything is sent (exit 5), with the URL to check. */
  private wrongAddress(call: KiteCall, res: HttpResponse, what: string): BrokerError {
    const base = this.options.http.baseUrl;
    return new BrokerError('unavailable', this.scrub(`${this.describe(call)}: HTTP ${res.status} from ${base}${call.path} ${what}`), 'zerodha', {
      status: res.status,
      code: 'not_kite',
      hint: this.scrub(`is the API URL right? ptexec called ${base} (PTEXEC_ZERODHA_URL, else brokers.zerodha.api_url in config.json)`),
    });
  }

  private protocol(call: KiteCall, what: string): BrokerError {
    return new BrokerError('protocol', this.scrub(`${this.describe(call)}: ${what}`), 'zerodha');
  }

  private describe(call: KiteCall): string {
    return this.scrub(`${call.method} ${call.path}`);
  }

  private scrub(text: string): string {
    return this.secrets.scrub(text, [this.options.apiKey && this.accessToken ? `${this.options.apiKey}:${this.accessToken}` : undefined]);
  }
}

function looksLikeHtml(res: HttpResponse): boolean {
  return String(res.headers['content-type'] ?? '').includes('html') || res.text.trimStart().startsWith('<');
}

function isJsonContent(res: HttpResponse): boolean {
  return String(res.headers['content-type'] ?? '').split(';')[0]!.trim() === 'application/json';
}

function looksLikeJson(text: string): boolean {
  const t = text.trimStart();
  return t.startsWith('{') || t.startsWith('[');
}
