import type { NewEvent } from '../../domain/events.js';
import type { OrderRequest } from '../../domain/order.js';
import type { LegRiskResult, PlanRiskResult, RiskReason, RiskVerdict } from './types.js';

/**
 * The risk events. `risk.checked` records each decision of the gate (who asked, about what,
 * when, the verdict and why) and is appended by the caller in the same transaction as the
 * order event it guards. `risk.halted`/`risk.unhalted` belong to no run: the kill switch
 * applies to every process using the database.
 */
export const RISK_CHECKED = 'risk.checked';
export const RISK_HALTED = 'risk.halted';
export const RISK_UNHALTED = 'risk.unhalted';

export interface RiskCheckedPayload {
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
}

export interface RiskHaltedPayload {
  reason: string | null;
  cancelOpen: boolean;
  /** Who pulled the switch (user@host, pid), for the audit trail. */
  actor: string;
}

export interface RiskUnhaltedPayload {
  actor: string;
}

/** One event per leg plus one for the run as a whole. */
export function planRiskEvents(runId: string | null, result: PlanRiskResult, marketTs: number, actor = 'plan'): NewEvent<typeof RISK_CHECKED, RiskCheckedPayload>[] {
  const events: NewEvent<typeof RISK_CHECKED, RiskCheckedPayload>[] = result.legs.map((leg: LegRiskResult) => ({
    runId,
    type: RISK_CHECKED,
    marketTs,
    payload: { scope: 'leg', actor, leg: leg.leg, symbol: leg.symbol, exchange: leg.exchange, side: leg.side, verdict: leg.verdict, reasons: leg.reasons },
  }));
  events.push({ runId, type: RISK_CHECKED, marketTs, payload: { scope: 'run', actor, verdict: result.verdict, reasons: result.run } });
  return events;
}

/** The event for one send-time decision about a child (or standalone) order. */
export function orderRiskEvent(
  runId: string | null,
  request: Pick<OrderRequest, 'clientOrderId' | 'symbol' | 'exchange' | 'side' | 'quantity'>,
  result: { verdict: RiskVerdict; reasons: RiskReason[] },
  marketTs: number,
  extra: { leg?: number; parentId?: string; actor?: string } = {},
): NewEvent<typeof RISK_CHECKED, RiskCheckedPayload> {
  return {
    runId,
    type: RISK_CHECKED,
    marketTs,
    payload: {
      scope: 'order',
      actor: extra.actor ?? 'gate',
      leg: extra.leg,
      parentId: extra.parentId,
      clientOrderId: request.clientOrderId,
      symbol: request.symbol,
      exchange: request.exchange,
      side: request.side,
      quantity: request.quantity,
      verdict: result.verdict,
      reasons: result.reasons,
    },
  };
}
