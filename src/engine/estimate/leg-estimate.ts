import type { LegCostEstimate, RunCostEstimate } from '../../domain/cost-estimate.js';
import type { CostModel } from './cost-model.js';
import type { ExecutionStyle } from './execution-style.js';
import { horizonVolumeShare, type MarketFacts } from './market-facts.js';

/** Trading days a year: annual volatility / √252 = daily volatility. */
export const TRADING_DAYS_PER_YEAR = 252;

export interface LegToEstimate {
  quantity: number;
  /** Decision price (minor units): the leg's value for bps and money. */
  decisionPrice: number;
  horizonMs: number;
  /** How its orders meet the book (execution-style.ts); absent = taking. */
  style?: ExecutionStyle;
}

/**
 * The pre-trade cost of one leg (README "Cost estimates"), positive = cost:
 * - half spread: (ask − bid) / 2 / mid, paid whole by taking orders; orders resting at the touch
 *   pay `passive.spread_paid` of it (negative: they earn it);
 * - temporary impact: η · σ_daily · √(Q / V_h), V_h the volume expected over the horizon (η of
 *   the leg's style);
 * - permanent impact: γ · σ_daily · Q / ADV, of which the leg pays half on average;
 * - uncertainty: σ_daily · √(T / 3), T the horizon in sessions — the standard deviation of a
 *   linear execution's cost (Almgren–Chriss with λ = 0), price risk only.
 * All in bps of Q · decision price; money rounded to whole minor units.
 */
export function estimateLegCost(leg: LegToEstimate, facts: MarketFacts, model: CostModel): LegCostEstimate {
  const defaulted: string[] = [];
  const spreadBps = facts.spread !== undefined && facts.price > 0 ? (facts.spread / facts.price) * 10_000 : (defaulted.push('spread'), model.defaults.spread_bps);
  const volatility = facts.volatility ?? (defaulted.push('volatility'), model.defaults.volatility);
  const sigmaDaily = volatility / Math.sqrt(TRADING_DAYS_PER_YEAR);
  const halfSpreadBps = spreadBps / 2;
  const style = leg.style ?? 'taking';
  const passive = style === 'passive' ? model.passive : undefined;
  const spreadCostBps = passive ? passive.spread_paid * halfSpreadBps : halfSpreadBps;
  let advPct: number | null = null;
  let horizonVolumePct: number | null = null;
  let temporaryImpactBps = 0;
  let permanentImpactBps = 0;
  let impactScaleBps: number | null = null;
  if (facts.adv === undefined) defaulted.push('adv');
  else {
    const advShare = leg.quantity / facts.adv;
    const horizonShare = Math.max(horizonVolumeShare(facts, leg.horizonMs), 1e-9);
    const participation = advShare / horizonShare;
    advPct = advShare * 100;
    horizonVolumePct = participation * 100;
    impactScaleBps = sigmaDaily * Math.sqrt(participation) * 10_000;
    temporaryImpactBps = (passive ? passive.temporary_impact : model.temporary_impact) * impactScaleBps;
    permanentImpactBps = model.permanent_impact * sigmaDaily * advShare * 10_000;
  }
  const costBps = spreadCostBps + temporaryImpactBps + permanentImpactBps / 2;
  const stdBps = sigmaDaily * Math.sqrt(leg.horizonMs / facts.sessionLengthMs / 3) * 10_000;
  const value = leg.quantity * leg.decisionPrice;
  return {
    advPct,
    horizonVolumePct,
    horizonMs: leg.horizonMs,
    style,
    halfSpreadBps,
    spreadCostBps,
    temporaryImpactBps,
    permanentImpactBps,
    impactScaleBps,
    costBps,
    costMinor: Math.round((costBps * value) / 10_000),
    stdBps,
    stdMinor: Math.round((stdBps * value) / 10_000),
    defaulted,
  };
}

/** Costs add up; standard deviations add in quadrature (the legs' price risks taken as independent). */
export function totalCost(legs: readonly { estimate: LegCostEstimate; value: number }[]): RunCostEstimate {
  const valueMinor = legs.reduce((s, l) => s + l.value, 0);
  const costMinor = legs.reduce((s, l) => s + l.estimate.costMinor, 0);
  const stdMinor = Math.round(Math.sqrt(legs.reduce((s, l) => s + l.estimate.stdMinor ** 2, 0)));
  const bps = (minor: number) => (valueMinor > 0 ? (minor / valueMinor) * 10_000 : 0);
  return { costBps: bps(costMinor), costMinor, stdBps: bps(stdMinor), stdMinor, valueMinor };
}
