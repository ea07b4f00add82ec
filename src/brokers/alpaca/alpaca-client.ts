import { BrokerError } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedSend } from '../http/guarded-call.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-client.js';
import { contentType } from '../http/response-facts.js';
import { SecretList } from '../http/secret-list.js';
import { mayHaveBeenProcessed, sendOrExplain } from '../http/transport-failure.js';
import { type AlpacaProblem, alpacaError } from './alpaca-errors.js';
import type { AlpacaEndpointClass } from './wire-facts.js';

export interface AlpacaCall extends HttpRequest {
  cls: AlpacaEndpointClass;
  /** `data`: the market-data host; `trading` otherwise. */
  host?: 'trading' | 'data';
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** The call names one object (an order by id): a 404 means Alpaca does not have it. */
  lookup?: boolean;
}

export interface AlpacaClientOptions extends CallGuards {
  trading: HttpClient;
  data: HttpClient;
  keyId: string;
  secretKey: string;
}

/**
 * Alpaca on the wire: the key pair in `APCA-API-KEY-ID` / `APCA-API-SECRET-KEY`, bare JSON
 * answers, `{"code","message"}` errors. Reads are retried with backoff; writes never are. Every
 * failure becomes a typed BrokerError with the secret scrubbed out.
 */
export class AlpacaClient {
  private readonly secrets: SecretList;

  constructor(private readonly options: AlpacaClientOptions) {
    this.secrets = new SecretList([options.secretKey]);
  }

  /** Calls an endpoint and returns its JSON answer (undefined for an empty 2xx, a cancel's 204). */
  async json<T>(call: AlpacaCall): Promise<T> {
    const res = await guardedSend(this.options, call, () => this.sendOnce(call), (r) => this.errorFrom(call, r));
    return this.read<T>(call, res);
  }

  private sendOnce(call: AlpacaCall): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', 'apca-api-key-id': this.options.keyId, 'apca-api-secret-key': this.options.secretKey, ...call.headers };
    const http = call.host === 'data' ? this.options.data : this.options.trading;
    return sendOrExplain(http, { ...call, headers }, { where: this.describe(call), write: call.write, broker: 'alpaca' });
  }

  private parse(res: HttpResponse): unknown {
    if (!res.text) return undefined;
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      return Symbol.for('not-json');
    }
  }

  private read<T>(call: AlpacaCall, res: HttpResponse): T {
    const body = this.parse(res);
    const notJson = body === Symbol.for('not-json');
    const orderWrite = call.write === true;
    if (res.status >= 200 && res.status < 300) {
      if (!notJson) return body as T;
      if (orderWrite) throw new BrokerError('unknown_outcome', this.scrub(`${this.describe(call)}: HTTP ${res.status} with a body that is not Alpaca's (${contentType(res)}); the order may have been taken`), 'alpaca', { status: res.status, code: 'not_alpaca' });
      throw new BrokerError('protocol', this.scrub(`${this.describe(call)}: HTTP ${res.status} with a body that is not an Alpaca answer (${contentType(res)}); nothing was changed by this read, try again`), 'alpaca', { status: res.status });
    }
    if (res.status === 404 && !call.lookup && (notJson || !isProblem(body))) {
      const http = call.host === 'data' ? this.options.data : this.options.trading;
      throw new BrokerError('unavailable', this.scrub(`${this.describe(call)}: HTTP 404 from ${http.baseUrl}${call.path}: no such Alpaca endpoint`), 'alpaca', {
        status: 404,
        code: 'not_alpaca',
        hint: `is the API URL right? ptexec called ${http.baseUrl} (PTEXEC_ALPACA_URL, else brokers.alpaca.trading_url / data_url in config.json)`,
      });
    }
    throw this.errorFrom(call, res);
  }

  private errorFrom(call: AlpacaCall, res: HttpResponse): BrokerError {
    const body = this.parse(res);
    const problem = isProblem(body) ? body : undefined;
    const error = alpacaError({ request: this.describe(call), status: res.status, problem, orderWrite: call.write });
    const retryAfter = Number(res.headers['retry-after']);
    if (error.kind === 'rate_limited' && Number.isFinite(retryAfter) && retryAfter > 0) error.details.retryAfterMs = retryAfter * 1000;
    error.message = this.scrub(error.message);
    // A bare 5xx from a gateway on a write says nothing about whether Alpaca took the order.
    if (call.write && res.status >= 500 && !problem) return mayHaveBeenProcessed(error);
    return error;
  }

  private describe(call: AlpacaCall): string {
    return this.scrub(`${call.method} ${call.path}`);
  }

  private scrub(text: string): string {
    return this.secrets.scrub(text);
  }
}

function isProblem(body: unknown): body is AlpacaProblem {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && ('code' in body || 'message' in body);
}
