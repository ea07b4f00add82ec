import { PtexecError } from './ptexec-error.js';

/** Another run holds the account lock, or the run already exists: nothing was sent. */
export class ConflictError extends PtexecError {
  readonly category = 'conflict' as const;

  constructor(message: string, hint?: string) {
    super(message, { hint });
    this.name = 'ConflictError';
  }
}
