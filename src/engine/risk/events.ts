import type { NewEvent, RiskChecked } from '../../domain/events/index.js';
import type { OrderRequest } from '../../domain/order.js';
import type { LegRiskResult, PlanRiskResult, RiskReason, RiskVerdict } from './types.js';

export type { RiskChecked, RiskHalted, RiskUnhalted } from '../../domain/events/index.js';

/** The risk events (src/domain/events/risk.ts), as the gate and its callers make them. */
export const RISK_CHECKED = 'risk.checked';
export const RISK_HALTED = 'risk.halted';
export const RISK_UNHALTED = 'risk.unhalted';

/** One event per leg plus one for the run as a whole. */
export function planRiskEvents(runId: string | null, result: PlanRiskResult, marketTs: number, actor = 'plan'): NewEvent<RiskChecked>[] {
  const events: NewEvent<RiskChecked>[] = result.legs.map((leg: LegRiskResult) => ({
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
): NewEvent<RiskChecked> {
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
