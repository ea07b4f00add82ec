import { BrokerError, type BrokerErrorKind } from '../../domain/errors/broker-error.js';

/** A failure of the paper broker, in the terms every adapter answers in (see domain/broker-errors). */
export function paperError(kind: BrokerErrorKind, message: string, details?: BrokerError['details']): BrokerError {
  return new BrokerError(kind, message, 'paper', details);
}
