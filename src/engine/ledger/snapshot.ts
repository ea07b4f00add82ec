import type { Funds, Holding, Position } from '../../domain/account.js';
import type { NewEvent } from '../../domain/events.js';

export interface AccountSnapshotPayload {
  broker: string;
  account: string;
  /** Why it was taken: 'run-start', 'reconcile-accept', … */
  reason: string;
  holdings: Holding[];
  positions: Position[];
  funds: Funds;
}

/**
 * `account.snapshot`: what the broker reported at one moment. Reconciliation compares the latest
 * one plus ptexec's fills since with the broker; P&L opens its book from the first one.
 */
export function accountSnapshotEvent(payload: AccountSnapshotPayload, runId: string | null = null, marketTs?: number): NewEvent<'account.snapshot', AccountSnapshotPayload> {
  return { runId, type: 'account.snapshot', payload, marketTs };
}
