import { BrokerError } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedSend } from '../http/guarded-call.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/http-client.js';
import { contentType, retryAfterMs } from '../http/response-facts.js';
import type { SecretList } from '../http/secret-list.js';
import { mayHaveBeenProcessed, sendOrExplain } from '../http/transport-failure.js';
import { schwabError, type SchwabProblem } from './schwab-errors.js';
import type { SchwabTokens } from './schwab-tokens.js';
import type { SchwabEndpointClass } from './wire-facts.js';

export interface SchwabCall extends HttpRequest {
  cls: SchwabEndpointClass;
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** The market data API rather than the Trader API. */
  marketData?: boolean;
  /** Called as the request leaves (after its rate-limit wait): the moment a placement went out. */
  onSend?: () => void;
}

export interface SchwabClientOptions extends CallGuards {
  trader: HttpClient;
  marketData: HttpClient;
  tokens: SchwabTokens;
  secrets: SecretList;
}

/**
 * Schwab's APIs on the wire: `Authorization: Bearer <token>`, JSON both ways, bare JSON answers
 * (no envelope), errors `{message, errors}`. Reads are retried with backoff; writes never are.
 * A 401 renews the access token once (when the adapter can) and repeats the call: Schwab refused
 * it at the door, so nothing was done. Every failure becomes a typed BrokerError with Schwab's
 * reason and the secrets scrubbed out.
 */
export class SchwabClient {
  constructor(private readonly options: SchwabClientOptions) {}

  /** Calls an endpoint and returns its JSON answer. */
  async json<T>(call: SchwabCall): Promise<T> {
    const res = await this.call(call);
    if (res.status < 200 || res.status >= 300) throw this.errorFrom(call, res);
    try {
      return JSON.parse(res.text) as T;
    } catch {
      if (res.status === 404) throw this.notSchwab(call, res);
      throw this.malformed(call, res);
    }
  }

  /**
   * A write answered without a body (201 Created for a placement or replacement, 200 for a
   * cancel); returns the `Location` header, which names the new order.
   */
  async write(call: SchwabCall): Promise<{ location?: string; status: number }> {
    const res = await this.call({ ...call, write: true });
    if (res.status < 200 || res.status >= 300) throw this.errorFrom({ ...call, write: true }, res);
    const location = res.headers.location;
    return { location: Array.isArray(location) ? location[0] : location, status: res.status };
  }

  private call(call: SchwabCall): Promise<HttpResponse> {
    return guardedSend(this.options, { cls: call.cls, write: call.write }, () => this.sendAuthorized(call), (res) => this.errorFrom(call, res));
  }

  private async sendAuthorized(call: SchwabCall): Promise<HttpResponse> {
    const token = await this.options.tokens.current();
    const res = await this.sendOnce(call, token);
    if (res.status !== 401 || !(await this.options.tokens.afterRefusal(token))) return res;
    return this.sendOnce(call, await this.options.tokens.current());
  }

  private sendOnce(call: SchwabCall, token: string): Promise<HttpResponse> {
    const { onSend, marketData, cls: _cls, write: _write, ...request } = call;
    const http = marketData ? this.options.marketData : this.options.trader;
    const headers = { accept: 'application/json', authorization: `Bearer ${token}`, ...call.headers };
    onSend?.();
    return sendOrExplain(http, { ...request, headers }, { where: this.describe(call), write: call.write, broker: 'schwab' });
  }

  private errorFrom(call: SchwabCall, res: HttpResponse): BrokerError {
    let problem: SchwabProblem | undefined;
    try {
      problem = JSON.parse(res.text) as SchwabProblem;
    } catch {
      problem = undefined;
    }
    if (!problem && res.status === 404) return this.notSchwab(call, res);
    const error = schwabError({ request: this.describe(call), status: res.status, problem, orderWrite: call.write && call.cls === 'orders', retryAfterMs: retryAfterMs(res) });
    error.message = this.scrub(error.message);
    // A 5xx on a write says nothing about whether Schwab took it.
    if (call.write && res.status >= 500) return mayHaveBeenProcessed(error);
    return error;
  }

  private notSchwab(call: SchwabCall, res: HttpResponse): BrokerError {
    const base = (call.marketData ? this.options.marketData : this.options.trader).baseUrl;
    const variable = call.marketData ? 'PTEXEC_SCHWAB_MARKETDATA_URL, else brokers.schwab.marketdata_url' : 'PTEXEC_SCHWAB_URL, else brokers.schwab.api_url';
    return new BrokerError('unavailable', this.scrub(`${this.describe(call)}: HTTP ${res.status} from ${base}${call.path} (${contentType(res)}), not the Schwab API`), 'schwab', {
      status: res.status,
      code: 'not_schwab',
      hint: `is the API URL right? ptexec called ${base} (${variable} in config.json)`,
    });
  }

  /** A 2xx answer that is not JSON: a gateway's page or a body cut short. Nothing a read changed; it may be tried again. */
  private malformed(call: SchwabCall, res: HttpResponse): BrokerError {
    return new BrokerError('protocol', this.scrub(`${this.describe(call)}: HTTP ${res.status} (${contentType(res)}) that is not Schwab's JSON`), 'schwab', {
      status: res.status,
      code: 'not_json',
      hint: 'try again; if it persists, check the Schwab API URL (PTEXEC_SCHWAB_URL, else brokers.schwab.api_url in config.json)',
    });
  }

  private describe(call: SchwabCall): string {
    return this.scrub(`${call.method} ${call.path}`);
  }

  private scrub(text: string): string {
    return this.options.secrets.scrub(text);
  }
}
