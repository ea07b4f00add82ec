import { z } from 'zod';

/**
 * The `risk` section of config.json (or a `--risk FILE` of the same shape). Every rule has a
 * default that lets an ordinary rebalance of a diversified account pass, and `null` switches a
 * limit off. Amounts are in major units of the account currency (rupees, dollars) because that
 * is how people write them; they are converted to minor units once, here.
 */
const Pct = z.number().min(0).max(10_000);
const Amount = z.number().nonnegative();
const PositiveInt = z.number().int().positive();

const OrderLimitsSchema = (maxQuantity: number, maxValue: number) =>
  z
    .object({
      max_quantity: PositiveInt.nullable().default(maxQuantity),
      max_value: Amount.nullable().default(maxValue),
    })
    .strict()
    .prefault({});

export const RiskConfigSchema = z
  .object({
    /** Per leg (parent order): shares and value. */
    order: OrderLimitsSchema(100_000, 10_000_000),
    /** Per child order sent to a broker. */
    child: OrderLimitsSchema(100_000, 10_000_000),
    /** Fat finger: limit price (or a market order's expected fill) this far from the last price. */
    price_band: z
      .object({ max_pct: Pct.nullable().default(5), warn_pct: Pct.nullable().default(2) })
      .strict()
      .prefault({}),
    /** Share of the instrument's average daily volume one leg may take. */
    liquidity: z
      .object({
        max_adv_pct: Pct.nullable().default(10),
        warn_adv_pct: Pct.nullable().default(2),
        when_adv_unknown: z.enum(['pass', 'warn', 'block']).default('warn'),
      })
      .strict()
      .prefault({}),
    /** Post-trade weights in the account: per symbol and per group (sector or mapping file). */
    concentration: z
      .object({
        max_position_pct: Pct.nullable().default(25),
        max_group_pct: Pct.nullable().default(null),
        group_limits: z.record(z.string().min(1), Pct).default({}),
        /** CSV (`symbol,group`) or JSON (`{"SYMBOL": "group"}`); relative to the config file. */
        groups_file: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    lists: z
      .object({
        /** Never trade these (`SYMBOL` or `EXCHANGE:SYMBOL`). */
        restricted: z.array(z.string().min(1)).default([]),
        /** When set, trade only these. */
        allowed: z.array(z.string().min(1)).nullable().default(null),
      })
      .strict()
      .prefault({}),
    short_selling: z.object({ allow: z.boolean().default(false) }).strict().prefault({}),
    buying_power: z
      .object({
        /** Estimated charges on the run's gross turnover, in basis points. */
        charges_bps: Pct.default(15),
        /** Cash to keep spare, as % of account value; dipping into it is a warning. */
        buffer_pct: Pct.default(1),
        /** Count the run's sell proceeds towards its buys (same-day credit). */
        use_sell_proceeds: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    run: z
      .object({
        max_turnover_value: Amount.nullable().default(null),
        max_turnover_pct: Pct.nullable().default(200),
        max_orders: PositiveInt.nullable().default(500),
        max_child_orders: PositiveInt.nullable().default(20_000),
      })
      .strict()
      .prefault({}),
    /**
     * The same target sent again (src/engine/risk/duplicates.ts): how long after an earlier run
     * of it last sent an order (wall-clock seconds) sending it again is blocked. 0 = off.
     */
    duplicates: z.object({ window_seconds: z.number().int().nonnegative().default(3600) }).strict().prefault({}),
    rate: z
      .object({
        /** Share of the broker's published order-rate limits ptexec allows itself. */
        use_pct: z.number().gt(0).max(100).default(80),
      })
      .strict()
      .prefault({}),
    session: z
      .object({
        enforce: z.boolean().default(true),
        allow_pre_open: z.boolean().default(false),
        allow_closing: z.boolean().default(false),
        /** The paper broker keeps its own session (open by default) unless this is set. */
        paper_follows_exchange: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /**
     * Automatic breakers (src/engine/risk/breakers/), evaluated by the runtime on every market
     * and fill update; a trip records `run.breaker_tripped` and pauses the run or the leg until
     * `ptexec resume`. `null` switches one off (README "Breakers").
     */
    breakers: z
      .object({
        /** The run's slippage against arrival, in basis points of its filled value at arrival prices → pause the run. */
        run_slippage: z.object({ max_bps: Pct.nullable().default(150) }).strict().prefault({}),
        /** The run's loss against arrival prices, in major units → pause the run. Off: it depends on the account's size. */
        run_loss: z.object({ max_value: Amount.nullable().default(null) }).strict().prefault({}),
        /** A leg's spread beyond this multiple of its spread at arrival → pause the leg. */
        spread: z.object({ max_multiple: z.number().gt(1).nullable().default(5) }).strict().prefault({}),
        /**
         * A leg's mid moving over `window_seconds` beyond this multiple of what its annual
         * volatility makes normal → pause the leg. Off: short windows are noisy, and not every
         * broker's instruments carry a volatility.
         */
        volatility: z
          .object({ max_multiple: z.number().gt(1).nullable().default(null), window_seconds: z.number().int().positive().max(3600).default(60) })
          .strict()
          .prefault({}),
        /**
         * The last price within `within_pct` of the exchange's circuit limit → pause the leg. Quotes
         * carry no circuit limits, so they are the previous close ± `band_pct` (NSE: 2, 5, 10 or 20%).
         */
        circuit: z
          .object({ within_pct: Pct.nullable().default(1), band_pct: z.number().gt(0).max(100).default(20) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    kill_switch: z.object({ poll_ms: z.number().int().min(50).max(1000).default(250) }).strict().prefault({}),
  })
  .strict();

export type RiskConfigInput = z.input<typeof RiskConfigSchema>;
export type RiskConfigSection = z.output<typeof RiskConfigSchema>;

/** The validated configuration plus what was loaded alongside it (the group mapping). */
export interface RiskConfig extends RiskConfigSection {
  /** Symbol (or EXCHANGE:SYMBOL) → group, from `concentration.groups_file`. */
  groups: ReadonlyMap<string, string>;
}

export interface RiskConfigIssue {
  path: string;
  message: string;
}

/** Validates a risk section; returns the issues with dotted paths (`risk.price_band.max_pct`). */
export function validateRiskConfig(raw: unknown): { config: RiskConfigSection } | { issues: RiskConfigIssue[] } {
  const parsed = RiskConfigSchema.safeParse(raw ?? {});
  if (parsed.success) return { config: parsed.data };
  return {
    issues: parsed.error.issues.map((issue) => {
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys : [];
      const base = ['risk', ...issue.path.map(String)].join('.');
      return { path: keys.length ? keys.map((k) => `${base}.${String(k)}`).join(', ') : base, message: issue.message };
    }),
  };
}

/** The defaults, for tests and for commands that run without a config file. */
export function defaultRiskConfig(): RiskConfig {
  const result = validateRiskConfig({});
  if (!('config' in result)) throw new Error('risk defaults do not validate');
  return { ...result.config, groups: new Map() };
}
