import { z } from 'zod';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { Exchange } from '../../domain/instrument.js';
import type { TradingSession } from '../../market/trading-session.js';
import type { VolumeCurve } from '../../market/volume-profile.js';
import type { PaperInstrument } from './universe.js';

const positive = z.number().gt(0);
const nonNegative = z.number().min(0);

/** Per-symbol overrides (`"NSE:RELIANCE": {…}`); whatever is missing comes from the universe and the defaults. */
const SymbolSchema = z.lazy(() =>
  z
    .object({
      /** Average daily volume, shares. */
      adv: positive.optional(),
      /** Annualised volatility (0.22 = 22%). */
      volatility: positive.max(5).optional(),
      /** Quoted spread in bps of the mid (before tick rounding). */
      spread_bps: positive.max(1000).optional(),
      /** Shares shown at the touch on each side. */
      touch_depth: positive.optional(),
      impact: z.object({ temporary: nonNegative.max(100).optional(), permanent: nonNegative.max(100).optional() }).strict().optional(),
    })
    .strict(),
);

/**
 * The paper market's parameters (data/market/model.json; a user file named by `paper.model` in
 * config.json is laid over it). Snake case, as in every file a user edits.
 */
export const MarketModelSchema = z.lazy(() =>
  z
    .object({
      /** The intraday volume density d(p) ∝ 1 + open·e^(−p/τo) + close·e^(−(1−p)/τc) + spike·e^(−(1−p)/τs) + curvature·(p − ½)². */
      volume_curve: z
        .object({
          open_weight: nonNegative,
          open_decay: positive.max(1),
          close_weight: nonNegative,
          close_decay: positive.max(1),
          close_spike_weight: nonNegative,
          close_spike_decay: positive.max(1),
          midday_curvature: nonNegative,
        })
        .strict(),
      /** Log-normal noise (σ) of the volume in each 5-minute bin around the curve. */
      volume_noise: nonNegative.max(2),
      /** Spread = reference_bps·√(reference notional / ADV notional), within [min_bps, max_bps], unless a symbol sets it. */
      spread: z
        .object({ reference_bps: positive, min_bps: positive, max_bps: positive, reference_notional: z.record(z.string(), positive) })
        .strict()
        .refine((s) => s.min_bps <= s.max_bps, { message: 'min_bps must not exceed max_bps' }),
      depth: z
        .object({
          /** Shares at the touch per side, as a fraction of ADV (unless a symbol sets touch_depth). */
          touch_adv_fraction: positive.max(0.1),
          /** The book a taking order may sweep at once: this many times the touch depth. */
          book_levels: positive.max(1000),
          /** Liquidity taken from the book comes back with this time constant (exponentially). */
          resilience_seconds: positive.max(86_400),
        })
        .strict(),
      /** Temporary: Y of Y·σ_daily·√(taken/ADV) over the taker's price; permanent: each fill moves the price by this·σ_daily·q/ADV. */
      impact: z.object({ temporary: nonNegative.max(100), permanent: nonNegative.max(100) }).strict(),
      symbols: z.record(z.string().regex(/^[A-Z]+:[A-Za-z0-9&_.-]+$/, 'keys are EXCHANGE:SYMBOL, e.g. NSE:RELIANCE'), SymbolSchema),
    })
    .strict(),
);

export type MarketModel = z.infer<typeof MarketModelSchema>;
export type VolumeCurveParameters = MarketModel['volume_curve'];

/** The defaults data/market/model.json ships (a test holds the two equal). */
export const DEFAULT_MARKET_MODEL: MarketModel = {
  volume_curve: { open_weight: 2.4, open_decay: 0.07, close_weight: 1.9, close_decay: 0.06, close_spike_weight: 6, close_spike_decay: 0.008, midday_curvature: 1.2 },
  volume_noise: 0.3,
  spread: { reference_bps: 2, min_bps: 1, max_bps: 30, reference_notional: { INR: 1e10, USD: 1.2e9 } },
  depth: { touch_adv_fraction: 0.0002, book_levels: 10, resilience_seconds: 60 },
  impact: { temporary: 1, permanent: 1 },
  symbols: {},
};

/**
 * Validates a model file's content; the error names the file and the field. A user file may
 * give only some fields: they are laid over `base` (objects merged, values replaced).
 */
export function parseMarketModel(raw: unknown, file: string, base?: MarketModel): MarketModel {
  const merged = base === undefined ? raw : mergeDeep(base, raw);
  const parsed = MarketModelSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(top level)';
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${path === '(top level)' ? '' : `${path}.`}${key}: unknown field`).join('; ');
    if (issue.code === 'invalid_key') return `${path}: keys are EXCHANGE:SYMBOL, e.g. NSE:RELIANCE`;
    return `${path}: ${issue.message}`;
  });
  throw new InvalidInputError(`invalid market model in ${file}: ${lines.join('; ')}`, `fix ${file} (see README "The paper market" for the fields)`);
}

function mergeDeep(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = mergeDeep(base[key], value);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TRADING_DAYS_PER_YEAR = 252;

/** One symbol's market parameters, resolved from the universe, the model and its overrides. */
export interface SymbolModel {
  symbol: string;
  exchange: string;
  currency: string;
  /** Reference price (minor units) the price path starts from. */
  referencePrice: number;
  tickSize: number;
  /** Average daily volume, shares. */
  adv: number;
  /** Annualised volatility and its daily equivalent (fractions). */
  volatility: number;
  sigmaDaily: number;
  /** Quoted spread in bps of the mid (spread multiplier applied, before tick rounding). */
  spreadBps: number;
  /** Shares at the touch per side, and the most a taking order sweeps at once. */
  touchDepth: number;
  bookDepth: number;
  /** Time constant (ms) with which swept liquidity comes back. */
  resilienceMs: number;
  /** Y of the temporary square-root impact and the permanent linear coefficient (config scaling applied). */
  impact: { temporary: number; permanent: number };
}

export interface ModelScaling {
  spreadMultiplier: number;
  impact: { temporary: number; permanent: number };
}

export function symbolModel(model: MarketModel, instrument: PaperInstrument, scaling: ModelScaling): SymbolModel {
  const own = model.symbols[`${instrument.exchange}:${instrument.symbol}`] ?? {};
  const adv = own.adv ?? instrument.adv;
  const volatility = own.volatility ?? instrument.volatility;
  const { spread, depth } = model;
  const reference = spread.reference_notional[instrument.currency] ?? spread.reference_notional['INR'] ?? 1e10;
  const advNotional = Math.max(1, (adv * instrument.referencePrice) / 100);
  const derivedBps = Math.min(spread.max_bps, Math.max(spread.min_bps, spread.reference_bps * Math.sqrt(reference / advNotional)));
  const touchDepth = Math.max(1, own.touch_depth ?? adv * depth.touch_adv_fraction);
  return {
    symbol: instrument.symbol,
    exchange: instrument.exchange,
    currency: instrument.currency,
    referencePrice: instrument.referencePrice,
    tickSize: instrument.tickSize,
    adv,
    volatility,
    sigmaDaily: volatility / Math.sqrt(TRADING_DAYS_PER_YEAR),
    spreadBps: (own.spread_bps ?? derivedBps) * scaling.spreadMultiplier,
    touchDepth,
    bookDepth: touchDepth * depth.book_levels,
    resilienceMs: depth.resilience_seconds * 1000,
    impact: {
      temporary: (own.impact?.temporary ?? model.impact.temporary) * scaling.impact.temporary,
      permanent: (own.impact?.permanent ?? model.impact.permanent) * scaling.impact.permanent,
    },
  };
}

/** What the paper broker shows of its model (`PaperBroker.marketModel()`); nothing in it changes the market. */
export interface PaperMarketModelView {
  /** The model as loaded (shipped defaults with the user's file over them). */
  readonly model: MarketModel;
  /** One symbol's resolved parameters; undefined when the market does not list it. */
  symbol(symbol: string, exchange?: Exchange): SymbolModel | undefined;
  /** The intraday volume curve: `cumulative(p)` and `density(p)` over the session position p ∈ [0, 1]. */
  readonly curve: VolumeCurve;
  /** The trading session containing `ts` (or the next open one). */
  session(exchange: Exchange, ts: number): TradingSession;
}
