import type { RoutingPolicy } from './types.js';

/**
 * The policy used when config.json has no `routing` section, and the base every section's
 * missing keys fall back to (README "Routing"):
 * - weights: cost (charges + half spread) and liquidity (impact) count in full, as money; measured
 *   quality half (a broker's past slippage is a noisy guide to this trade's); health in full;
 *   latency a quarter (it matters little to a schedule that runs for minutes);
 * - splitting on, parts never below one share (each part is still weighed against sending the
 *   leg whole, so a split happens only when it is cheaper or the only way);
 * - no hard rules;
 * - the shipped cost model's impact coefficient and default volatility.
 */
export const DEFAULT_ROUTING_POLICY: RoutingPolicy = Object.freeze({
  weights: Object.freeze({ cost: 1, quality: 0.5, liquidity: 1, health: 1, latency: 0.25 }),
  split: Object.freeze({ enabled: true, minQuantity: 1 }),
  rules: Object.freeze([]),
  impact: Object.freeze({ coefficient: 0.5, volatility: 0.3 }),
});
