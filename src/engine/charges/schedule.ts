import { z } from 'zod';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import type { Currency } from '../../domain/money.js';
import type { Side } from '../../domain/side.js';
import { majorToPico, parseScaledDecimal, percentToScaledFraction, type RoundingMode } from './exact-amount.js';

/**
 * A broker's charge schedule, kept as data (data/charges/schedules.json, overridable from the
 * `charges` section of config.json or a file). Each component says what it is charged on, at
 * which level it is computed and rounded, and how.
 *
 * Levels: `trade` = each execution; `order` = each broker order (brokerage "per executed
 * order"); `scrip_day` = the contract-note day per scrip and exchange (STT, stamp duty, DP).
 * Tax components (GST) apply a rate to the rounded amounts of other components of the same
 * scrip-day and are computed last.
 */
const Decimal = z.union([z.string().regex(/^\d+(\.\d+)?$/, 'expected a decimal such as "0.1"'), z.number().nonnegative()]);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as "2025-05-14"');
const ExchangeName = z.enum(EXCHANGES as [Exchange, ...Exchange[]]);
const PerExchange = z.union([Decimal, z.partialRecord(ExchangeName, Decimal)]);

const Rounding = z
  .object({
    /** Rounding unit in major currency units: "0.01" = to the paisa/cent, "1" = to the rupee. */
    to: Decimal.default('0.01'),
    mode: z.enum(['nearest', 'up', 'down']).default('nearest'),
  })
  .strict();

const Common = {
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case identifier'),
  label: z.string().min(1),
  sides: z.array(z.enum(['buy', 'sell'])).min(1).default(['buy', 'sell']),
  per: z.enum(['trade', 'order', 'scrip_day']).default('scrip_day'),
  /** Lower and upper bounds per computation level, in major units (e.g. brokerage ₹20 cap). */
  min: Decimal.optional(),
  max: Decimal.optional(),
  round: Rounding.default({ to: '0.01', mode: 'nearest' }),
  /** The figure could not be confirmed from the broker's published schedule: check it. */
  uncertain: z.boolean().optional(),
  note: z.string().optional(),
  /** In force on trading dates from this one (YYYY-MM-DD, inclusive); a rate that changed lists one component per period. */
  from: IsoDate.optional(),
  /** In force on trading dates before this one (exclusive). */
  until: IsoDate.optional(),
};

const ComponentSchema = z.discriminatedUnion('basis', [
  z.object({ ...Common, basis: z.literal('value'), rate_percent: PerExchange }).strict(),
  z.object({ ...Common, basis: z.literal('quantity'), per_unit: PerExchange }).strict(),
  z.object({ ...Common, basis: z.literal('flat'), amount: PerExchange }).strict(),
  z.object({ ...Common, basis: z.literal('tax'), rate_percent: Decimal, on: z.array(z.string()).min(1) }).strict(),
]);

const MarketSchema = z.union([
  z
    .object({
      exchanges: z.array(ExchangeName).min(1),
      currency: z.enum(['INR', 'USD']),
      components: z.array(ComponentSchema),
      /** Schedules whose components for the same exchange are charged too: the regulators' fees every US broker passes through are written once. */
      include: z.array(z.string().min(1)).optional(),
    })
    .strict(),
  /** Reuse another schedule's markets (the paper broker charges like Zerodha and Alpaca). */
  z.object({ same_as: z.string().min(1) }).strict(),
]);

export const ScheduleSchema = z
  .object({
    name: z.string().min(1),
    source: z.string().optional(),
    as_of: z.string().optional(),
    notes: z.array(z.string()).optional(),
    markets: z.array(MarketSchema).min(1),
  })
  .strict();

export const ScheduleFileSchema = z.object({ schedules: z.record(z.string(), ScheduleSchema) }).strict();

export type ScheduleDefinition = z.infer<typeof ScheduleSchema>;
export type ScheduleFile = z.infer<typeof ScheduleFileSchema>;
type ComponentDefinition = z.infer<typeof ComponentSchema>;

/** A component resolved for one exchange: every figure exact, in pico-minor units. */
export interface ResolvedComponent {
  id: string;
  label: string;
  sides: ReadonlySet<Side>;
  per: 'trade' | 'order' | 'scrip_day';
  basis: 'value' | 'quantity' | 'flat' | 'tax';
  /** value/tax: fraction × 10¹²; quantity: pico-minor per unit; flat: pico-minor. */
  rate: bigint;
  on: readonly string[];
  minPico?: bigint;
  maxPico?: bigint;
  roundUnitPico: bigint;
  roundMode: RoundingMode;
  uncertain: boolean;
  note?: string;
  from?: string;
  until?: string;
}

export interface MarketCharges {
  scheduleId: string;
  scheduleName: string;
  exchange: Exchange;
  currency: Currency;
  components: ResolvedComponent[];
}

/** Validated schedules by id (broker id, or any name the user gives a custom schedule). */
export class ChargeSchedules {
  /** Resolved markets by schedule and exchange: resolving parses every figure, so do it once. */
  private readonly resolved = new Map<string, MarketCharges | undefined>();
  /** The resolved markets' components in force on a trading date, by schedule, exchange and date. */
  private readonly inForce = new Map<string, MarketCharges>();

  constructor(readonly definitions: Readonly<Record<string, ScheduleDefinition>>) {}

  ids(): string[] {
    return Object.keys(this.definitions).sort();
  }

  has(id: string): boolean {
    return id in this.definitions;
  }

  /**
   * The components of `scheduleId` that apply on `exchange`; undefined when it has none. On a
   * trading date, the components in force that day (`from` ≤ date < `until`); without one (an
   * estimate before trading), those of the current schedule (no `until`).
   */
  forMarket(scheduleId: string, exchange: Exchange, tradingDate?: string): MarketCharges | undefined {
    const key = `${scheduleId}\u0000${exchange}`;
    if (!this.resolved.has(key)) this.resolved.set(key, this.resolve(scheduleId, exchange, new Set()));
    const market = this.resolved.get(key);
    if (!market) return undefined;
    const dated = `${key}\u0000${tradingDate ?? ''}`;
    let inForce = this.inForce.get(dated);
    if (!inForce) {
      const applies = (c: ResolvedComponent) => (tradingDate === undefined ? c.until === undefined : (c.from === undefined || c.from <= tradingDate) && (c.until === undefined || tradingDate < c.until));
      inForce = market.components.every(applies) ? market : { ...market, components: market.components.filter(applies) };
      this.inForce.set(dated, inForce);
    }
    return inForce;
  }

  private resolve(scheduleId: string, exchange: Exchange, seen: Set<string>): MarketCharges | undefined {
    const def = this.definitions[scheduleId];
    if (!def) return undefined;
    if (seen.has(scheduleId)) throw new RangeError(`charge schedule "${scheduleId}" refers to itself through same_as or include`);
    seen.add(scheduleId);
    for (const market of def.markets) {
      if ('same_as' in market) {
        const found = this.resolve(market.same_as, exchange, seen);
        if (found) return { ...found, scheduleId, scheduleName: def.name };
        continue;
      }
      if (!market.exchanges.includes(exchange)) continue;
      const components = market.components.map((c) => resolveComponent(c, exchange));
      for (const included of market.include ?? []) {
        const other = this.resolve(included, exchange, new Set(seen));
        if (!other) throw new RangeError(`charge schedule "${scheduleId}" includes "${included}", which has no charges for ${exchange}`);
        if (other.currency !== market.currency) throw new RangeError(`charge schedule "${scheduleId}" includes "${included}", charged in ${other.currency}, not ${market.currency}`);
        components.push(...other.components);
      }
      return { scheduleId, scheduleName: def.name, exchange, currency: market.currency, components };
    }
    return undefined;
  }
}

function pick(value: z.infer<typeof PerExchange>, exchange: Exchange, what: string): string | number {
  if (typeof value === 'string' || typeof value === 'number') return value;
  const v = value[exchange];
  if (v === undefined) throw new RangeError(`${what} has no figure for ${exchange}`);
  return v;
}

function resolveComponent(c: ComponentDefinition, exchange: Exchange): ResolvedComponent {
  const rate =
    c.basis === 'value'
      ? percentToScaledFraction(pick(c.rate_percent, exchange, c.id))
      : c.basis === 'tax'
        ? percentToScaledFraction(c.rate_percent)
        : c.basis === 'quantity'
          ? majorToPico(pick(c.per_unit, exchange, c.id))
          : majorToPico(pick(c.amount, exchange, c.id));
  return {
    id: c.id,
    label: c.label,
    sides: new Set(c.sides),
    per: c.per,
    basis: c.basis,
    rate,
    on: c.basis === 'tax' ? c.on : [],
    minPico: c.min === undefined ? undefined : majorToPico(c.min),
    maxPico: c.max === undefined ? undefined : majorToPico(c.max),
    roundUnitPico: parseScaledDecimal(c.round.to) * 100n,
    roundMode: c.round.mode,
    uncertain: c.uncertain ?? false,
    note: c.note,
    from: c.from,
    until: c.until,
  };
}
