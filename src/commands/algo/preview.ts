import * as Flags from '@oclif/core/flags';
import { EXCHANGES, type Exchange } from '../../domain/instrument.js';
import { AlgoParamError } from '../../engine/algos/algo-param-error.js';
import { estimateImpactParameters, type AlmgrenChrissInput } from '../../engine/algos/almgren-chriss.js';
import { formatDuration } from '../../engine/algos/duration.js';
import { icebergParamSpecs } from '../../engine/algos/iceberg.js';
import { isParamSpecs } from '../../engine/algos/implementation-shortfall.js';
import { parseParams, type ParamSpec, type RawParams } from '../../engine/algos/params.js';
import { povParamSpecs } from '../../engine/algos/pov.js';
import { previewIceberg, previewIs, previewPov, previewTwap, previewVwap, type PreviewRow } from '../../engine/algos/schedule-preview.js';
import { checkSliceLength } from '../../engine/algos/slicing-params.js';
import { formatExchangeTime, parseExchangeTime } from '../../market/exchange-time.js';
import { sessionLengthMs } from '../../market/calendar/index.js';
import { twapParamSpecs } from '../../engine/algos/twap.js';
import { vwapParamSpecs } from '../../engine/algos/vwap.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { Column } from '../../lib/table.js';
import { ALGORITHM_NAMES, type AlgorithmName } from '../../engine/algos/names.js';
import { parseDuration } from '../../engine/algos/duration.js';
import { DEFAULT_RUNTIME_OPTIONS } from '../../engine/runtime/execution-runtime.js';
import { BaseCommand } from '../base-command.js';

type PreviewAlgo = AlgorithmName;

/** Flags that only some algorithms use (the parameter flags are checked by each algorithm's rules). */
const MODEL_FLAGS: Record<string, readonly PreviewAlgo[]> = { horizon: ['is', 'twap', 'vwap', 'pov'], price: ['is'], volatility: ['is'], spread: ['is'], adv: ['is', 'pov'] };

/** Flags that map one-to-one onto algorithm parameters (flag name → parameter name). */
const PARAM_FLAGS = {
  slices: 'slices',
  periods: 'periods',
  duration: 'duration',
  sigma: 'sigma',
  eta: 'eta',
  gamma: 'gamma',
  epsilon: 'epsilon',
  lambda: 'lambda',
  rate: 'rate',
  interval: 'interval',
  'min-child': 'min_child',
  'max-child': 'max_child',
  'display-qty': 'display_qty',
  'randomize-pct': 'randomize_pct',
  seed: 'seed',
} as const;

interface PreviewResult {
  json: Record<string, unknown>;
  rows: PreviewRow[];
  /** Lines printed under the table (IS statistics). */
  notes: string[];
  warnings: string[];
  /** How to show `time`: exchange clock time, model units, or not at all. */
  timeKind: 'clock' | 'units' | 'none';
}

export default class AlgoPreview extends BaseCommand {
  static override summary = 'The schedule an algorithm would follow, without trading.';

  static override description = `Prints, period by period, when each child would be sent, its quantity, the cumulative quantity and what remains, assuming every child fills in full. Nothing is sent and no broker or database is needed.

market and limit: one order for the whole quantity at the start; what is open after --duration (15m) is cancelled. twap: equal slices (floor(Q/n), the extra lots spread evenly). vwap: slices weighted by the intraday volume profile (the default U shape) over the exchange session. is: the Almgren–Chriss discrete optimal trajectory, with kappa, the expected cost E and the variance V; give --sigma --eta --gamma --epsilon --lambda to check it against the formulas, or --price --volatility --adv --spread to use the rule-of-thumb estimates. pov: the expected schedule when others trade --adv shares a day along the profile. iceberg: the sizes shown one refill after another.

--horizon for is is either a duration (30m, 2h; sigma, eta and gamma are then per trading day of the exchange) or a plain number in the time unit sigma, eta and gamma are expressed in (--horizon 5 --periods 5 = five periods of one unit each).`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --algo twap --qty 1000 --slices 10 --duration 30m',
    '<%= config.bin %> <%= command.id %> --algo vwap --qty 5000 --slices 13 --duration 6h15m --start 09:15',
    '<%= config.bin %> <%= command.id %> --algo is --qty 1000000 --horizon 5 --periods 5 --sigma 0.95 --eta 2.5e-6 --gamma 2.5e-7 --epsilon 0.0625 --lambda 2e-6',
    '<%= config.bin %> <%= command.id %> --algo is --qty 20000 --horizon 1h --periods 12 --price 2500 --volatility 0.25 --adv 5000000 --spread 0.5 --lambda 1e-5 --json',
    '<%= config.bin %> <%= command.id %> --algo pov --qty 20000 --rate 0.1 --adv 5000000 --interval 5m --duration 1h --start 10:00',
    '<%= config.bin %> <%= command.id %> --algo iceberg --qty 1000 --display-qty 100 --randomize-pct 20 --seed 7',
  ];

  static override flags = {
    algo: Flags.string({ description: 'Algorithm to preview', options: [...ALGORITHM_NAMES], required: true }),
    qty: Flags.integer({ description: 'Parent quantity (shares)', required: true, min: 1 }),
    lot: Flags.integer({ description: 'Lot size: every child is a multiple of it', default: 1, min: 1 }),
    exchange: Flags.string({ description: 'Exchange whose session hours place the volume profile and define a trading day', options: [...EXCHANGES], default: 'NSE' }),
    start: Flags.string({ description: 'Start: now, HH:MM (exchange-local, today), "YYYY-MM-DD HH:MM" (exchange-local) or an ISO time with zone', default: 'now' }),
    slices: Flags.string({ description: 'twap/vwap: number of slices (default 10)' }),
    periods: Flags.string({ description: 'is: number of periods N (default 10)' }),
    duration: Flags.string({ description: 'Horizon as a duration, e.g. 30m, 1h, 2h30m (default 30m)' }),
    horizon: Flags.string({ description: 'Same as --duration; for is also a plain number T in the time unit of sigma/eta/gamma' }),
    sigma: Flags.string({ description: 'is: volatility, price per √(time unit)' }),
    eta: Flags.string({ description: 'is: temporary impact η, price per (share per time unit)' }),
    gamma: Flags.string({ description: 'is: permanent impact γ, price per share' }),
    epsilon: Flags.string({ description: 'is: fixed cost ε per share (half the spread plus fees)' }),
    lambda: Flags.string({ description: 'is: risk aversion λ per unit of currency (default 1e-6; 0 = straight line)' }),
    price: Flags.string({ description: 'is: price, to estimate sigma from --volatility' }),
    volatility: Flags.string({ description: 'is: annualised volatility as a fraction (0.25 = 25%), to estimate sigma' }),
    adv: Flags.string({ description: 'is/pov: average daily volume (shares), to estimate eta and gamma, or the POV market volume' }),
    spread: Flags.string({ description: 'is: bid-ask spread in price units, to estimate eta, gamma and epsilon' }),
    rate: Flags.string({ description: 'pov: participation rate, a fraction between 0 and 1' }),
    interval: Flags.string({ description: 'pov: how often to trade, e.g. 1m (default 1m)' }),
    'min-child': Flags.string({ description: 'pov: smallest child (shares)' }),
    'max-child': Flags.string({ description: 'pov: largest child (shares)' }),
    'display-qty': Flags.string({ description: 'iceberg: quantity shown at a time' }),
    'randomize-pct': Flags.string({ description: 'iceberg: ± percentage by which the shown size varies (default 0)' }),
    seed: Flags.string({ description: 'iceberg: seed of the randomisation (default 0)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(AlgoPreview);
    const algo = flags.algo as PreviewAlgo;
    const exchange = flags.exchange as Exchange;
    if (flags.qty % flags.lot !== 0) throw new InvalidInputError(`--qty ${flags.qty} is not a multiple of --lot ${flags.lot}`, 'use a quantity in whole lots');
    const start = parseExchangeTime(flags.start, exchange, Date.now());
    if (start === undefined) throw new InvalidInputError(`--start "${flags.start}" is not a time`, 'use now, 09:15, "2026-01-05 09:15" (exchange-local) or 2026-01-05T03:45:00Z');

    for (const [flag, algos] of Object.entries(MODEL_FLAGS)) {
      if ((flags as Record<string, unknown>)[flag] !== undefined && !algos.includes(algo)) {
        throw new InvalidInputError(`--${flag} does not apply to --algo ${algo}`, 'see `ptexec algo preview --help` for which flags each algorithm takes');
      }
    }
    // --horizon is --duration for the algorithms whose horizon is always a duration.
    if (algo !== 'is' && flags.horizon !== undefined) {
      if (flags.duration !== undefined) throw new InvalidInputError('give either --horizon or --duration, not both');
      flags.duration = flags.horizon;
    }
    const result = this.preview(algo, flags, exchange, start);
    for (const warning of result.warnings) this.out.warn(warning);
    if (this.jsonEnabled()) {
      this.out.json({ ...result.json, schedule: result.rows.map((r) => rowJson(r, result.timeKind)) });
      return;
    }
    this.render(result, exchange);
  }

  private preview(algo: PreviewAlgo, flags: Record<string, unknown>, exchange: Exchange, start: number): PreviewResult {
    const qty = flags['qty'] as number;
    const lot = flags['lot'] as number;
    const base = { algo, quantity: qty, lot, exchange };
    const startIso = new Date(start).toISOString();
    switch (algo) {
      case 'market':
      case 'limit': {
        // One order for the whole quantity at the start; what is still open at the horizon is cancelled.
        collect(flags, ['duration']);
        const durationMs = flags['duration'] === undefined ? DEFAULT_RUNTIME_OPTIONS.defaultHorizonMs : durationFlag(flags['duration'] as string);
        const rows = [{ period: 1, time: start, quantity: qty, cumulative: qty, remaining: 0 }];
        const note = `${algo}: one ${algo} order for the whole quantity at the start; what is still open after ${formatDuration(durationMs)} is cancelled`;
        return { json: { ...base, start: startIso, duration: formatDuration(durationMs) }, rows, notes: [note], warnings: [], timeKind: 'clock' };
      }
      case 'twap': {
        const p = parseFor('twap', twapParamSpecs, collect(flags, ['slices', 'duration']));
        checkSliceLengthFlag('twap', p.duration, p.slices, 'slices');
        const rows = previewTwap({ quantity: qty, slices: p.slices, durationMs: p.duration, start, lot });
        return { json: { ...base, start: startIso, duration: formatDuration(p.duration), slices: p.slices }, rows, notes: [], warnings: [], timeKind: 'clock' };
      }
      case 'vwap': {
        const p = parseFor('vwap', vwapParamSpecs, collect(flags, ['slices', 'duration']));
        checkSliceLengthFlag('vwap', p.duration, p.slices, 'slices');
        const { rows, outsideSession } = previewVwap({ quantity: qty, slices: p.slices, durationMs: p.duration, start, lot, exchange });
        const warnings = outsideSession ? [`the horizon lies outside ${exchange}'s session (give --start within trading hours); equal slices shown`] : [];
        return { json: { ...base, start: startIso, duration: formatDuration(p.duration), slices: p.slices }, rows, notes: [], warnings, timeKind: 'clock' };
      }
      case 'is':
        return this.previewIs(flags, exchange, start, base);
      case 'pov': {
        const p = parseFor('pov', povParamSpecs, collect(flags, ['rate', 'interval', 'duration', 'min-child', 'max-child']));
        const adv = numberFlag(flags, 'adv', (v) => v > 0, 'a volume > 0, e.g. --adv 5000000');
        if (adv === undefined) throw new InvalidInputError('--adv is required for a pov preview', 'give the average daily volume, e.g. --adv 5000000');
        const durationMs = p.duration ?? 30 * 60_000;
        const rows = previewPov({ quantity: qty, rate: p.rate, adv, intervalMs: p.interval, durationMs, start, lot, exchange, minChild: p.min_child, maxChild: p.max_child });
        const warnings = rows.every((r) => (r.marketVolume ?? 0) === 0) ? [`the horizon lies outside ${exchange}'s session (give --start within trading hours); no volume is expected`] : [];
        return {
          json: { ...base, start: startIso, duration: formatDuration(durationMs), interval: formatDuration(p.interval), rate: p.rate, adv },
          rows,
          notes: [],
          warnings,
          timeKind: 'clock',
        };
      }
      case 'iceberg': {
        const p = parseFor('iceberg', icebergParamSpecs, collect(flags, ['display-qty', 'randomize-pct', 'seed']));
        if (p.display_qty < lot) throw new InvalidInputError(`--display-qty ${p.display_qty} is below the lot size ${lot}`, `show at least one lot, e.g. --display-qty ${lot}`);
        const seed = p.seed ?? 0;
        const rows = previewIceberg({ quantity: qty, display: p.display_qty, randomizePct: p.randomize_pct, seed, lot });
        return { json: { ...base, display_qty: p.display_qty, randomize_pct: p.randomize_pct, seed }, rows, notes: [], warnings: [], timeKind: 'none' };
      }
    }
  }

  private previewIs(flags: Record<string, unknown>, exchange: Exchange, start: number, base: Record<string, unknown>): PreviewResult {
    const qty = flags['qty'] as number;
    const lot = flags['lot'] as number;
    if (flags['horizon'] !== undefined && flags['duration'] !== undefined) throw new InvalidInputError('give either --horizon or --duration, not both');
    const horizonFlag = flags['horizon'] !== undefined ? 'horizon' : 'duration';
    const horizonText = (flags['horizon'] ?? flags['duration']) as string | undefined;
    const plainHorizon = horizonText !== undefined && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?\s*$/i.test(horizonText) ? Number(horizonText) : undefined;
    if (plainHorizon !== undefined && !(plainHorizon > 0 && Number.isFinite(plainHorizon))) throw new InvalidInputError(`--${horizonFlag} ${horizonText} must be > 0`);
    const raw = collect(flags, ['periods', 'slices', 'sigma', 'eta', 'gamma', 'epsilon', 'lambda']);
    if (raw['slices'] !== undefined) {
      if (raw['periods'] !== undefined) throw new InvalidInputError('give either --periods or --slices, not both');
      raw['periods'] = raw['slices'];
      delete raw['slices'];
    }
    if (plainHorizon === undefined && horizonText !== undefined) raw['duration'] = horizonText;
    const p = parseFor('is', isParamSpecs, raw, { duration: `--${horizonFlag}` });
    if (plainHorizon === undefined) checkSliceLengthFlag('is', p.duration, p.periods, 'periods');

    const estimates = this.estimates(flags, p);
    const T = plainHorizon ?? p.duration / sessionLengthMs(exchange);
    const model: AlmgrenChrissInput = { X: qty, T, N: p.periods, sigma: p.sigma ?? estimates.sigma, eta: p.eta ?? estimates.eta, gamma: p.gamma ?? estimates.gamma, epsilon: p.epsilon ?? estimates.epsilon, lambda: p.lambda };
    const time = plainHorizon !== undefined ? (j: number) => (j * T) / p.periods : (j: number) => start + Math.round((j * p.duration) / p.periods);
    let preview: ReturnType<typeof previewIs>;
    try {
      preview = previewIs({ model, lot, time });
    } catch (err) {
      if (err instanceof RangeError) throw new InvalidInputError(`cannot solve the model: ${err.message}`);
      throw err;
    }
    const r = preview.result;
    const unit = plainHorizon !== undefined ? 'time unit' : 'trading day';
    const horizon = plainHorizon ?? formatDuration(p.duration);
    return {
      json: {
        ...base,
        start: plainHorizon !== undefined ? null : new Date(start).toISOString(),
        horizon,
        time_unit: plainHorizon !== undefined ? 'model' : 'trading_day',
        horizon_units: T,
        periods: p.periods,
        tau: r.tau,
        sigma: model.sigma,
        eta: model.eta,
        gamma: model.gamma,
        epsilon: model.epsilon,
        lambda: model.lambda,
        eta_tilde: r.etaTilde,
        kappa_tilde: r.kappaTilde,
        kappa: r.kappa,
        expected_cost: r.expectedCost,
        variance: r.variance,
        trajectory: r.trajectory,
      },
      rows: preview.rows,
      notes: [
        `T = ${fmt(T)} ${unit}s, N = ${p.periods}, τ = ${fmt(r.tau)}; σ = ${fmt(model.sigma)}, η = ${fmt(model.eta)}, γ = ${fmt(model.gamma)}, ε = ${fmt(model.epsilon)}, λ = ${fmt(model.lambda)}`,
        `η̃ = η − γτ/2 = ${fmt(r.etaTilde)}; κ̃ = ${fmt(r.kappaTilde)}; κ = arccosh(τ²κ̃²/2 + 1)/τ = ${fmt(r.kappa)} per ${unit}`,
        `E = ½γX² + εΣ|n| + (η̃/τ)Σn² = ${fmt(r.expectedCost)}`,
        `V = σ²τΣx² = ${fmt(r.variance)} (standard deviation ${fmt(Math.sqrt(r.variance))})`,
      ],
      warnings: [],
      timeKind: plainHorizon !== undefined ? 'units' : 'clock',
    };
  }

  /** Rule-of-thumb σ, η, γ, ε for whichever of them was not given, from --price/--volatility/--adv/--spread. */
  private estimates(flags: Record<string, unknown>, p: { sigma?: number; eta?: number; gamma?: number; epsilon?: number }): { sigma: number; eta: number; gamma: number; epsilon: number } {
    const price = numberFlag(flags, 'price', (v) => v > 0, 'a price > 0');
    const volatility = numberFlag(flags, 'volatility', (v) => v >= 0, 'an annual volatility ≥ 0 as a fraction, e.g. 0.25');
    const adv = numberFlag(flags, 'adv', (v) => v > 0, 'a volume > 0');
    const spread = numberFlag(flags, 'spread', (v) => v > 0, 'a spread > 0 in price units');
    const need = (param: string, inputs: [string, number | undefined][]) => {
      const missing = inputs.filter(([, v]) => v === undefined).map(([name]) => `--${name}`);
      if (missing.length > 0) throw new InvalidInputError(`--${param} is required for is (or give ${missing.join(' and ')} to estimate it)`, `e.g. --${param} ${EXAMPLES[param]}`);
    };
    if (p.sigma === undefined) need('sigma', [['price', price], ['volatility', volatility]]);
    if (p.eta === undefined) need('eta', [['adv', adv], ['spread', spread]]);
    if (p.gamma === undefined) need('gamma', [['adv', adv], ['spread', spread]]);
    if (p.epsilon === undefined) need('epsilon', [['spread', spread]]);
    return estimateImpactParameters({ price: price ?? 1, annualVolatility: volatility ?? 0, adv: adv ?? 1, spread: spread ?? 1 });
  }

  private render(result: PreviewResult, exchange: Exchange): void {
    const extras: { header: string; value: (r: PreviewRow) => string }[] = [];
    if (result.rows.some((r) => r.volumeShare !== undefined)) extras.push({ header: 'volume share', value: (r) => `${((r.volumeShare ?? 0) * 100).toFixed(2)}%` });
    if (result.rows.some((r) => r.marketVolume !== undefined)) extras.push({ header: 'market volume', value: (r) => String(r.marketVolume ?? 0) });
    const timeHeader = result.timeKind === 'clock' ? `time (${exchange})` : result.timeKind === 'units' ? 't' : undefined;
    const columns: Column[] = [
      { header: 'period', align: 'right' },
      ...(timeHeader ? [{ header: timeHeader }] : []),
      { header: 'quantity', align: 'right' },
      { header: 'cumulative', align: 'right', priority: 2 },
      { header: 'remaining', align: 'right', priority: 1 },
      ...extras.map((e): Column => ({ header: e.header, align: 'right', priority: 3 })),
    ];
    const rows = result.rows.map((r) => [
      r.period,
      ...(timeHeader ? [result.timeKind === 'clock' ? formatExchangeTime(exchange, r.time ?? 0) : fmt(r.time ?? 0)] : []),
      r.quantity,
      r.cumulative,
      r.remaining,
      ...extras.map((e) => e.value(r)),
    ]);
    this.out.table(columns, rows);
    for (const note of result.notes) this.out.data(note);
  }
}

const EXAMPLES: Record<string, string> = { sigma: '0.95', eta: '2.5e-6', gamma: '2.5e-7', epsilon: '0.0625' };

function fmt(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e9 ? String(Number(value.toPrecision(8))) : Number(value.toPrecision(8)).toExponential();
}

function rowJson(r: PreviewRow, timeKind: PreviewResult['timeKind']): Record<string, unknown> {
  const time = timeKind === 'clock' && r.time !== null ? new Date(r.time).toISOString() : r.time;
  const row: Record<string, unknown> = { period: r.period, time, quantity: r.quantity, cumulative: r.cumulative, remaining: r.remaining };
  if (r.volumeShare !== undefined) row['volume_share'] = r.volumeShare;
  if (r.marketVolume !== undefined) row['market_volume'] = r.marketVolume;
  return row;
}

/** The algorithm parameters given as flags, refusing flags that do not apply to the algorithm. */
function collect(flags: Record<string, unknown>, allowed: (keyof typeof PARAM_FLAGS)[]): RawParams {
  const raw: RawParams = {};
  for (const [flag, name] of Object.entries(PARAM_FLAGS)) {
    const value = flags[flag] as string | undefined;
    if (value === undefined) continue;
    if (!allowed.includes(flag as keyof typeof PARAM_FLAGS)) throw new InvalidInputError(`--${flag} does not apply to --algo ${String(flags['algo'])}`, 'see `ptexec algo preview --help` for which flags each algorithm takes');
    raw[name] = value;
  }
  return raw;
}

/** Parses with the algorithm's own parameter rules, reporting a problem against the flag. */
function parseFor<S extends Record<string, ParamSpec<unknown>>>(algo: string, specs: S, raw: RawParams, flagNames: Record<string, string> = {}) {
  try {
    return parseParams(algo, specs, raw);
  } catch (err) {
    if (err instanceof AlgoParamError) throw toInputError(err, flagNames);
    throw err;
  }
}

function toInputError(err: AlgoParamError, flagNames: Record<string, string>): InvalidInputError {
  const flag = flagNames[err.param] ?? `--${err.param.replace(/_/g, '-')}`;
  const fix = err.fix.replace(new RegExp(`\\b${err.param}=`, 'g'), `${flag} `);
  return new InvalidInputError(`${flag} ${err.problem.replace(/^= /, '')}`, fix);
}

function checkSliceLengthFlag(algo: string, durationMs: number, slices: number, name: string): void {
  try {
    checkSliceLength(algo, durationMs, slices, name);
  } catch (err) {
    if (err instanceof AlgoParamError) throw toInputError(err, {});
    throw err;
  }
}

function durationFlag(text: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new InvalidInputError(`--duration ${text} is not a duration`, 'write it with a unit, e.g. 15m, 1h or 2h30m');
  }
}

function numberFlag(flags: Record<string, unknown>, name: string, ok: (v: number) => boolean, expected: string): number | undefined {
  const text = flags[name] as string | undefined;
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !ok(value)) throw new InvalidInputError(`--${name} "${text}" is not valid`, `use ${expected}`);
  return value;
}
