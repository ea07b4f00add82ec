import type { InputIssue } from './input-issue.js';

/**
 * Input that cannot be acted on (unknown symbols, a plan that cannot be built), found by the
 * engine. Maps to exit 2: nothing was sent. `issues` locates each problem in the input file.
 */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly issues: InputIssue[] = [],
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
