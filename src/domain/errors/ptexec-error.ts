import type { InputIssue } from '../input-issue.js';

/**
 * What kind of failure it is, which is all the CLI needs to pick an exit code (lib/errors.ts) and
 * a server would need to pick a status. Each is the user's to act on, never a bug in ptexec.
 */
export type ErrorCategory =
  | 'invalid_input' // the input, a flag or a file is wrong: nothing was sent
  | 'conflict' // another run holds the account, or the run already exists
  | 'blocked' // the pre-trade checks or the kill switch refused
  | 'broker' // the broker refused, failed or could not be reached
  | 'storage'; // the database cannot be used

export interface ErrorOptions {
  /** What the user can do about it. */
  hint?: string;
  /** Each problem of an input file, located. */
  issues?: InputIssue[];
  /**
   * The message names the places itself (a long list cut short there): the issues are for
   * `--json`, not listed again under the message.
   */
  issuesInMessage?: boolean;
  /** The result that goes with the failure (a blocked run's plan and verdicts). */
  result?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * An expected failure: the message says what and where, the hint how to fix it. Anything thrown
 * that is not a PtexecError is a bug.
 */
export abstract class PtexecError extends Error {
  abstract readonly category: ErrorCategory;
  readonly hint?: string;
  readonly issues: InputIssue[];
  readonly issuesInMessage: boolean;
  readonly result?: Record<string, unknown>;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
    this.issues = options.issues ?? [];
    this.issuesInMessage = options.issuesInMessage ?? false;
    this.result = options.result;
  }
}
