import { BrokerError } from '../domain/broker-errors.js';
import { InvalidInputError } from '../domain/input-error.js';
import { issueText, type InputIssue } from '../domain/input-issue.js';
import { StorageError } from '../domain/storage-error.js';
import { TargetParseError } from '../domain/target-parse-error.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** What an error may carry besides its message (README "Output contract"). */
export interface ErrorDetails {
  /** Each problem of an input file, located: `--json` prints them as the error's `issues`. */
  issues?: InputIssue[];
  /** The result that goes with the failure (a blocked run's plan and verdicts): `--json` prints it around the error. */
  result?: Record<string, unknown>;
}

/**
 * An expected failure: the message is for the user (what, where, how to fix) and the exit code
 * is documented. Anything that is not a PtexecError (or a mapped BrokerError) is a bug: exit 1.
 */
export class PtexecError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'PtexecError';
  }
}

/** Invalid input or usage: nothing was sent (exit 2). */
export class InputError extends PtexecError {
  constructor(message: string, hint?: string, details?: ErrorDetails) {
    super(message, ExitCode.usage, hint, details);
    this.name = 'InputError';
  }
}

/** Another run holds the account lock, or the run already exists (exit 6). */
export class ConflictError extends PtexecError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.conflict, hint);
    this.name = 'ConflictError';
  }
}

/** Pre-trade checks blocked the run (exit 3). */
export class BlockedError extends PtexecError {
  constructor(message: string, hint?: string, details?: ErrorDetails) {
    super(message, ExitCode.blocked, hint, details);
    this.name = 'BlockedError';
  }
}

/** An error as the user sees it, on stderr and with `--json`. */
export interface ErrorReport {
  /** One line: what went wrong. */
  message: string;
  /** The lines under it on stderr: each issue, or the rest of a longer message. */
  details: string[];
  hint?: string;
  exitCode: ExitCodeValue;
  bug: boolean;
  issues: InputIssue[];
  result?: Record<string, unknown>;
}

/** Issues listed on stderr; `--json` has them all. */
const MAX_LISTED_ISSUES = 20;

/** Maps any thrown value to what the user is told and the exit code. */
export function describeError(err: unknown): ErrorReport {
  if (err instanceof PtexecError) return report(err.message, err.exitCode, err.hint, err.details.issues, err.details.result);
  if (err instanceof TargetParseError) return report('invalid target portfolio, nothing was sent', ExitCode.usage, 'fix the file and run again (formats: README "Input formats")', err.issues);
  // The engine's message names the places itself (twenty unknown symbols, then a count).
  if (err instanceof InvalidInputError) return { ...report(err.message, ExitCode.usage, err.hint), issues: err.issues };
  if (err instanceof StorageError) return report(...describeStorageError(err));
  if (err instanceof BrokerError) {
    const beforeSend = err.kind === 'auth' || err.kind === 'unavailable' || err.kind === 'rate_limited';
    const hint =
      err.details.hint ??
      (err.kind === 'auth' ? `log in again with \`ptexec brokers login ${err.broker}\`` : err.kind === 'unavailable' ? 'check the network or the broker status page, then retry' : undefined);
    return report(`${err.broker}: ${err.message}`, beforeSend ? ExitCode.brokerUnavailable : ExitCode.incomplete, hint);
  }
  const message = err instanceof Error ? err.message : String(err);
  return { ...report(message, ExitCode.internal), bug: true };
}

/**
 * A message's first line is the error; the lines under it are its details on stderr, where the
 * located issues, when there are some, take their place.
 */
function report(text: string, exitCode: ExitCodeValue, hint?: string, issues: InputIssue[] = [], result?: Record<string, unknown>): ErrorReport {
  const [message = '', ...rest] = text.split('\n');
  let details = rest.filter((line) => line.trim() !== '');
  if (issues.length) {
    details = issues.slice(0, MAX_LISTED_ISSUES).map(issueText);
    if (issues.length > MAX_LISTED_ISSUES) details.push(`… and ${issues.length - MAX_LISTED_ISSUES} more`);
  }
  return { message, details, hint, exitCode, bug: false, issues, result };
}

/**
 * `--json`'s error object: one line of message (a longer message's lines joined), the hint, the
 * exit code and the located issues (always present, maybe empty).
 */
export function errorJson(r: ErrorReport): { message: string; hint: string | null; exit_code: number; issues: InputIssue[] } {
  const message = r.issues.length || r.details.length === 0 ? r.message : [r.message, ...r.details.map((d) => d.trim())].join('; ');
  return { message, hint: r.hint ?? null, exit_code: r.exitCode, issues: r.issues.map(issueJson) };
}

/** An issue with only the fields it has, in a stable order. */
function issueJson(i: InputIssue): InputIssue {
  const { file, line, path, field, message, fix } = i;
  return { file, ...(line !== undefined && { line }), ...(path !== undefined && { path }), ...(field !== undefined && { field }), message, ...(fix !== undefined && { fix }) };
}

/**
 * The database is the problem (exit 7). A run it stopped is resumable once the cause is fixed;
 * a full disk during a run is an interruption like Ctrl-C (exit 130).
 */
function describeStorageError(err: StorageError): [string, ExitCodeValue, string] {
  if (err.runId === undefined) return [err.message, ExitCode.storage, err.hint];
  return [
    `run ${err.runId} stopped: ${err.message}`,
    err.kind === 'full' ? ExitCode.interrupted : ExitCode.storage,
    err.resumable ? `${err.hint}, then continue the run with \`ptexec resume ${err.runId}\`` : err.hint,
  ];
}
