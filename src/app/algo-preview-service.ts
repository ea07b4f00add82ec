import type { Exchange } from '../domain/instrument.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { AlgoParamError } from '../engine/algos/algo-param-error.js';
import { estimateImpactParameters, type AlmgrenChrissInput } from '../engine/algos/almgren-chriss.js';
import { formatDuration, parseDuration } from '../engine/algos/duration.js';
import { icebergParamSpecs } from '../engine/algos/iceberg.js';
import { isParamSpecs } from '../engine/algos/implementation-shortfall.js';
import type { AlgorithmName } from '../engine/algos/names.js';
import { parseParams, type ParamSpec, type RawParams } from '../engine/algos/params.js';
import { povParamSpecs } from '../engine/algos/pov.js';
import { previewIceberg, previewIs, previewPov, previewTwap, previewVwap, type PreviewRow } from '../engine/algos/schedule-preview.js';
import { checkSliceLength } from '../engine/algos/slicing-params.js';
import { twapParamSpecs } from '../engine/algos/twap.js';
import { vwapParamSpecs } from '../engine/algos/vwap.js';
import { DEFAULT_RUNTIME_OPTIONS } from '../engine/runtime/execution-runtime.js';
import { sessionLengthMs } from '../market/calendar/index.js';
import { parseExchangeTime } from '../market/exchange-time.js';
import type { Factory } from './factory.js';
import { formatModelNumber } from './render/algo-preview-view.js';

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

/** `ptexec algo preview`'s flags, as typed: the parameter flags are strings, checked by each algorithm's own rules. */
export interface AlgoPreviewRequest {
  algo: string;
  qty: number;
  lot: number;
  exchange: string;
  start: string;
  [flag: string]: unknown;
}

/** The schedule an algorithm would follow, assuming every child fills in full. */
export interface AlgoPreview {
  json: Record<string, unknown>;
  rows: PreviewRow[];
  /** Lines printed under the table (IS statistics). */
  notes: string[];
  warnings: string[];
  /** How to show `time`: exchange clock time, model units, or not at all. */
  timeKind: 'clock' | 'units' | 'none';
}

/**
 * `ptexec algo preview`: checks the flags against the algorithm (each algorithm's own parameter
 * rules, reported against the flag) and computes its schedule. Nothing is sent; no broker or
 * database is needed. `now` places `--start now` and `HH:MM`.
 */
export function previewAlgorithm(f: Pick<Factory, 'wallNow'>, request: AlgoPreviewRequest): AlgoPreview {
  const flags: Record<string, unknown> = { ...request };
  const algo = request.algo as PreviewAlgo;
  const exchange = request.exchange as Exchange;
  if (request.qty % request.lot !== 0) throw new InvalidInputError(`--qty ${request.qty} is not a multiple of --lot ${request.lot}`, 'use a quantity in whole lots');
  const start = parseExchangeTime(request.start, exchange, f.wallNow());
  if (start === undefined) throw new InvalidInputError(`--start "${request.start}" is not a time`, 'use now, 09:15, "2026-01-05 09:15" (exchange-local) or 2026-01-05T03:45:00Z');

  for (const [flag, algos] of Object.entries(MODEL_FLAGS)) {
    if (flags[flag] !== undefined && !algos.includes(algo)) {
      throw new InvalidInputError(`--${flag} does not apply to --algo ${algo}`, 'see `ptexec algo preview --help` for which flags each algorithm takes');
    }
  }
  // --horizon is --duration for the algorithms whose horizon is always a duration.
  if (algo !== 'is' && flags['horizon'] !== undefined) {
    if (flags['duration'] !== undefined) throw new InvalidInputError('give either --horizon or --duration, not both');
    flags['duration'] = flags['horizon'];
  }
  return preview(algo, flags, exchange, start);
}

function preview(algo: PreviewAlgo, flags: Record<string, unknown>, exchange: Exchange, start: number): AlgoPreview {
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
      return previewIsSchedule(flags, exchange, start, base);
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

function previewIsSchedule(flags: Record<string, unknown>, exchange: Exchange, start: number, base: Record<string, unknown>): AlgoPreview {
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

  const estimates = impactEstimates(flags, p);
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
      `T = ${formatModelNumber(T)} ${unit}s, N = ${p.periods}, τ = ${formatModelNumber(r.tau)}; σ = ${formatModelNumber(model.sigma)}, η = ${formatModelNumber(model.eta)}, γ = ${formatModelNumber(model.gamma)}, ε = ${formatModelNumber(model.epsilon)}, λ = ${formatModelNumber(model.lambda)}`,
      `η̃ = η − γτ/2 = ${formatModelNumber(r.etaTilde)}; κ̃ = ${formatModelNumber(r.kappaTilde)}; κ = arccosh(τ²κ̃²/2 + 1)/τ = ${formatModelNumber(r.kappa)} per ${unit}`,
      `E = ½γX² + εΣ|n| + (η̃/τ)Σn² = ${formatModelNumber(r.expectedCost)}`,
      `V = σ²τΣx² = ${formatModelNumber(r.variance)} (standard deviation ${formatModelNumber(Math.sqrt(r.variance))})`,
    ],
    warnings: [],
    timeKind: plainHorizon !== undefined ? 'units' : 'clock',
  };
}


/** Rule-of-thumb σ, η, γ, ε for whichever of them was not given, from --price/--volatility/--adv/--spread. */
function impactEstimates(flags: Record<string, unknown>, p: { sigma?: number; eta?: number; gamma?: number; epsilon?: number }): { sigma: number; eta: number; gamma: number; epsilon: number } {
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

const EXAMPLES: Record<string, string> = { sigma: '0.95', eta: '2.5e-6', gamma: '2.5e-7', epsilon: '0.0625' };

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
