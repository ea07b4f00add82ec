import { TargetParseError, type TargetIssue } from './errors/target-parse-error.js';
import type { DriftBand } from './drift-band.js';
import type { Exchange } from './instrument.js';
import type { InputPlace } from './input-issue.js';
import { parseCsvTarget } from './target-csv.js';
import { parseJsonTarget } from './target-json.js';
import type { TargetOrderType } from './target-order-fields.js';

export { TargetParseError, type TargetIssue } from './errors/target-parse-error.js';
export { MAX_QUANTITY } from './target-fields.js';

/**
 * A target portfolio, normalised from any of the three accepted input shapes (README "Input
 * formats"): the request shape of the original service, the `positions` shape, and CSV.
 */
export interface TargetPortfolio {
  /** Broker named in the file (shape 1); `--broker` wins. */
  broker?: string;
  positions: TargetPosition[];
  /** Cash kept aside, as a percentage of the account value (0–100). */
  cashBufferPct: number;
}

export type TargetAmount = { kind: 'quantity'; quantity: number } | { kind: 'weight'; weight: number } | { kind: 'value'; value: number };

export interface TargetPosition {
  symbol: string;
  exchange?: Exchange;
  amount: TargetAmount;
  /**
   * Order prices are in minor units as written: a price with more decimals than the currency has
   * (`3120.055`) is kept unrounded (`312005.5`), so that the planner, which knows the tick,
   * refuses it with the nearest prices that are valid instead of trading at a rounded one.
   */
  limitPrice?: number;
  decisionPrice?: number;
  algo?: string;
  algoParams?: Record<string, string | number | boolean>;
  /** The order the leg is sent as (README "Order types"); absent = the algorithm decides. */
  orderType?: TargetOrderType;
  /** Minor units: the trigger of a stop or stop-limit order. */
  stopPrice?: number;
  /** Minor units: the protective exits of a bracket, or the two legs of an OCO. */
  takeProfit?: number;
  stopLoss?: number;
  /** Minor units: makes the stop-loss exit a stop-limit at this price. */
  stopLossLimit?: number;
  /** A trailing stop's trail: a percent of the price (2.5 = 2.5 %), or a price distance in minor units. */
  trailPercent?: number;
  trailPrice?: number;
  /** The line's own no-trade band (README "Drift and bands"); wins over `--band`. */
  band?: DriftBand;
  /** Where it came from: `portfolio.csv` line 4, or `portfolio.json` at `$.positions[3]`. */
  place: InputPlace;
  /** The same as messages write it: `portfolio.csv:4` or `portfolio.json $.positions[3]`. */
  location: string;
}

/**
 * Parses a JSON or CSV target file's text; CSV lines are split into fields by `splitCsvLine`
 * (the one CSV reader, in src/market, which this layer does not import). Throws
 * {@link TargetParseError} listing every problem.
 */
export function parseTargetText(text: string, source: string, splitCsvLine: (line: string) => string[]): TargetPortfolio {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new TargetParseError(source, [{ file: source, message: 'the file is empty: give a JSON or CSV target portfolio (see README "Input formats")' }]);
  // Parsed untrimmed so that line numbers in messages are the file's.
  const target = isJson(trimmed, source) ? parseJsonTarget(text.replace(/^\uFEFF/, ''), source) : parseCsvTarget(trimmed, source, splitCsvLine);
  checkTarget(target, source);
  return target;
}

/** Whole-file rules: no duplicate symbols, weights sum to at most 1. */
function checkTarget(target: TargetPortfolio, source: string): void {
  const issues: TargetIssue[] = [];
  const seen = new Map<string, string>();
  for (const p of target.positions) {
    const key = `${p.exchange ?? '*'}:${p.symbol}`;
    const first = seen.get(key) ?? seen.get(`*:${p.symbol}`);
    if (first) issues.push({ ...p.place, field: 'symbol', message: `duplicate symbol ${p.symbol} (first at ${first}): give each symbol once` });
    else seen.set(key, p.location);
  }
  const weights = target.positions.filter((p) => p.amount.kind === 'weight').reduce((s, p) => s + (p.amount as { weight: number }).weight, 0);
  if (weights > 1 + 1e-9) issues.push({ file: source, message: `weights sum to ${weights.toFixed(4)}, above 1: they are fractions of the account value and must total at most 1` });
  const buffer = target.cashBufferPct / 100;
  if (weights > 0 && weights + buffer > 1 + 1e-9) issues.push({ file: source, path: '$.cash_buffer_pct', field: 'cash_buffer_pct', message: `weights (${weights.toFixed(4)}) plus the cash buffer (${target.cashBufferPct}%) exceed 100%` });
  if (issues.length) throw new TargetParseError(source, issues);
}

/**
 * A `.json` file is JSON whatever it holds; other text is JSON when it looks like it (so that
 * `42` is reported as JSON that is not an object, not as a CSV header without a symbol column).
 */
function isJson(text: string, source: string): boolean {
  if (/\.json$/i.test(source)) return true;
  if (text.startsWith('{') || text.startsWith('[')) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
