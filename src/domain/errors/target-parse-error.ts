/*
 * Kept apart from the schemas so that mapping errors to exit codes does not load zod: every
 * command imports the error mapping, and zod costs about 0.1 s to import.
 */
import type { InputIssue } from '../input-issue.js';
import { InvalidInputError } from './invalid-input-error.js';

/** A problem with a target file, located precisely (file, line or JSON path, field). */
export type TargetIssue = InputIssue;

/** A target file with problems: every one of them, located. */
export class TargetParseError extends InvalidInputError {
  constructor(
    readonly source: string,
    issues: TargetIssue[],
  ) {
    super(`${source}: ${issues.length === 1 ? issues[0]!.message : `${issues.length} problems`}`, 'fix the file and run again (formats: README "Input formats")', { issues });
    this.name = 'TargetParseError';
  }
}
