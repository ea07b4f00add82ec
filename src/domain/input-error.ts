/**
 * Input that cannot be acted on (unknown symbols, a plan that cannot be built), found by the
 * engine. Maps to exit 2: nothing was sent.
 */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'InvalidInputError';
  }
}
