import type { RiskReason, RiskVerdict } from '../risk-reason.js';

/**
 * The risk events. `risk.checked` records each decision of the gate (who asked, about what,
 * when, the verdict and why) and is appended in the same transaction as the order event it
 * guards. `risk.halted`/`risk.unhalted` belong to no run: the kill switch applies to every
 * process using the database.
 */
export interface RiskChecked {
  type: 'risk.checked';
  payload: {
    scope: 'leg' | 'order' | 'run';
    /** What asked: `plan`, `gate`, or a command name. */
    actor: string;
    leg?: number;
    clientOrderId?: string;
    parentId?: string;
    symbol?: string;
    exchange?: string;
    side?: string;
    quantity?: number;
    verdict: RiskVerdict;
    reasons: RiskReason[];
  };
}

export interface RiskHalted {
  type: 'risk.halted';
  payload: {
    reason: string | null;
    cancelOpen: boolean;
    /** Who pulled the switch (user@host, pid), for the audit trail. */
    actor: string;
    /**
     * A halt of one account or broker only: the dashboard of a run elsewhere does not show it.
     * `ptexec halt` records none (its halt stops every account).
     */
    account?: string;
    broker?: string;
  };
}

export interface RiskUnhalted {
  type: 'risk.unhalted';
  payload: { actor: string };
}

export type RiskEvent = RiskChecked | RiskHalted | RiskUnhalted;
