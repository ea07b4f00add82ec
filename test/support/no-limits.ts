import { validateRiskConfig, type RiskConfig, type RiskConfigInput } from '../../src/engine/risk/index.js';

/** The limits of `noLimits` as a config.json `risk` section (for tests that go through the factory). */
export const NO_LIMITS_SECTION: RiskConfigInput = {
  order: { max_quantity: null, max_value: null },
  child: { max_quantity: null, max_value: null },
  price_band: { max_pct: null, warn_pct: null },
  liquidity: { max_adv_pct: null, warn_adv_pct: null, when_adv_unknown: 'pass' },
  concentration: { max_position_pct: null, max_group_pct: null },
  short_selling: { allow: true },
  buying_power: { charges_bps: 0, buffer_pct: 0 },
  run: { max_turnover_value: null, max_turnover_pct: null, max_orders: null, max_child_orders: null },
  duplicates: { window_seconds: 0 },
  session: { enforce: false },
  breakers: { run_slippage: { max_bps: null }, run_loss: { max_value: null }, spread: { max_multiple: null }, volatility: { max_multiple: null }, circuit: { within_pct: null } },
};

/**
 * Pre-trade limits that every plan of an engine test passes: every limit off, no duplicate
 * window, no session gate, short sales allowed, no charges or cash buffer. `RebalanceService.plan`
 * always checks a plan; tests of the engine (not of the checks) run with these. `overrides`
 * replaces whole sections.
 */
export function noLimits(overrides: RiskConfigInput = {}): RiskConfig {
  const result = validateRiskConfig({ ...NO_LIMITS_SECTION, ...overrides });
  if (!('config' in result)) throw new Error(`invalid test limits: ${JSON.stringify(result.issues)}`);
  return { ...result.config, groups: new Map() };
}
