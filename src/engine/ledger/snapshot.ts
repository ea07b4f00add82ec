import { newEvent, type AccountSnapshotted, type NewEvent, type PayloadOf } from '../../domain/events/index.js';

/**
 * `account.snapshot`: what the broker reported at one moment. Reconciliation compares the latest
 * one plus ptexec's fills since with the broker; P&L opens its book from the first one.
 */
export function accountSnapshotEvent(payload: PayloadOf<'account.snapshot'>, runId: string | null = null, marketTs?: number): NewEvent<AccountSnapshotted> {
  return newEvent(runId, 'account.snapshot', payload, marketTs);
}
