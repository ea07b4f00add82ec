import { BrokerError } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedSend } from '../http/guarded-call.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-client.js';
import { SecretList } from '../http/secret-list.js';
import { contentType, retryAfterMs } from '../http/response-facts.js';
import { mayHaveBeenProcessed, sendOrExplain } from '../http/transport-failure.js';
import { growwError } from './groww-errors.js';
import { GROWW_API_VERSION, type GrowwEndpointClass } from './wire-facts.js';

export interface GrowwCall extends HttpRequest {
  cls: GrowwEndpointClass;
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** The call names one object (an order by id or reference): "does not exist" is an answer, not a wrong URL. */
  lookup?: boolean;
}

export interface GrowwClientOptions extends CallGuards {
  http: HttpClient;
  accessToken?: string;
  /** Values to scrub from any error text (the API key and secret of a login). */
  secrets?: string[];
}

interface Envelope {
  status?: unknown;
  payload?: unknown;
  error?: { code?: unknown; message?: unknown } | null;
}

/**
 * The Groww Trading API on the wire: `Authorization: Bearer <token>`, `X-API-VERSION: 1.0`,
 * JSON bodies, the `{status: SUCCESS, payload}` / `{status: FAILURE, error: {code, message}}`
 * envelope. Reads are retried with backoff; writes never are. Every failure becomes a typed
 * BrokerError with the error's GA code and message, and the secrets scrubbed out.
 */
export class GrowwClient {
  private readonly secrets: SecretList;

  constructor(private readonly options: GrowwClientOptions) {
    this.secrets = new SecretList(options.secrets, options.accessToken);
  }

  private get accessToken(): string | undefined {
    return this.secrets.token;
  }

  /** Calls an endpoint and returns the envelope's `payload`. */
  async payload<T>(call: GrowwCall): Promise<T> {
    const res = await this.call(call);
    return this.unwrap<T>(call, res);
  }

  /** Calls an endpoint answering with a bare JSON object (the token endpoint), or an envelope. */
  async object<T>(call: GrowwCall, headers: Record<string, string>): Promise<T> {
    const res = await this.call({ ...call, headers: { ...call.headers, ...headers } }, true);
    const body = this.parse(res);
    if (res.status >= 200 && res.status < 300 && body && typeof body === 'object' && !('status' in body && (body as Envelope).status === 'FAILURE')) {
      const env = body as Envelope;
      return (env.status === 'SUCCESS' && 'payload' in env ? env.payload : body) as T;
    }
    throw this.errorFrom(call, res, body as Envelope | undefined);
  }

  /** A text body from any URL (the instruments CSV is a public file, not an API call). */
  async text(call: GrowwCall): Promise<string> {
    const res = await this.call(call, true);
    if (res.status < 200 || res.status >= 300) throw this.errorFrom(call, res, this.parse(res) as Envelope | undefined);
    return res.text;
  }

  private call(call: GrowwCall, anonymous = false): Promise<HttpResponse> {
    // The session endpoints are not rate limited.
    const limited = { cls: call.cls === 'session' ? undefined : call.cls, write: call.write };
    return guardedSend(this.options, limited, () => this.sendOnce(call, anonymous), (res) => this.errorFrom(call, res, this.parse(res) as Envelope | undefined));
  }

  private async sendOnce(call: GrowwCall, anonymous: boolean): Promise<HttpResponse> {
    if (!anonymous && !this.accessToken) throw new BrokerError('auth', 'not logged in to Groww: no access token', 'groww', { code: 'no_token' });
    const headers: Record<string, string> = { accept: 'application/json', 'x-api-version': GROWW_API_VERSION, ...call.headers };
    if (!anonymous) headers.authorization = `Bearer ${this.accessToken}`;
    return sendOrExplain(this.options.http, { ...call, headers }, { where: this.describe(call), write: call.write, broker: 'groww' });
  }

  private parse(res: HttpResponse): unknown {
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      return undefined;
    }
  }

  private unwrap<T>(call: GrowwCall, res: HttpResponse): T {
    const body = this.parse(res) as Envelope | undefined;
    const isEnvelope = !!body && typeof body === 'object' && !Array.isArray(body) && (body.status === 'SUCCESS' || body.status === 'FAILURE');
    // An order write keeps its status-based meaning (whether the order may have been taken is
    // what matters); anything else that is not Groww's envelope means the API URL is wrong.
    if (!isEnvelope) {
      if (call.write && call.cls === 'orders' && res.status >= 200 && res.status < 300) {
        throw new BrokerError('unknown_outcome', this.scrub(`${this.describe(call)}: HTTP ${res.status} without Groww's envelope; the order may have been placed`), 'groww', { status: res.status, code: 'not_groww' });
      }
      if (res.status === 404) throw this.notGroww(call, res);
      if (res.status >= 200 && res.status < 300) throw this.malformed(call, res);
      throw this.errorFrom(call, res, undefined);
    }
    if (res.status < 200 || res.status >= 300 || body!.status === 'FAILURE') throw this.errorFrom(call, res, body);
    if (!('payload' in body!)) throw new BrokerError('protocol', this.scrub(`${this.describe(call)}: SUCCESS without a payload`), 'groww');
    return body!.payload as T;
  }

  private errorFrom(call: GrowwCall, res: HttpResponse, body: Envelope | undefined): BrokerError {
    const error = growwError({
      request: this.describe(call),
      status: res.status,
      code: typeof body?.error?.code === 'string' ? body.error.code : undefined,
      message: typeof body?.error?.message === 'string' ? body.error.message : undefined,
      retryAfterMs: retryAfterMs(res),
    });
    error.message = this.scrub(error.message);
    // A 5xx on a write says nothing about whether Groww took it, unless Groww says it could not
    // serve the request at all (GA003).
    if (call.write && res.status >= 500 && error.details.code !== 'GA003') return mayHaveBeenProcessed(error);
    return error;
  }

  private notGroww(call: GrowwCall, res: HttpResponse): BrokerError {
    const base = this.options.http.baseUrl;
    return new BrokerError('unavailable', this.scrub(`${this.describe(call)}: HTTP ${res.status} from ${base}${call.path} (${contentType(res)}), not the Groww API`), 'groww', {
      status: res.status,
      code: 'not_groww',
      hint: this.scrub(`is the API URL right? ptexec called ${base} (PTEXEC_GROWW_URL, else brokers.groww.api_url in config.json)`),
    });
  }

  /** A 2xx answer that is not Groww's envelope: a gateway's page or a body cut short. Nothing a read changed; it may be retried. */
  private malformed(call: GrowwCall, res: HttpResponse): BrokerError {
    const base = this.options.http.baseUrl;
    return new BrokerError('protocol', this.scrub(`${this.describe(call)}: HTTP ${res.status} (${contentType(res)}) without Groww's {"status": …} envelope`), 'groww', {
      status: res.status,
      code: 'not_groww',
      hint: this.scrub(`try again; if it persists, is the API URL right? ptexec called ${base} (PTEXEC_GROWW_URL, else brokers.groww.api_url in config.json)`),
    });
  }

  private describe(call: GrowwCall): string {
    return this.scrub(`${call.method} ${call.path}`);
  }

  private scrub(text: string): string {
    return this.secrets.scrub(text);
  }
}
