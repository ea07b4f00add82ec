/*
 * Kept apart from the schemas so that mapping errors to exit codes does not load zod: every
 * command imports the error mapping, and zod costs about 0.1 s to import.
 */
import type { InputIssue } from './input-issue.js';

/** A problem with a target file, located precisely (file, line or JSON path, field). */
export type TargetIssue = InputIssue;

export class TargetParseError extends Error {
  constructor(
    readonly source: string,
    readonly issues: TargetIssue[],
  ) {
    super(`${source}: ${issues.length === 1 ? issues[0]!.message : `${issues.length} problems`}`);
    this.name = 'TargetParseError';
  }
}
