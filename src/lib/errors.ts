import { BrokerError } from '../domain/errors/broker-error.js';
import { PtexecError } from '../domain/errors/ptexec-error.js';
import { StorageError } from '../domain/errors/storage-error.js';
import { TargetParseError } from '../domain/errors/target-parse-error.js';
import { issueText, type InputIssue } from '../domain/input-issue.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

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

/**
 * Maps any thrown value to what the user is told and the exit code (README "Exit codes"): the
 * one place where the error taxonomy (domain/errors/) meets the CLI. Anything that is not a
 * PtexecError is a bug: exit 1.
 */
export function describeError(err: unknown): ErrorReport {
  if (!(err instanceof PtexecError)) {
    const message = err instanceof Error ? err.message : String(err);
    return { ...report(message, ExitCode.internal), bug: true };
  }
  switch (err.category) {
    case 'invalid_input': {
      // A target file's own message names the file; the issues under it say where.
      const message = err instanceof TargetParseError ? 'invalid target portfolio, nothing was sent' : err.message;
      if (err.issuesInMessage) return { ...report(message, ExitCode.usage, err.hint, [], err.result), issues: err.issues };
      return report(message, ExitCode.usage, err.hint, err.issues, err.result);
    }
    case 'conflict':
      return report(err.message, ExitCode.conflict, err.hint);
    case 'blocked':
      return report(err.message, ExitCode.blocked, err.hint, err.issues, err.result);
    case 'storage':
      return report(...describeStorageError(err as StorageError));
    case 'broker':
      return report(...describeBrokerError(err as BrokerError));
  }
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

/** Before anything was sent (a login, the broker out of reach) it is exit 5; during a run, 4. */
function describeBrokerError(err: BrokerError): [string, ExitCodeValue, string | undefined] {
  const beforeSend = err.kind === 'auth' || err.kind === 'unavailable' || err.kind === 'rate_limited';
  const hint =
    err.hint ?? (err.kind === 'auth' ? `log in again with \`ptexec brokers login ${err.broker}\`` : err.kind === 'unavailable' ? 'check the network or the broker status page, then retry' : undefined);
  return [`${err.broker}: ${err.message}`, beforeSend ? ExitCode.brokerUnavailable : ExitCode.incomplete, hint];
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
