import type { RoutableAccount, RoutingPolicy } from './types.js';

/**
 * How an account's measured quality, health and latency count against it, in bps of a part's
 * value (so they weigh against money, README "Routing"):
 * - quality: mean slippage vs arrival, plus 50 bps per unit of unfilled share (a leg left short is
 *   re-traded later at a cost) and 100 bps per unit of reject rate; history of fewer than
 *   `FULL_CREDIBILITY_LEGS` legs counts in proportion, none counts as neutral;
 * - health: 100 bps per unit of recent error rate, 25 bps while the breaker is half-open;
 * - latency: 1 bp per 100 ms (the broker's recent median, else the measured one).
 */
export const UNFILLED_BPS = 50;
export const REJECT_BPS = 100;
export const FULL_CREDIBILITY_LEGS = 20;
export const ERROR_BPS = 100;
export const HALF_OPEN_BPS = 25;
export const LATENCY_MS_PER_BP = 100;

export interface AccountPenalty {
  qualityBps: number;
  healthBps: number;
  latencyBps: number;
  /** The three, each times its weight. */
  weightedBps: number;
}

export function accountPenalty(account: RoutableAccount, weights: RoutingPolicy['weights']): AccountPenalty {
  const q = account.quality;
  const credibility = q === undefined ? 0 : Math.min(1, Math.max(0, q.legs) / FULL_CREDIBILITY_LEGS);
  const slippage = q !== undefined && Number.isFinite(q.slippageBps) ? q.slippageBps : 0;
  const qualityBps = q === undefined || !(credibility > 0) ? 0 : credibility * (slippage + UNFILLED_BPS * (1 - clamp01(q.fillRate, 1)) + REJECT_BPS * clamp01(q.rejectRate, 0));
  const healthBps = ERROR_BPS * clamp01(account.health.errorRate, 0) + (account.health.breaker === 'half-open' ? HALF_OPEN_BPS : 0);
  const latencyMs = account.health.latencyMs ?? q?.latencyMs ?? 0;
  const latencyBps = Number.isFinite(latencyMs) ? Math.max(0, latencyMs) / LATENCY_MS_PER_BP : 0;
  return { qualityBps, healthBps, latencyBps, weightedBps: weights.quality * qualityBps + weights.health * healthBps + weights.latency * latencyBps };
}

/** A rate within 0–1; an unmeasured (non-finite) one counts as `neutral`. */
function clamp01(x: number, neutral: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : neutral;
}
