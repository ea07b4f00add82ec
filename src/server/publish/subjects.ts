import { recordedTypeOf, type StoredEvent } from '../../domain/events/index.js';

/** The token of an event that belongs to no account (a halt of every account, a notification). */
export const NO_ACCOUNT = '_';

/**
 * An account as one subject token: NATS subjects split on `.` and treat `*`, `>` and white space
 * specially, so those become `_` (account ids are letters, digits, `-` and `_` at every broker we
 * know, so in practice the token is the account id).
 */
export function accountToken(account: string | null): string {
  if (account === null || account === '') return NO_ACCOUNT;
  return account.replace(/[.*>\s]/g, '_');
}

/** `ptexec.<account>.<event type>`: `order.created` of account AB1234 is `ptexec.AB1234.order.created`. */
export function subjectOf(prefix: string, account: string | null, e: StoredEvent): string {
  return `${prefix}.${accountToken(account)}.${recordedTypeOf(e)}`;
}

/** The JetStream message id of an event: JetStream drops a second message with the same id. */
export function messageIdOf(seq: number): string {
  return `ptexec-${seq}`;
}
