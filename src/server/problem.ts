import { BrokerError } from '../domain/errors/broker-error.js';
import { describeError, errorJson } from '../lib/errors.js';
import { ExitCode, type ExitCodeValue } from '../lib/exit-codes.js';

/**
 * An error as the API answers it: an RFC 9457 problem document (`application/problem+json`).
 * Besides the standard members it carries the CLI's exit code for the same failure
 * (`exit_code`), the hint, the located input issues and the request id that is also in the
 * request's log line.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** A problem a route answers on purpose (not found, a bad body, no token…). */
export class HttpProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'HttpProblem';
  }
}

const TITLES: Record<string, string> = {
  'invalid-input': 'Invalid input: nothing was sent',
  'malformed-request': 'Malformed request',
  blocked: 'Blocked by the pre-trade checks: nothing was sent',
  conflict: 'Conflict with another run',
  'broker-unavailable': 'The broker cannot be reached',
  'broker-failed': 'The broker failed',
  storage: 'The database cannot be used',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  unauthorized: 'Authentication required',
  forbidden: 'The token lacks the scope this needs',
  'too-large': 'Request body too large',
  'rate-limited': 'Too many requests',
  'unsupported-media-type': 'Unsupported media type',
  'idempotency-key-reused': 'Idempotency-Key reused with a different request',
  'shutting-down': 'The server is shutting down',
  internal: 'Internal error',
};

/** A problem of one of the kinds above; `type` is `urn:ptexec:problem:<kind>`. */
export function problem(kind: keyof typeof TITLES, status: number, detail?: string, extensions: Record<string, unknown> = {}): Problem {
  return { type: `urn:ptexec:problem:${kind}`, title: TITLES[kind]!, status, ...(detail === undefined ? {} : { detail }), ...extensions };
}

export function httpProblem(kind: keyof typeof TITLES, status: number, detail?: string, extensions?: Record<string, unknown>): HttpProblem {
  return new HttpProblem(problem(kind, status, detail, extensions));
}

/**
 * The one mapping from what was thrown to the answer, by the same classes as the CLI's exit
 * codes (lib/errors.ts): invalid input 422, blocked 409 (with the verdicts), another run or the
 * lock 409, the broker out of reach 503 (another broker failure 502), the database 503, and
 * anything else — a bug — 500 with only the request id, never a message or a stack.
 */
export function problemFromError(err: unknown, requestId: string): { problem: Problem; bug: boolean } {
  if (err instanceof HttpProblem) return { problem: { ...err.problem, request_id: requestId }, bug: false };
  const report = describeError(err);
  const json = errorJson(report);
  const common = { exit_code: report.exitCode, hint: json.hint, issues: json.issues, request_id: requestId };
  const as = (kind: string, status: number, extra: Record<string, unknown> = {}) => ({ problem: problem(kind, status, json.message, { ...common, ...extra }), bug: false });
  switch (report.exitCode as ExitCodeValue) {
    case ExitCode.usage:
      return as('invalid-input', 422);
    case ExitCode.blocked:
      return as('blocked', 409, report.result ? { result: report.result } : {});
    case ExitCode.conflict:
      return as('conflict', 409);
    case ExitCode.brokerUnavailable:
      return as('broker-unavailable', err instanceof BrokerError && err.kind === 'auth' ? 502 : 503);
    case ExitCode.incomplete:
      return as('broker-failed', 502);
    case ExitCode.storage:
    case ExitCode.interrupted:
      return as('storage', 503);
    default:
      return { problem: problem('internal', 500, `an unexpected error; its id is ${requestId} (in the server's log)`, { exit_code: ExitCode.internal, request_id: requestId }), bug: true };
  }
}
