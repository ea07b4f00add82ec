import { PtexecError, type ErrorOptions } from './ptexec-error.js';

/** The pre-trade checks or the kill switch refused: nothing was sent. */
export class BlockedError extends PtexecError {
  readonly category = 'blocked' as const;

  constructor(message: string, hint?: string, details: Omit<ErrorOptions, 'hint'> = {}) {
    super(message, { ...details, hint });
    this.name = 'BlockedError';
  }
}
