import { BrokerError } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedSend } from '../http/guarded-call.js';
import { type HttpClient, type HttpRequest, type HttpResponse, TransportError } from '../http/http-client.js';
import { withRetries } from '../http/retry.js';
import { SecretList } from '../http/secret-list.js';
import { contentType } from '../http/response-facts.js';
import { mayHaveBeenProcessed, sendOrExplain } from '../http/transport-failure.js';
import { type UpstoxProblem, upstoxError } from './upstox-errors.js';
import type { UpstoxEndpointClass } from './wire-facts.js';

export interface UpstoxCall extends HttpRequest {
  cls: UpstoxEndpointClass;
  /** `orders`: the order host (place, modify, cancel); `api` otherwise. */
  host?: 'api' | 'orders';
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** The token exchange authenticates with its own fields. */
  anonymous?: boolean;
  /** The call names one object (an order by id): a 404 means Upstox does not have it. */
  lookup?: boolean;
  /** v2 endpoints the SDK sends `Api-Version: 2.0` to. */
  apiVersion?: boolean;
  /** The answer is the object itself, not the `{status, data}` envelope (the token exchange). */
  flat?: boolean;
}

export interface UpstoxClientOptions extends Omit<CallGuards, 'retryBaseMs'> {
  api: HttpClient;
  orders: HttpClient;
  accessToken?: string;
  secrets?: string[];
}

interface Envelope {
  status?: string;
  data?: unknown;
  errors?: UpstoxProblem[];
}

/**
 * Upstox on the wire: `Authorization: Bearer`, JSON bodies, the `{status, data}` /
 * `{status:"error", errors:[…]}` envelope. Reads are retried with backoff; writes never are.
 * Every failure becomes a typed BrokerError with the secrets scrubbed out.
 */
export class UpstoxClient {
  private readonly secrets: SecretList;

  constructor(private readonly options: UpstoxClientOptions) {
    this.secrets = new SecretList(options.secrets, options.accessToken);
  }

  private get accessToken(): string | undefined {
    return this.secrets.token;
  }

  setAccessToken(token: string): void {
    this.secrets.setToken(token);
  }

  addSecret(value: string): void {
    this.secrets.add(value);
  }

  /** Calls an endpoint and returns the envelope's `data`. */
  async data<T>(call: UpstoxCall): Promise<T> {
    const res = await this.call(call);
    return this.unwrap<T>(call, res);
  }

  /** Downloads a file that is not an API answer (the gzipped instrument master), by absolute URL. */
  async download(http: HttpClient, what: string): Promise<string> {
    const res = await withRetries(
      async () => {
        let r: HttpResponse;
        try {
          r = await http.send({ method: 'GET', path: '', timeoutMs: 60_000 });
        } catch (err) {
          if (err instanceof TransportError) throw new BrokerError('unavailable', `${what}: ${err.message}`, 'upstox', { code: err.code });
          throw err;
        }
        if (r.status >= 500 || r.status === 429) throw new BrokerError('unavailable', `${what}: HTTP ${r.status}`, 'upstox', { status: r.status });
        return r;
      },
      { clock: this.options.clock, attempts: this.options.readAttempts ?? 3, random: this.options.random },
    );
    if (res.status !== 200) throw new BrokerError('unavailable', `${what}: HTTP ${res.status} from ${http.baseUrl}`, 'upstox', { status: res.status, hint: 'is the instrument master URL right? (PTEXEC_UPSTOX_INSTRUMENTS_URL, else brokers.upstox.instruments_url)' });
    return res.text;
  }

  private call(call: UpstoxCall): Promise<HttpResponse> {
    return guardedSend(this.options, call, () => this.sendOnce(call), (res) => this.errorFrom(call, res));
  }

  private async sendOnce(call: UpstoxCall): Promise<HttpResponse> {
    if (!call.anonymous && !this.accessToken) throw new BrokerError('auth', 'not logged in to Upstox: no access token', 'upstox', { code: 'no_token' });
    const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
    if (call.apiVersion) headers['api-version'] = '2.0';
    if (!call.anonymous) headers.authorization = `Bearer ${this.accessToken}`;
    const http = call.host === 'orders' ? this.options.orders : this.options.api;
    return sendOrExplain(http, { ...call, headers }, { where: this.describe(call), write: call.write, broker: 'upstox' });
  }

  private parse(res: HttpResponse): Envelope | undefined {
    try {
      const body = JSON.parse(res.text) as unknown;
      return body && typeof body === 'object' && !Array.isArray(body) ? (body as Envelope) : undefined;
    } catch {
      return undefined;
    }
  }

  private unwrap<T>(call: UpstoxCall, res: HttpResponse): T {
    const body = this.parse(res);
    const orderWrite = call.write && call.cls === 'orders';
    // Anything but an order write: an answer that is not Upstox's means the URL is wrong. (An
    // order write keeps its status-based meaning: whether the order may have been taken.)
    if (call.flat && body && res.status >= 200 && res.status < 300 && body.status !== 'error') return body as T;
    if (!orderWrite) {
      if (!body || (typeof body.status !== 'string' && !call.flat)) {
        // A success status with a body that is not Upstox's: a gateway or proxy answering for it (nothing was read).
        if (res.status >= 200 && res.status < 300) throw this.protocol(call, `HTTP ${res.status} with a body that is not an Upstox answer (${contentType(res)}); nothing was changed by this read, try again`);
        throw this.notUpstox(call, res);
      }
      if (res.status === 404 && !call.lookup && !body.errors?.length) throw this.wrongAddress(call, res, 'no such Upstox endpoint');
    }
    if (res.status < 200 || res.status >= 300 || body?.status === 'error') throw this.errorFrom(call, res, body);
    if (!body || (body.status !== 'success' && body.status !== 'partial_success') || !('data' in body)) {
      if (orderWrite) throw new BrokerError('unknown_outcome', this.scrub(`${this.describe(call)}: HTTP ${res.status} with a body that is not Upstox's; the order may have been taken`), 'upstox', { status: res.status, code: 'not_upstox' });
      throw this.protocol(call, `unexpected response body (HTTP ${res.status})`);
    }
    return body.data as T;
  }

  private errorFrom(call: UpstoxCall, res: HttpResponse, parsed?: Envelope): BrokerError {
    const body = parsed ?? this.parse(res);
    const problem = body?.errors?.[0];
    const error = upstoxError({ request: this.describe(call), status: res.status, problem, withAccessToken: !call.anonymous, orderWrite: call.write && call.cls === 'orders' });
    error.message = this.scrub(error.message);
    // A bare 5xx from a gateway on a write says nothing about whether Upstox took the order.
    if (call.write && res.status >= 500 && !problem) return mayHaveBeenProcessed(error);
    return error;
  }

  private notUpstox(call: UpstoxCall, res: HttpResponse): BrokerError {
    return this.wrongAddress(call, res, `(${contentType(res)}), not the Upstox API`);
  }

  private wrongAddress(call: UpstoxCall, res: HttpResponse, what: string): BrokerError {
    const http = call.host === 'orders' ? this.options.orders : this.options.api;
    const variable = call.host === 'orders' ? 'PTEXEC_UPSTOX_ORDER_URL, else brokers.upstox.order_url' : 'PTEXEC_UPSTOX_URL, else brokers.upstox.api_url';
    return new BrokerError('unavailable', this.scrub(`${this.describe(call)}: HTTP ${res.status} from ${http.baseUrl}${call.path} ${what}`), 'upstox', {
      status: res.status,
      code: 'not_upstox',
      hint: this.scrub(`is the API URL right? ptexec called ${http.baseUrl} (${variable} in config.json)`),
    });
  }

  private protocol(call: UpstoxCall, what: string): BrokerError {
    return new BrokerError('protocol', this.scrub(`${this.describe(call)}: ${what}`), 'upstox');
  }

  private describe(call: UpstoxCall): string {
    return this.scrub(`${call.method} ${call.path}`);
  }

  private scrub(text: string): string {
    return this.secrets.scrub(text).replace(/(bearer\s+)[^\s"']+/gi, '$1***');
  }
}
