import type { Currency } from '../../domain/money.js';
import type { ExecutionQuality } from '../routing/types.js';
import type { Scorecard } from './types.js';

/**
 * A scorecard as the router reads it (`RoutableAccount.quality`); undefined when it has no legs
 * (no history: the router then has no measured quality to weigh). The router routes a leg in
 * one currency, so `currency` picks that currency's slippage; without it, the slippage of each
 * currency is weighted by its legs (bps are ratios, so no money is summed across currencies).
 * Slippage is 0 when nothing filled against a recorded arrival price: there is no evidence of
 * any. Latency is the median send → acknowledgement, absent when none was measured.
 */
export function executionQuality(card: Scorecard, currency?: Currency): ExecutionQuality | undefined {
  if (card.legs === 0) return undefined;
  const measured = card.currencies.filter((c) => c.slippageBps !== null && (currency === undefined || c.currency === currency));
  const weight = measured.reduce((n, c) => n + c.slippageLegs, 0);
  const slippageBps = weight > 0 ? measured.reduce((sum, c) => sum + c.slippageBps! * c.slippageLegs, 0) / weight : 0;
  return {
    legs: card.legs,
    slippageBps,
    fillRate: card.fillRate ?? 0,
    rejectRate: card.rejectRate ?? 0,
    ...(card.latency.p50Ms !== null ? { latencyMs: card.latency.p50Ms } : {}),
  };
}
