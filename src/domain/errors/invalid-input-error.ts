import { PtexecError, type ErrorOptions } from './ptexec-error.js';

/**
 * Input that cannot be acted on: a flag, a file, unknown symbols, a plan that cannot be built.
 * Nothing was sent. `details.issues` locates each problem in the input file.
 */
export class InvalidInputError extends PtexecError {
  readonly category = 'invalid_input' as const;

  constructor(message: string, hint?: string, details: Omit<ErrorOptions, 'hint'> = {}) {
    super(message, { ...details, hint });
    this.name = 'InvalidInputError';
  }
}
