import { bandLimitProblem, type DriftBand } from './drift-band.js';
import { TargetParseError, type TargetIssue } from './errors/target-parse-error.js';
import { placeText, type InputPlace } from './input-issue.js';
import { toMinor } from './money.js';
import { orderFieldIssues } from './target-order-fields.js';
import { asWritten, definedOnly, exchangeSchema, orderTypeSchema, parseNumber, priceSchema, quantitySchema, symbolSchema, valueSchema, weightSchema } from './target-fields.js';
import type { TargetAmount, TargetPortfolio, TargetPosition } from './target-portfolio.js';

const CSV_AMOUNT_COLUMNS = ['target_quantity', 'quantity', 'weight', 'value'] as const;
const CSV_ORDER_COLUMNS = ['order_type', 'stop_price', 'take_profit', 'stop_loss', 'stop_loss_limit', 'trail_percent', 'trail_price'] as const;
const CSV_BAND_COLUMNS = { band_abs: 'abs', band_rel: 'rel' } as const;
type AmountColumn = (typeof CSV_AMOUNT_COLUMNS)[number];

/** The columns of a CSV target: where each is, and which one carries the amount. */
interface CsvHeader {
  col: (name: string) => number;
  amountCol: AmountColumn;
}

/**
 * Reads a CSV target (README "Input formats"): a header naming the columns, then one line per
 * symbol. Every line is read, so one error message lists every bad line; `#` lines are comments.
 */
export function parseCsvTarget(text: string, source: string, splitCsvLine: (line: string) => string[]): TargetPortfolio {
  const lines = text.split(/\r?\n/);
  const issues: TargetIssue[] = [];
  const header = readHeader(splitCsvLine(lines[0]!), source, issues);
  const positions: TargetPosition[] = [];
  lines.slice(1).forEach((line, i) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    const position = readLine(splitCsvLine(line), header, { file: source, line: i + 2 }, issues);
    if (position) positions.push(position);
  });
  if (issues.length) throw new TargetParseError(source, issues);
  if (!positions.length) throw new TargetParseError(source, [{ file: source, message: 'has a header but no rows: add one line per symbol' }]);
  return { positions, cashBufferPct: 0 };
}

/**
 * The header: a repeated column, no symbol column or not exactly one amount column make every
 * line unreadable and are thrown at once; unknown columns are listed with the lines' issues.
 */
function readHeader(cells: string[], source: string, issues: TargetIssue[]): CsvHeader {
  const header = cells.map((h) => h.trim().toLowerCase());
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
  const known = new Set(['symbol', 'exchange', 'limit_price', 'decision_price', 'algo', ...CSV_ORDER_COLUMNS, ...Object.keys(CSV_BAND_COLUMNS), ...CSV_AMOUNT_COLUMNS]);
  const unknown = header.filter((h) => !known.has(h));
  if (unknown.length) issues.push({ file: source, line: 1, message: `unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; allowed: ${[...known].join(', ')}` });
  return { col, amountCol: amountCols[0]! };
}

/** One line as a position, or undefined with its problems added to `issues`. */
function readLine(cells: string[], header: CsvHeader, place: InputPlace, issues: TargetIssue[]): TargetPosition | undefined {
  const { col, amountCol } = header;
  const location = placeText(place);
  const cell = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
  const at = (field: string, message: string) => issues.push({ ...place, field, message });
  const symbol = symbolSchema.safeParse(cell('symbol'));
  if (!symbol.success) at('symbol', `symbol ${symbol.error.issues[0]!.message}`);
  const exchangeText = cell('exchange');
  const exchange = exchangeText ? exchangeSchema.safeParse(exchangeText) : undefined;
  if (exchange && !exchange.success) at('exchange', `exchange "${exchangeText}" ${exchange.error.issues[0]!.message}`);
  const amount = readAmount(cell(amountCol), amountCol, at);
  const priceOf = (name: string, toUnits: (major: number) => number = asWritten) => readPrice(cell(name), name, toUnits, at);
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
    trailPercent: readTrailPercent(cell('trail_percent'), at),
    trailPrice: priceOf('trail_price'),
  });
  const algo = cell('algo').toLowerCase() || undefined;
  for (const issue of orderFieldIssues({ ...order, limitPrice, algo })) at(issue.field, issue.message);
  const band = readBand(cell, at);
  if (!symbol.success || !amount || (exchange && !exchange.success)) return undefined;
  return { symbol: symbol.data, exchange: exchange?.data, amount, limitPrice, decisionPrice, algo, ...order, ...definedOnly({ band }), place, location };
}

type Report = (field: string, message: string) => void;

/** A trail percent cell: a number (2.5 = 2.5 %), its range checked with the other order fields; empty = none. */
function readTrailPercent(text: string, at: Report): number | undefined {
  if (!text) return undefined;
  const n = parseNumber(text);
  if (n === undefined) at('trail_percent', `trail_percent "${text}" is not a number (2.5 = 2.5 %)`);
  return n;
}

/** The line's amount in the header's amount column: a quantity, a weight, or a value in major units. */
function readAmount(text: string, column: AmountColumn, at: Report): TargetAmount | undefined {
  const n = parseNumber(text);
  if (n === undefined) {
    at(column, `${column} "${text}" is not a number`);
    return undefined;
  }
  const schema = column === 'weight' ? weightSchema : column === 'value' ? valueSchema : quantitySchema;
  const parsed = schema.safeParse(n);
  if (!parsed.success) {
    at(column, `${column} ${parsed.error.issues[0]!.message}`);
    return undefined;
  }
  return column === 'weight' ? { kind: 'weight', weight: n } : column === 'value' ? { kind: 'value', value: toMinor(n) } : { kind: 'quantity', quantity: n };
}

/** The line's band from `band_abs` / `band_rel`: fractions, or percentages with `%`; empty cells are no limit. */
function readBand(cell: (name: string) => string, at: Report): DriftBand | undefined {
  const band: DriftBand = {};
  for (const [column, key] of Object.entries(CSV_BAND_COLUMNS)) {
    const text = cell(column);
    if (!text) continue;
    const percent = text.endsWith('%');
    const n = parseNumber(percent ? text.slice(0, -1) : text);
    const value = n === undefined ? undefined : percent ? n / 100 : n;
    const problem = value === undefined ? 'is not a number (write 0.02 or 2%)' : bandLimitProblem(key, value);
    if (problem) at(column, `${column} "${text}" ${problem}`);
    else band[key] = value;
  }
  return band.abs === undefined && band.rel === undefined ? undefined : band;
}

/** An optional price cell, in minor units by `toUnits`; an empty cell is no price. */
function readPrice(text: string, name: string, toUnits: (major: number) => number, at: Report): number | undefined {
  if (!text) return undefined;
  const n = parseNumber(text);
  const p = n === undefined ? undefined : priceSchema.safeParse(n);
  if (!p?.success) {
    at(name, `${name} "${text}" ${p ? p.error.issues[0]!.message : 'must be a positive price'}`);
    return undefined;
  }
  return toUnits(p.data);
}
