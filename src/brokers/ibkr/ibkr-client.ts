import { readFileSync } from 'node:fs';
import { Agent } from 'undici';
import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';
import { type CallGuards, guardedSend } from '../http/guarded-call.js';
import { HttpClient, type HttpRequest, type HttpResponse } from '../http/http-client.js';
import { contentType } from '../http/response-facts.js';
import { mayHaveBeenProcessed, sendOrExplain } from '../http/transport-failure.js';
import type { IbkrSettings } from './config.js';
import type { IbkrEndpointClass } from './wire-facts.js';

export interface IbkrCall extends HttpRequest {
  /** Rate-limit classes the call counts against (every call counts against the gateway's 10/s). */
  cls?: IbkrEndpointClass;
  /** A write may have taken effect when its outcome is lost: it is never retried. */
  write?: boolean;
  /** Places, modifies or cancels an order: a refusal is the broker refusing the order. */
  order?: boolean;
  /** The call names one object (an order by id): a 404 means IBKR does not have it. */
  lookup?: boolean;
}

/** What the gateway sends when it refuses a call. */
interface IbkrProblem {
  error?: string;
  message?: string;
  statusCode?: number;
}

/** The undici dispatcher for the gateway: its self-signed certificate is accepted only where the settings allow it. */
export function gatewayDispatcher(settings: Pick<IbkrSettings, 'verify_tls' | 'ca_file' | 'timeout_ms'>): Agent {
  return new Agent({
    connect: { timeout: 5_000, rejectUnauthorized: settings.verify_tls, ...(settings.ca_file ? { ca: readFileSync(settings.ca_file, 'utf8') } : {}) },
    headersTimeout: settings.timeout_ms,
    bodyTimeout: settings.timeout_ms,
    keepAliveTimeout: 30_000,
    connections: 8,
  });
}

const LOGIN_HINT = 'log in to the Client Portal Gateway in a browser (its address, e.g. https://localhost:5000), then run `ptexec brokers login ibkr` to check';

/**
 * The Client Portal Gateway on the wire: JSON both ways, no token of ours (the gateway holds the
 * session the user opened in a browser), `{"error": …}` bodies for refusals. Reads are retried
 * with backoff; writes never are. Every call counts against the gateway's 10 requests a second.
 */
export class IbkrClient {
  readonly http: HttpClient;

  constructor(
    private readonly guards: CallGuards,
    settings: Pick<IbkrSettings, 'api_url' | 'timeout_ms'>,
    private readonly dispatcher: Agent,
  ) {
    this.http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms, dispatcher });
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** Calls an endpoint and returns its JSON answer. */
  async json<T>(call: IbkrCall): Promise<T> {
    const res = await guardedSend(
      this.guards,
      { cls: 'gateway', write: call.write },
      async () => {
        if (call.cls && call.cls !== 'gateway') await this.guards.limiter.acquire(call.cls);
        return sendOrExplain(this.http, { ...call, headers: { accept: 'application/json', ...call.headers } }, { where: describe(call), write: call.write, broker: 'ibkr' });
      },
      (r) => this.errorFrom(call, r),
    );
    return this.unwrap<T>(call, res);
  }

  private unwrap<T>(call: IbkrCall, res: HttpResponse): T {
    let body: unknown;
    let parsed = true;
    try {
      body = res.text.length === 0 ? undefined : JSON.parse(res.text);
    } catch {
      parsed = false;
    }
    if (!parsed || (res.status >= 200 && res.status < 300 && body === undefined)) {
      if (res.status >= 200 && res.status < 300) {
        if (call.order && call.write) throw new BrokerError('unknown_outcome', `${describe(call)}: HTTP ${res.status} with a body that is not the gateway's (${contentType(res)}); the order may have been taken`, 'ibkr', { status: res.status, code: 'not_ibkr' });
        throw new BrokerError('protocol', `${describe(call)}: HTTP ${res.status} with a body that is not the gateway's (${contentType(res)}); nothing was changed by this read, try again`, 'ibkr', { status: res.status });
      }
      throw new BrokerError('unavailable', `${describe(call)}: HTTP ${res.status} from ${this.http.baseUrl}${call.path} (${contentType(res)}), not the Client Portal Gateway`, 'ibkr', {
        status: res.status,
        code: 'not_ibkr',
        hint: `is the gateway's address right? ptexec called ${this.http.baseUrl} (PTEXEC_IBKR_URL, else brokers.ibkr.api_url in config.json)`,
      });
    }
    if (res.status < 200 || res.status >= 300) throw this.errorFrom(call, res, body as IbkrProblem);
    const problem = body as IbkrProblem | undefined;
    if (problem && typeof problem === 'object' && !Array.isArray(problem) && typeof problem.error === 'string') throw this.errorFrom(call, res, problem);
    return body as T;
  }

  private errorFrom(call: IbkrCall, res: HttpResponse, parsed?: IbkrProblem): BrokerError {
    let problem = parsed;
    if (!problem) {
      try {
        problem = JSON.parse(res.text) as IbkrProblem;
      } catch {
        problem = undefined;
      }
    }
    const text = problem?.error ?? problem?.message;
    const kind = ibkrErrorKind(res.status, call);
    const what = `${describe(call)}: HTTP ${res.status}${text ? `: ${text}` : ''}`;
    if (kind === 'auth') return new BrokerError('auth', `the Client Portal Gateway is not logged in to IBKR (or its session ended) — ${what}`, 'ibkr', { status: res.status, code: 'not_authenticated', hint: LOGIN_HINT });
    if (kind === 'rate_limited') return new BrokerError('rate_limited', `${describe(call)}: rate limited by the gateway (HTTP 429; it allows 10 requests a second)`, 'ibkr', { status: 429 });
    const error = new BrokerError(kind, what, 'ibkr', { status: res.status });
    // A bare 5xx on a write says nothing about whether IBKR took it: the engine must look it up.
    if (call.write && res.status >= 500 && !text) return mayHaveBeenProcessed(error);
    return error;
  }
}

/**
 * The gateway's statuses → our kinds: 401 the brokerage session is not authenticated, 429 too
 * many requests, 5xx the gateway or IBKR's back end; a refusal of an order write (4xx, or a 200
 * with `error`) is IBKR refusing the order; a 404 of a lookup is an order IBKR does not have.
 */
export function ibkrErrorKind(status: number, call: Pick<IbkrCall, 'order' | 'write' | 'lookup'>): BrokerErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  if (status === 404 && call.lookup) return 'not_found';
  return call.order && call.write ? 'rejected' : 'input';
}

function describe(call: Pick<IbkrCall, 'method' | 'path'>): string {
  return `${call.method} ${call.path}`;
}
