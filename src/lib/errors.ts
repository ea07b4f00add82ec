import { BrokerError } from '../domain/broker-errors.js';
import { DatabaseBusyError } from '../domain/database-busy.js';
import { InvalidInputError } from '../domain/input-error.js';
import { TargetParseError } from '../domain/target-parse-error.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/**
 * An expected failure: the message is for the user (what, where, how to fix) and the exit code
 * is documented. Anything that is not a PtexecError (or a mapped BrokerError) is a bug: exit 1.
 */
export class PtexecError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PtexecError';
  }
}

/** Invalid input or usage: nothing was sent (exit 2). */
export class InputError extends PtexecError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.usage, hint);
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
  constructor(message: string, hint?: string) {
    super(message, ExitCode.blocked, hint);
    this.name = 'BlockedError';
  }
}

/** Maps any thrown value to a user message and exit code. */
export function describeError(err: unknown): { message: string; hint?: string; exitCode: ExitCodeValue; bug: boolean } {
  if (err instanceof PtexecError) return { message: err.message, hint: err.hint, exitCode: err.exitCode, bug: false };
  if (err instanceof TargetParseError) {
    const lines = err.issues.slice(0, 20).map((i) => `${i.location}: ${i.message}`);
    if (err.issues.length > 20) lines.push(`… and ${err.issues.length - 20} more`);
    return { message: `invalid target portfolio, nothing was sent\n${lines.join('\n')}`, hint: 'fix the file and run again (formats: README "Input formats")', exitCode: ExitCode.usage, bug: false };
  }
  if (err instanceof InvalidInputError) return { message: err.message, hint: err.hint, exitCode: ExitCode.usage, bug: false };
  if (err instanceof DatabaseBusyError) return { message: err.message, hint: 'try again once the other process has finished writing', exitCode: ExitCode.conflict, bug: false };
  if (err instanceof BrokerError) {
    const beforeSend = err.kind === 'auth' || err.kind === 'unavailable' || err.kind === 'rate_limited';
    const hint =
      err.kind === 'auth' ? `log in again with \`ptexec brokers login ${err.broker}\`` : err.kind === 'unavailable' ? 'check the network or the broker status page, then retry' : undefined;
    return { message: `${err.broker}: ${err.message}`, hint, exitCode: beforeSend ? ExitCode.brokerUnavailable : ExitCode.incomplete, bug: false };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message, exitCode: ExitCode.internal, bug: true };
}
