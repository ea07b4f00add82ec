import { z } from 'zod';
import { issueText, jsonPlace, type InputIssue } from '../../domain/input-issue.js';
import { toMinor } from '../../domain/money.js';
import { parseCsvRows } from '../../market/csv.js';
import type { TcaFill, TcaOrder } from './types.js';

/**
 * `ptexec tca --input FILE`: executions made elsewhere, as JSON or CSV (format in the README and
 * examples/tca-input.json, examples/tca-input.csv). Prices and charges are decimals in the
 * instrument's currency; times are ISO 8601 or epoch milliseconds. An invalid file is a
 * TcaInputError with every problem located (file, CSV line and column, or JSON path).
 */
export class TcaInputError extends Error {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map(issueText).join('\n'));
    this.name = 'TcaInputError';
  }
}

// Built on first use, not when the module loads: every `tca` loads this module, and only
// `tca --input` parses a file (building these costs about 17 ms of a 350 ms start).
function orderSchemas() {
  const Price = z.number().positive();
  const Time = z.union([
    z.number().int().nonnegative(),
    z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 time such as 2025-01-06T09:20:00+05:30'),
  ]);

  const FillSchema = z
    .object({
      quantity: z.number().int().positive(),
      price: Price,
      charges: z.number().nonnegative().default(0),
      time: Time.optional(),
    })
    .strict();

  const OrderSchema = z
    .object({
      id: z.string().min(1).optional(),
      symbol: z.string().min(1),
      exchange: z.string().min(1).optional(),
      side: z.enum(['buy', 'sell']),
      quantity: z.number().int().positive(),
      decision_price: Price,
      arrival_price: Price,
      end_price: Price.optional(),
      benchmarks: z.object({ vwap: Price.optional(), twap: Price.optional(), close: Price.optional() }).strict().optional(),
      market_volume: z.number().int().positive().optional(),
      algo: z.string().min(1).optional(),
      broker: z.string().min(1).optional(),
      currency: z.string().length(3).optional(),
      start: Time.optional(),
      end: Time.optional(),
      fills: z.array(FillSchema),
    })
    .strict()
    .superRefine((o, ctx) => {
      const filled = o.fills.reduce((a, f) => a + f.quantity, 0);
      if (filled > o.quantity) ctx.addIssue({ code: 'custom', path: ['fills'], message: `fills add up to ${filled}, more than the ordered ${o.quantity}` });
    });
  return { OrderSchema, FileSchema: z.object({ orders: z.array(OrderSchema).min(1, 'expected at least one order') }).strict() };
}

let built: ReturnType<typeof orderSchemas> | undefined;
const OrderSchema = z.lazy(() => (built ??= orderSchemas()).OrderSchema);
const FileSchema = z.lazy(() => (built ??= orderSchemas()).FileSchema);

type OrderInput = z.infer<ReturnType<typeof orderSchemas>['OrderSchema']>;

/** Decimal price → minor units, keeping fractions of a minor unit (a mid or a VWAP may have them). */
function priceToMinor(price: number): number {
  return Number((price * 100).toFixed(6));
}

function toMs(t: string | number | undefined): number | undefined {
  if (t === undefined) return undefined;
  return typeof t === 'number' ? t : Date.parse(t);
}

function currencyFor(o: OrderInput): string | undefined {
  if (o.currency) return o.currency.toUpperCase();
  if (o.exchange === 'NSE' || o.exchange === 'BSE') return 'INR';
  if (o.exchange === 'NYSE' || o.exchange === 'NASDAQ') return 'USD';
  return undefined;
}

function toOrder(o: OrderInput, index: number): TcaOrder {
  const fills: TcaFill[] = o.fills.map((f) => ({ quantity: f.quantity, price: priceToMinor(f.price), charges: toMinor(f.charges), ts: toMs(f.time) }));
  return {
    id: o.id ?? `${index + 1}:${o.symbol}`,
    symbol: o.symbol,
    exchange: o.exchange,
    side: o.side,
    quantity: o.quantity,
    decisionPrice: priceToMinor(o.decision_price),
    arrivalPrice: priceToMinor(o.arrival_price),
    endPrice: o.end_price === undefined ? undefined : priceToMinor(o.end_price),
    benchmarks: o.benchmarks && {
      vwap: o.benchmarks.vwap === undefined ? undefined : priceToMinor(o.benchmarks.vwap),
      twap: o.benchmarks.twap === undefined ? undefined : priceToMinor(o.benchmarks.twap),
      close: o.benchmarks.close === undefined ? undefined : priceToMinor(o.benchmarks.close),
    },
    marketVolume: o.market_volume,
    algo: o.algo,
    broker: o.broker,
    currency: currencyFor(o),
    startTs: toMs(o.start),
    endTs: toMs(o.end),
    fills,
  };
}

/** A problem at a CSV line, in a column when one is named. */
function csvIssue(file: string, line: number, column: string | undefined, message: string): TcaInputError {
  return new TcaInputError([{ file, line, field: column, message }]);
}

export function parseTcaJson(text: string, origin: string): TcaOrder[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new TcaInputError([{ file: origin, message: `not valid JSON (${(err as Error).message})` }]);
  }
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TcaInputError(parsed.error.issues.slice(0, 5).map((i) => ({ ...jsonPlace(origin, i.path), message: i.message })));
  }
  return parsed.data.orders.map(toOrder);
}

/** CSV columns, one row per fill; an order without fills has one row with the fill columns empty. */
export const TCA_CSV_COLUMNS = [
  'order_id',
  'symbol',
  'exchange',
  'side',
  'quantity',
  'decision_price',
  'arrival_price',
  'end_price',
  'vwap',
  'twap',
  'close',
  'market_volume',
  'algo',
  'broker',
  'currency',
  'start',
  'end',
  'fill_quantity',
  'fill_price',
  'fill_charges',
  'fill_time',
] as const;
const REQUIRED = ['order_id', 'symbol', 'side', 'quantity', 'decision_price', 'arrival_price'];
const ORDER_COLUMNS = TCA_CSV_COLUMNS.filter((c) => !c.startsWith('fill_') && c !== 'order_id');
const NUMERIC = new Set(['quantity', 'decision_price', 'arrival_price', 'end_price', 'vwap', 'twap', 'close', 'market_volume', 'fill_quantity', 'fill_price', 'fill_charges']);

/** The rows of one order in a CSV: its order fields (from its first line on) and its fills. */
interface CsvOrderRows {
  first: number;
  order: Record<string, unknown>;
  fills: Record<string, unknown>[];
  fillLines: number[];
}

/**
 * A TCA CSV: one line per fill (or per order without fills), the order's fields repeated or given
 * once; lines of one order that disagree on a field are refused rather than one silently winning.
 */
export function parseTcaCsv(text: string, origin: string): TcaOrder[] {
  const { rows, unterminatedLine } = parseCsvRows(text.replace(/^\uFEFF/, ''));
  if (unterminatedLine !== undefined) throw csvIssue(origin, unterminatedLine, undefined, 'unterminated quoted field');
  const header = rows.shift();
  if (!header) throw new TcaInputError([{ file: origin, message: 'empty file' }]);
  const columns = header.cells.map((c) => c.trim().toLowerCase());
  for (const c of columns) {
    if (!(TCA_CSV_COLUMNS as readonly string[]).includes(c)) throw csvIssue(origin, header.line, undefined, `unknown column "${c}" (expected: ${TCA_CSV_COLUMNS.join(', ')})`);
  }
  for (const r of REQUIRED) if (!columns.includes(r)) throw csvIssue(origin, header.line, undefined, `missing column "${r}"`);

  const orders = new Map<string, CsvOrderRows>();
  for (const row of rows) addCsvRow(orders, row, columns, origin);
  const result: TcaOrder[] = [];
  let index = 0;
  for (const [id, entry] of orders) result.push(csvOrder(id, entry, index++, origin));
  if (result.length === 0) throw new TcaInputError([{ file: origin, message: 'no orders (only a header line)' }]);
  return result;
}

/** Adds one CSV line to its order: the order fields it gives, and its fill if it has one. */
function addCsvRow(orders: Map<string, CsvOrderRows>, row: { line: number; cells: string[] }, columns: string[], origin: string): void {
  if (row.cells.length !== columns.length) throw csvIssue(origin, row.line, undefined, `${row.cells.length} fields, expected ${columns.length}`);
  const get = (name: string): string | undefined => {
    const i = columns.indexOf(name);
    const v = i < 0 ? undefined : row.cells[i]!.trim();
    return v === '' ? undefined : v;
  };
  const value = (name: string): unknown => {
    const v = get(name);
    if (v === undefined) return undefined;
    if (!NUMERIC.has(name)) return v;
    const n = Number(v);
    if (!Number.isFinite(n)) throw csvIssue(origin, row.line, name, `not a number: "${v}"`);
    return n;
  };
  const id = get('order_id');
  if (!id) throw csvIssue(origin, row.line, 'order_id', 'required');
  const orderFields: Record<string, unknown> = {};
  for (const c of ORDER_COLUMNS) {
    const v = value(c);
    if (v !== undefined) orderFields[c] = v;
  }
  const entry = orders.get(id);
  if (!entry) orders.set(id, { first: row.line, order: orderFields, fills: [], fillLines: [] });
  else {
    for (const c of ORDER_COLUMNS) {
      if (orderFields[c] !== undefined && entry.order[c] !== undefined && orderFields[c] !== entry.order[c]) {
        throw csvIssue(origin, row.line, c, `"${String(orderFields[c])}" differs from line ${entry.first} ("${String(entry.order[c])}") for order ${id}`);
      }
      if (entry.order[c] === undefined && orderFields[c] !== undefined) entry.order[c] = orderFields[c];
    }
  }
  const target = orders.get(id)!;
  const fq = value('fill_quantity');
  const fp = value('fill_price');
  if (fq !== undefined || fp !== undefined) {
    const fill: Record<string, unknown> = { quantity: fq, price: fp };
    const fc = value('fill_charges');
    const ft = value('fill_time');
    if (fc !== undefined) fill.charges = fc;
    if (ft !== undefined) fill.time = /^\d+$/.test(String(ft)) ? Number(ft) : ft;
    target.fills.push(fill);
    target.fillLines.push(row.line);
  }
}

/** One order of a CSV, validated by the JSON schema; a problem is placed on the CSV line and column it came from. */
function csvOrder(id: string, entry: CsvOrderRows, index: number, origin: string): TcaOrder {
  const o = entry.order;
  const raw = {
    id,
    symbol: o.symbol,
    exchange: o.exchange,
    side: o.side,
    quantity: o.quantity,
    decision_price: o.decision_price,
    arrival_price: o.arrival_price,
    end_price: o.end_price,
    benchmarks: o.vwap !== undefined || o.twap !== undefined || o.close !== undefined ? { vwap: o.vwap, twap: o.twap, close: o.close } : undefined,
    market_volume: o.market_volume,
    algo: o.algo,
    broker: o.broker,
    currency: o.currency,
    start: o.start !== undefined && /^\d+$/.test(String(o.start)) ? Number(o.start) : o.start,
    end: o.end !== undefined && /^\d+$/.test(String(o.end)) ? Number(o.end) : o.end,
    fills: entry.fills,
  };
  const parsed = OrderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const [first, second, third] = issue.path;
    let line = entry.first;
    let column = String(first ?? '');
    if (first === 'fills' && typeof second === 'number') {
      line = entry.fillLines[second] ?? entry.first;
      column = `fill_${String(third ?? 'quantity')}`;
    } else if (first === 'benchmarks') column = String(second ?? 'benchmarks');
    else if (first === 'fills') column = 'fill_quantity';
    throw csvIssue(origin, line, column, `${issue.message} (order ${id})`);
  }
  return toOrder(parsed.data, index);
}

/** Picks the parser by file name (.csv → CSV) or, for stdin, by the first non-blank character. */
export function parseTcaInput(text: string, origin: string): TcaOrder[] {
  const isCsv = origin.toLowerCase().endsWith('.csv') || (!origin.toLowerCase().endsWith('.json') && !/^\s*[[{]/.test(text));
  return isCsv ? parseTcaCsv(text, origin) : parseTcaJson(text, origin);
}
