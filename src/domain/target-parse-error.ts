/*
 * Kept apart from the schemas so that mapping errors to exit codes does not load zod: every
 * command imports the error mapping, and zod costs about 0.1 s to import.
 */

/** A problem with the input, located precisely, with the fix. */
export interface TargetIssue {
  location: string;
  message: string;
}

export class TargetParseError extends Error {
  constructor(
    readonly source: string,
    readonly issues: TargetIssue[],
  ) {
    super(`${source}: ${issues.length === 1 ? issues[0]!.message : `${issues.length} problems`}`);
    this.name = 'TargetParseError';
  }
}
