import { PtexecError } from './ptexec-error.js';

/**
 * Typed broker failures. Adapters translate wire errors into these; the engine and the CLI
 * decide what to do from the kind alone (retry, stop, resolve, exit code).
 */
export type BrokerErrorKind =
  | 'auth' // token missing/expired/invalid: log in again
  | 'input' // the request was malformed or a value invalid: never retry as is
  | 'rejected' // the broker/exchange refused the order (margin, price band, RMS…)
  | 'rate_limited' // 429: slow down and retry later
  | 'unavailable' // 5xx, connection refused, circuit open: retry later
  | 'unknown_outcome' // sent, but we don't know whether it arrived: look it up before re-sending
  | 'not_found' // no such order/instrument
  | 'protocol'; // the broker answered something we cannot parse

export class BrokerError extends PtexecError {
  readonly category = 'broker' as const;

  constructor(
    readonly kind: BrokerErrorKind,
    message: string,
    readonly broker: string,
    /**
     * `hint`: what the user can do, where the kind's usual advice would mislead. `notPlaced`: the
     * broker answered that it did not act on the request at all (a session it refused before the
     * order reached its order system), so a placement that failed so placed nothing.
     */
    readonly details: { status?: number; code?: string; retryAfterMs?: number; hint?: string; notPlaced?: boolean } = {},
  ) {
    super(message, { hint: details.hint });
    this.name = 'BrokerError';
  }

  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

export function isBrokerError(err: unknown, kind?: BrokerErrorKind): err is BrokerError {
  return err instanceof BrokerError && (kind === undefined || err.kind === kind);
}
