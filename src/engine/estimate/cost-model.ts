import { z } from 'zod';

/**
 * The coefficients of the pre-trade cost model (README "Cost estimates"). Shipped in
 * `data/estimate/cost-model.json`; `ptexec tca calibrate` writes a fitted copy to the config
 * folder (`cost-model.json`), which wins over the shipped one.
 *
 * - `temporary_impact` (η): temporary impact in bps = η · σ_daily · √(Q / V_horizon) · 10⁴, the
 *   square-root law in the leg's share of the volume expected over its horizon.
 * - `permanent_impact` (γ): permanent impact in bps = γ · σ_daily · (Q / ADV) · 10⁴; the leg pays
 *   half of it on average (the price moves while it trades).
 * - `passive`: legs whose orders rest at the near touch (execution-style.ts) pay `spread_paid` of
 *   the half spread (−1 to 1: negative when resting earns it; they fill at the touch but partly as
 *   the price comes through it, and clean up what is left by taking), and their temporary impact
 *   has its own coefficient (`passive.temporary_impact`). Absent = such legs are priced as taking
 *   ones.
 * - `defaults`: what a broker that gives no volatility or spread is assumed to have. A leg without
 *   an ADV gets no impact estimate (an instrument's volume cannot be guessed).
 * - `auto`: the thresholds of `--algo auto` (see auto-choice.ts).
 */
export const CostModelSchema = z
  .object({
    version: z.literal(1),
    temporary_impact: z.number().nonnegative(),
    permanent_impact: z.number().nonnegative(),
    passive: z
      .object({
        spread_paid: z.number().min(-1).max(1),
        temporary_impact: z.number().nonnegative(),
      })
      .strict()
      .optional(),
    defaults: z
      .object({
        spread_bps: z.number().positive(),
        volatility: z.number().positive(),
      })
      .strict(),
    auto: z
      .object({
        target_participation: z.number().gt(0).lt(1),
        max_participation: z.number().gt(0).lt(1),
        min_duration_minutes: z.number().positive(),
        market_order_max_adv_pct: z.number().nonnegative(),
        market_order_max_spread_bps: z.number().nonnegative(),
        high_volatility: z.number().positive(),
      })
      .strict(),
    /** Written by `ptexec tca calibrate`: what the coefficients were fitted to. */
    calibration: z
      .object({
        fitted_at: z.string(),
        n: z.number().int().nonnegative(),
        r2: z.number().nullable(),
        broker: z.string().nullable(),
        since: z.string().nullable(),
        until: z.string().nullable(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CostModel = z.infer<typeof CostModelSchema>;
