import type { Funds, Holding, Position } from '../account.js';

/**
 * What the broker reported at one moment. Reconciliation compares the latest one plus ptexec's
 * fills since with the broker; P&L opens its book from the first one.
 */
export interface AccountSnapshotted {
  type: 'account.snapshot';
  payload: {
    broker: string;
    account: string;
    /** Why it was taken: 'run-start', 'reconcile-accept', … */
    reason: string;
    holdings: Holding[];
    positions: Position[];
    funds: Funds;
  };
}
