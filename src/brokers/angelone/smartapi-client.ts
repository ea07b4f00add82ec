import { BrokerError } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedSend } from '../http/guarded-call.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../http/http-client.js';
import { SecretList } from '../http/secret-list.js';
import { contentType, retryAfterMs } from '../http/response-facts.js';
import { mayHaveBeenProcessed, sendOrExplain } from '../http/transport-failure.js';
import { angelError } from './errors.js';
import type { AngelEndpointClass } from './wire.js';

/** The window SmartAPI's rate limits count in. */
const SMARTAPI_LIMIT_WINDOW_MS = 1_000;

export interface SmartApiCall {
  method: HttpMethod;
  path: string;
  cls: AngelEndpointClass;
  /** Sent as JSON (every SmartAPI POST body). */
  body?: Record<string, unknown>;
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** The login and token renewal carry no JWT. */
  anonymous?: boolean;
  timeoutMs?: number;
}

/** The addresses SmartAPI asks every client to declare. */
export interface ClientAddresses {
  localIp: string;
  publicIp: string;
  macAddress: string;
}

export interface SmartApiClientOptions extends CallGuards {
  http: HttpClient;
  apiKey: string;
  jwt?: string;
  addresses: ClientAddresses;
  /** Values to scrub from any error text (PIN, TOTP secret, tokens). */
  secrets?: string[];
}

/**
 * SmartAPI on the wire: the headers the official SDK sends on every call (X-PrivateKey,
 * X-UserType, X-SourceID, the client's addresses, Accept and Content-Type JSON), the bearer JWT,
 * and the `{status, message, errorcode, data}` envelope, where `status: false` is a refusal
 * whatever the HTTP status. Reads are retried with backoff; writes never are.
 */
export class SmartApiClient {
  private readonly secrets: SecretList;

  constructor(private readonly options: SmartApiClientOptions) {
    this.secrets = new SecretList(options.secrets, options.jwt);
  }

  private get jwt(): string | undefined {
    return this.secrets.token;
  }

  setJwt(jwt: string): void {
    this.secrets.setToken(jwt);
  }

  addSecret(value: string): void {
    this.secrets.add(value);
  }

  /** Calls an endpoint and returns the envelope's `data`. */
  async data<T>(call: SmartApiCall): Promise<T> {
    const res = await this.call(call);
    return this.unwrap<T>(call, res);
  }

  private call(call: SmartApiCall): Promise<HttpResponse> {
    return guardedSend(this.options, call, () => this.sendOnce(call), (res) => this.errorFrom(call, res));
  }

  private headers(call: SmartApiCall): Record<string, string> {
    const { addresses } = this.options;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'x-usertype': 'USER',
      'x-sourceid': 'WEB',
      'x-clientlocalip': addresses.localIp,
      'x-clientpublicip': addresses.publicIp,
      'x-macaddress': addresses.macAddress,
      'x-privatekey': this.options.apiKey,
    };
    if (!call.anonymous) headers.authorization = `Bearer ${this.jwt}`;
    return headers;
  }

  private async sendOnce(call: SmartApiCall): Promise<HttpResponse> {
    if (!call.anonymous && !this.jwt) throw new BrokerError('auth', 'not logged in to Angel One: no session token', 'angelone', { code: 'no_token' });
    const request = { method: call.method, path: call.path, json: call.body, headers: this.headers(call), timeoutMs: call.timeoutMs };
    return sendOrExplain(this.options.http, request, { where: this.describe(call), write: call.write, broker: 'angelone' });
  }

  private unwrap<T>(call: SmartApiCall, res: HttpResponse): T {
    const body = parseEnvelope(res.text);
    if (!body) {
      const ok = res.status >= 200 && res.status < 300;
      // An order write keeps its status-based meaning: whether the order may have been taken is what matters.
      if (call.write && call.cls === 'orders' && ok) {
        throw new BrokerError('unknown_outcome', this.scrub(`${this.describe(call)}: HTTP ${res.status} with a body that is not SmartAPI's; the order may have been taken`), 'angelone', { status: res.status, code: 'not_angel' });
      }
      throw this.notAngel(call, res, ok ? 'protocol' : 'unavailable');
    }
    if (res.status < 200 || res.status >= 300 || body.status === false || body.status === 'false') throw this.errorFrom(call, res, body);
    if (!('data' in body)) throw new BrokerError('protocol', this.scrub(`${this.describe(call)}: no data in a success response (HTTP ${res.status})`), 'angelone');
    return body.data as T;
  }

  private errorFrom(call: SmartApiCall, res: HttpResponse, parsed?: Envelope): BrokerError {
    const body = parsed ?? parseEnvelope(res.text);
    const code = body?.errorcode || body?.errorCode || undefined;
    const error = angelError({
      request: this.describe(call),
      status: res.status,
      code: typeof code === 'string' ? code : undefined,
      message: typeof body?.message === 'string' ? body.message : res.status >= 400 && !body ? res.text.slice(0, 200) : undefined,
      // SmartAPI's limits count calls per second and its refusal names no wait: a second is enough.
      retryAfterMs: retryAfterMs(res) ?? SMARTAPI_LIMIT_WINDOW_MS,
      withToken: !call.anonymous,
    });
    error.message = this.scrub(error.message);
    // A bare 5xx on a write says nothing about whether SmartAPI took the order.
    if (call.write && res.status >= 500 && !code) return mayHaveBeenProcessed(error);
    return error;
  }

  /**
   * An answer that is not SmartAPI's: a success status with another body is a garbled answer
   * (`protocol`); an error page is most likely the wrong address (`unavailable`, exit 5). Both name the URL.
   */
  private notAngel(call: SmartApiCall, res: HttpResponse, kind: 'protocol' | 'unavailable'): BrokerError {
    const base = this.options.http.baseUrl;
    return new BrokerError(kind, this.scrub(`${this.describe(call)}: HTTP ${res.status} from ${base}${call.path} (${contentType(res)}), not the SmartAPI envelope`), 'angelone', {
      status: res.status,
      code: 'not_angel',
      hint: `is the API URL right? ptexec called ${base} (PTEXEC_ANGELONE_URL, else brokers.angelone.api_url in config.json)`,
    });
  }

  private describe(call: SmartApiCall): string {
    return `${call.method} ${call.path}`;
  }

  private scrub(text: string): string {
    return this.secrets.scrub(text, [this.jwt]);
  }
}

interface Envelope {
  status?: boolean | string;
  message?: unknown;
  errorcode?: unknown;
  /** The gateway's AG… answers spell it this way (`{"success":false,"errorCode":"AG8001"}`). */
  errorCode?: unknown;
  success?: boolean;
  data?: unknown;
}

/** The SmartAPI envelope (status or, from the gateway, success), or undefined when the body is something else. */
function parseEnvelope(text: string): Envelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const envelope = body as Envelope;
  if (envelope.status === undefined && typeof envelope.success === 'boolean') envelope.status = envelope.success;
  if (envelope.status === undefined) return undefined;
  return envelope;
}
