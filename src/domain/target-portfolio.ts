import { z } from 'zod';
import { EXCHANGES, type Exchange } from './instrument.js';
import { MINOR_PER_MAJOR, toMinor } from './money.js';
import { duplicateKeys } from './json-duplicate-keys.js';
import { TargetParseError, type TargetIssue } from './errors/target-parse-error.js';
import { jsonPlace, placeText, type InputPlace } from './input-issue.js';
import { orderFieldIssues, TARGET_ORDER_TYPES, type TargetOrderType } from './target-order-fields.js';

export { TargetParseError, type TargetIssue } from './errors/target-parse-error.js';

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
  /** Where it came from: `portfolio.csv` line 4, or `portfolio.json` at `$.positions[3]`. */
  place: InputPlace;
  /** The same as messages write it: `portfolio.csv:4` or `portfolio.json $.positions[3]`. */
  location: string;
}

/** Largest quantity or value accepted: anything above is a typo, not a portfolio. */
export const MAX_QUANTITY = 100_000_000;

/** zod 4 reports a missing key and a wrong type alike; say which it is. */
const typeError = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);

const symbolSchema = z
  .string({ error: typeError('a text symbol such as "RELIANCE"') })
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'is too long for a symbol')
  .regex(/^[A-Za-z0-9&._-]+$/, 'may contain only letters, digits and & . _ -')
  .transform((s) => s.toUpperCase());

const exchangeSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .refine((s): s is Exchange => (EXCHANGES as readonly string[]).includes(s), { message: `must be one of ${EXCHANGES.join(', ')}` });

const quantitySchema = z
  .number({ error: typeError('a number') })
  .refine(Number.isFinite, 'must be a finite number')
  .refine(Number.isInteger, 'must be a whole number of shares')
  .refine((n) => n >= 0, 'must not be negative (a target of 0 sells the whole holding)')
  .refine((n) => n <= MAX_QUANTITY, `is absurdly large (over ${MAX_QUANTITY.toLocaleString('en-US')} shares)`);

const weightSchema = z
  .number({ error: typeError('a number') })
  .refine(Number.isFinite, 'must be a finite number')
  .refine((n) => n >= 0 && n <= 1, 'must be a fraction between 0 and 1 (0.05 = 5%)');

const valueSchema = z
  .number({ error: typeError('a number') })
  .refine(Number.isFinite, 'must be a finite number')
  .refine((n) => n >= 0 && n <= 1e13, 'must be between 0 and 10,000,000,000,000');

const priceSchema = z
  .number({ error: typeError('a number') })
  .refine((n) => Number.isFinite(n) && n > 0 && n < 1e8, 'must be a positive price');

/** Lower-cased, so `TWAP` names the same algorithm as `--algo twap`. */
const algoSchema = z
  .string()
  .trim()
  .min(1)
  .transform((s) => s.toLowerCase());

const orderTypeSchema = z
  .string({ error: typeError(`one of ${TARGET_ORDER_TYPES.join(', ')}`) })
  .trim()
  .transform((s) => s.toLowerCase().replace('-', '_'))
  .refine((s): s is TargetOrderType => (TARGET_ORDER_TYPES as readonly string[]).includes(s), { message: `must be one of ${TARGET_ORDER_TYPES.join(', ')}` });

const algoParamsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const requestShape = z
  .object({
    broker: z.string().trim().min(1).optional(),
    credentials: z.unknown().optional(),
    target_portfolio: z
      .array(
        z
          .object({
            symbol: symbolSchema,
            exchange: exchangeSchema.optional(),
            target_quantity: quantitySchema,
            limit_price: priceSchema.optional(),
          })
          .strict(),
      )
      .min(1, 'is empty: list at least one {"symbol", "target_quantity"}'),
    cash_buffer_pct: z.number().min(0).max(100).optional(),
  })
  .strict();

const positionsShape = z
  .object({
    positions: z
      .array(
        z
          .object({
            symbol: symbolSchema,
            exchange: exchangeSchema.optional(),
            quantity: quantitySchema.optional(),
            weight: weightSchema.optional(),
            value: valueSchema.optional(),
            limit_price: priceSchema.optional(),
            decision_price: priceSchema.optional(),
            algo: algoSchema.optional(),
            algo_params: algoParamsSchema.optional(),
            order_type: orderTypeSchema.optional(),
            stop_price: priceSchema.optional(),
            take_profit: priceSchema.optional(),
            stop_loss: priceSchema.optional(),
            stop_loss_limit: priceSchema.optional(),
          })
          .strict()
          .superRefine((p, ctx) => {
            const given = ['quantity', 'weight', 'value'].filter((k) => p[k as 'quantity'] !== undefined);
            if (given.length !== 1) ctx.addIssue({ code: 'custom', message: `needs exactly one of "quantity", "weight" or "value" (found ${given.length ? given.join(' and ') : 'none'})` });
            const orderIssues = orderFieldIssues({
              orderType: p.order_type,
              limitPrice: p.limit_price,
              stopPrice: p.stop_price,
              takeProfit: p.take_profit,
              stopLoss: p.stop_loss,
              stopLossLimit: p.stop_loss_limit,
              algo: p.algo,
            });
            for (const issue of orderIssues) ctx.addIssue({ code: 'custom', path: [issue.field], message: issue.message, params: { whole: true } });
          }),
      )
      .min(1, 'is empty: list at least one position'),
    cash_buffer_pct: z.number({ error: typeError('a number') }).min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').optional(),
  })
  .strict();

/**
 * Parses a JSON or CSV target file's text; CSV lines are split into fields by `splitCsvLine`
 * (the one CSV reader, in src/market, which this layer does not import). Throws
 * {@link TargetParseError} listing every problem.
 */
export function parseTargetText(text: string, source: string, splitCsvLine: (line: string) => string[]): TargetPortfolio {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) throw new TargetParseError(source, [{ file: source, message: 'the file is empty: give a JSON or CSV target portfolio (see README "Input formats")' }]);
  // Parsed untrimmed so that line numbers in messages are the file's.
  const target = isJson(trimmed, source) ? parseJson(text.replace(/^\uFEFF/, ''), source) : parseCsv(trimmed, source, splitCsvLine);
  checkTarget(target, source);
  return target;
}

function parseJson(text: string, source: string): TargetPortfolio {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    throw new TargetParseError(source, [{ file: source, line: pos ? lineOf(text, Number(pos[1])) : undefined, message: `is not valid JSON (${message})` }]);
  }
  const duplicates = duplicateKeys(text);
  if (duplicates.length) {
    throw new TargetParseError(
      source,
      duplicates.map((d) => ({
        file: source,
        path: d.path,
        line: d.line,
        field: d.key,
        message: `"${d.key}" is given twice (first at line ${d.firstLine}): JSON would silently keep the last one; give each key once`,
      })),
    );
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TargetParseError(source, [
      { file: source, message: 'is JSON but not an object: a target portfolio is an object with "positions" or "target_portfolio" (see README "Input formats")' },
    ]);
  }
  if ('credentials' in raw && (raw as { credentials?: unknown }).credentials !== undefined) {
    throw new TargetParseError(source, [
      {
        file: source,
        path: '$.credentials',
        field: 'credentials',
        message: 'contains credentials: secrets do not belong in portfolio files. Remove "credentials" and log in with `ptexec brokers login <broker>` or the PTEXEC_<BROKER>_* environment variables',
      },
    ]);
  }
  if ('target_portfolio' in raw) {
    const r = requestShape.safeParse(raw);
    if (!r.success) throw new TargetParseError(source, zodIssues(r.error, source));
    return {
      broker: r.data.broker,
      cashBufferPct: r.data.cash_buffer_pct ?? 0,
      positions: r.data.target_portfolio.map((p, i) => ({
        symbol: p.symbol,
        exchange: p.exchange,
        amount: { kind: 'quantity', quantity: p.target_quantity },
        limitPrice: asWrittenOrUndefined(p.limit_price),
        ...at(source, `$.target_portfolio[${i}]`),
      })),
    };
  }
  if ('positions' in raw) {
    const r = positionsShape.safeParse(raw);
    if (!r.success) throw new TargetParseError(source, zodIssues(r.error, source));
    return {
      cashBufferPct: r.data.cash_buffer_pct ?? 0,
      positions: r.data.positions.map((p, i) => ({
        symbol: p.symbol,
        exchange: p.exchange,
        amount:
          p.quantity !== undefined ? { kind: 'quantity', quantity: p.quantity } : p.weight !== undefined ? { kind: 'weight', weight: p.weight } : { kind: 'value', value: toMinor(p.value!) },
        limitPrice: asWrittenOrUndefined(p.limit_price),
        decisionPrice: p.decision_price === undefined ? undefined : toMinor(p.decision_price),
        algo: p.algo,
        algoParams: p.algo_params,
        ...definedOnly({
          orderType: p.order_type,
          stopPrice: asWrittenOrUndefined(p.stop_price),
          takeProfit: asWrittenOrUndefined(p.take_profit),
          stopLoss: asWrittenOrUndefined(p.stop_loss),
          stopLossLimit: asWrittenOrUndefined(p.stop_loss_limit),
        }),
        ...at(source, `$.positions[${i}]`),
      })),
    };
  }
  throw new TargetParseError(source, [
    { file: source, message: 'is not a target portfolio: expected an object with "positions" or "target_portfolio" (see README "Input formats")' },
  ]);
}

const CSV_AMOUNT_COLUMNS = ['target_quantity', 'quantity', 'weight', 'value'] as const;
const CSV_ORDER_COLUMNS = ['order_type', 'stop_price', 'take_profit', 'stop_loss', 'stop_loss_limit'] as const;

function parseCsv(text: string, source: string, splitCsvLine: (line: string) => string[]): TargetPortfolio {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0]!).map((h) => h.trim().toLowerCase());
  const issues: TargetIssue[] = [];
  const col = (name: string) => header.indexOf(name);
  header.forEach((name, i) => {
    const first = header.indexOf(name);
    if (name && first < i) {
      throw new TargetParseError(source, [{ file: source, line: 1, message: `the CSV header has "${name}" twice (columns ${first + 1} and ${i + 1}): give each column once` }]);
    }
  });
  if (col('symbol') < 0) {
    throw new TargetParseError(source, [{ file: source, line: 1, message: 'the CSV header has no "symbol" column (expected e.g. "symbol,target_quantity" or "symbol,weight")' }]);
  }
  const amountCols = CSV_AMOUNT_COLUMNS.filter((c) => col(c) >= 0);
  if (amountCols.length !== 1) {
    throw new TargetParseError(source, [
      { file: source, line: 1, message: `the CSV header needs exactly one of ${CSV_AMOUNT_COLUMNS.join(', ')} (found ${amountCols.length ? amountCols.join(', ') : 'none'})` },
    ]);
  }
  const known = new Set(['symbol', 'exchange', 'limit_price', 'decision_price', 'algo', ...CSV_ORDER_COLUMNS, ...CSV_AMOUNT_COLUMNS]);
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length) issues.push({ file: source, line: 1, message: `unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; allowed: ${[...known].join(', ')}` });
  const amountCol = amountCols[0]!;
  const positions: TargetPosition[] = [];
  lines.slice(1).forEach((line, i) => {
    const lineNo = i + 2;
    if (!line.trim() || line.trim().startsWith('#')) return;
    const cells = splitCsvLine(line);
    const place: InputPlace = { file: source, line: lineNo };
    const location = placeText(place);
    const cell = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const at = (field: string, message: string) => issues.push({ ...place, field, message });
    const symbol = symbolSchema.safeParse(cell('symbol'));
    if (!symbol.success) at('symbol', `symbol ${symbol.error.issues[0]!.message}`);
    const exchangeText = cell('exchange');
    const exchange = exchangeText ? exchangeSchema.safeParse(exchangeText) : undefined;
    if (exchange && !exchange.success) at('exchange', `exchange "${exchangeText}" ${exchange.error.issues[0]!.message}`);
    const amountText = cell(amountCol);
    const amountNum = parseNumber(amountText);
    let amount: TargetAmount | undefined;
    const schema = amountCol === 'weight' ? weightSchema : amountCol === 'value' ? valueSchema : quantitySchema;
    const parsed = amountNum === undefined ? undefined : schema.safeParse(amountNum);
    if (amountNum === undefined) at(amountCol, `${amountCol} "${amountText}" is not a number`);
    else if (!parsed!.success) at(amountCol, `${amountCol} ${parsed!.error.issues[0]!.message}`);
    else amount = amountCol === 'weight' ? { kind: 'weight', weight: amountNum } : amountCol === 'value' ? { kind: 'value', value: toMinor(amountNum) } : { kind: 'quantity', quantity: amountNum };
    const priceOf = (name: string, toUnits: (major: number) => number = asWritten) => {
      const t = cell(name);
      if (!t) return undefined;
      const n = parseNumber(t);
      const p = n === undefined ? undefined : priceSchema.safeParse(n);
      if (!p?.success) {
        at(name, `${name} "${t}" ${p ? p.error.issues[0]!.message : 'must be a positive price'}`);
        return undefined;
      }
      return toUnits(p.data);
    };
    const limitPrice = priceOf('limit_price');
    const decisionPrice = priceOf('decision_price', toMinor);
    const typeText = cell('order_type');
    const orderType = typeText ? orderTypeSchema.safeParse(typeText) : undefined;
    if (orderType && !orderType.success) at('order_type', `order_type "${typeText}" ${orderType.error.issues[0]!.message}`);
    const order = definedOnly({
      orderType: orderType?.success ? orderType.data : undefined,
      stopPrice: priceOf('stop_price'),
      takeProfit: priceOf('take_profit'),
      stopLoss: priceOf('stop_loss'),
      stopLossLimit: priceOf('stop_loss_limit'),
    });
    const algo = cell('algo').toLowerCase() || undefined;
    for (const issue of orderFieldIssues({ ...order, limitPrice, algo })) at(issue.field, issue.message);
    if (symbol.success && amount && (!exchange || exchange.success)) {
      positions.push({ symbol: symbol.data, exchange: exchange?.data, amount, limitPrice, decisionPrice, algo, ...order, place, location });
    }
  });
  if (issues.length) throw new TargetParseError(source, issues);
  if (!positions.length) throw new TargetParseError(source, [{ file: source, message: 'has a header but no rows: add one line per symbol' }]);
  return { positions, cashBufferPct: 0 };
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

function zodIssues(error: z.ZodError, source: string): TargetIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    const field = issue.path.length ? String(issue.path[issue.path.length - 1]) : '';
    // Messages of cross-field rules are whole sentences; the others read "<field> <message>".
    const whole = issue.code === 'custom' && (issue.params as { whole?: boolean } | undefined)?.whole === true;
    return { ...jsonPlace(source, issue.path), message: field && !whole && !message.startsWith('unknown') ? `${field} ${message}` : message };
  });
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

/** An order price in minor units, unrounded (see {@link TargetPosition.limitPrice}). */
function asWritten(major: number): number {
  // toFixed(6) removes binary noise such as 312005.49999999994 before the tick check.
  return Number((major * MINOR_PER_MAJOR).toFixed(6));
}

function asWrittenOrUndefined(major: number | undefined): number | undefined {
  return major === undefined ? undefined : asWritten(major);
}

/** A line of a JSON target: where it is, structured and as messages write it. */
function at(file: string, path: string): { place: InputPlace; location: string } {
  const place = { file, path };
  return { place, location: placeText(place) };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function parseNumber(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) return undefined;
  return Number(text);
}

function lineOf(text: string, position: number): number {
  return text.slice(0, position).split('\n').length;
}
