import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { Exchange } from '../../domain/instrument.js';
import { parseCsvRows, type CsvRow } from '../../market/csv.js';

/**
 * What an instrument file says of one listing. Files differ in what they carry: the Kite
 * instruments dump has tick and lot but no volume, a bhavcopy has prices and volumes but no ISIN;
 * what a file leaves out is taken from the listing already known, or defaulted.
 */
export interface ListingFacts {
  symbol: string;
  exchange: Exchange;
  name?: string;
  isin?: string;
  series?: string;
  lot?: number;
  /** Minor units. */
  tick?: number;
  /** Minor units. */
  price?: number;
  adv?: number;
  volatility?: number;
}

export type UniverseFormat = 'ptexec' | 'kite' | 'bhavcopy' | 'broker';

export interface ParsedUniverseFile {
  format: UniverseFormat;
  listings: ListingFacts[];
  /** The date the figures are of (`# as_of:` line, or the bhavcopy's trading date). */
  asOf?: string;
  /** Rows the file holds that are not listed equities on NSE or BSE (derivatives, bonds, …). */
  ignored: number;
  /** A broker's instrument master: which broker's. */
  broker?: string;
}

const INDIAN: ReadonlySet<string> = new Set(['NSE', 'BSE']);
/** Equity series of NSE's bhavcopy and list of equities: rolling settlement, trade-for-trade, and the Z group. */
const EQUITY_SERIES: ReadonlySet<string> = new Set(['EQ', 'BE', 'BZ']);

/**
 * Reads an instrument file of a known format, told apart by its header. `others` names the
 * further formats the caller reads (the brokers' instrument masters), for the message that
 * refuses a file of none of them.
 */
export function parseUniverseFile(text: string, source: string, others: readonly string[] = []): ParsedUniverseFile {
  const asOf = /^#\s*as_of:\s*(\d{4}-\d{2}-\d{2})/m.exec(text)?.[1];
  // Comment lines are blanked, not removed, so a line number in a message is the file's own.
  const { rows, unterminatedLine } = parseCsvRows(text.replace(/^\uFEFF/, '').split('\n').map((line) => (line.startsWith('#') ? '' : line)).join('\n'));
  if (unterminatedLine !== undefined) throw new InvalidInputError(`${source}: a quote opened on line ${unterminatedLine} never closes`, 'fix the quoting of that line');
  const header = rows[0]?.cells.map((c) => c.trim().toLowerCase()) ?? [];
  const body = rows.slice(1);
  if (header.includes('tradingsymbol') && header.includes('instrument_type')) return { format: 'kite', ...kiteListings(header, body, source) };
  if (header.includes('ttl_trd_qnty') && header.includes('close_price')) return { format: 'bhavcopy', ...bhavcopyListings(header, body, source) };
  if (header.includes('tckrsymb') && header.includes('clspric') && header.includes('ttltradgvol')) return { format: 'bhavcopy', ...udiffListings(header, body, source) };
  if (header.includes('symbol') && header.includes('price')) return { format: 'ptexec', asOf, ...ptexecListings(header, body, source) };
  const formats = [
    "ptexec's universe CSV (symbol,exchange,isin,name,lot,price,adv,volatility)",
    'the Kite instruments dump (api.kite.trade/instruments)',
    "NSE's full bhavcopy (sec_bhavdata_full_DDMMYYYY.csv)",
    "NSE's or BSE's equity bhavcopy (BhavCopy_NSE_CM_…csv, BhavCopy_BSE_CM_…CSV)",
    ...others,
  ];
  throw new InvalidInputError(
    `${source}${rows[0] ? `:${rows[0].line}` : ''}: not an instrument file ptexec reads (${rows[0] ? `header: ${header.slice(0, 6).join(',')}` : 'no header line'})`,
    `give one of: ${formats.join('; ')}`,
  );
}

type Columns = (name: string) => (row: CsvRow) => string;

function columns(header: string[], source: string, required: readonly string[]): Columns {
  const missing = required.filter((name) => !header.includes(name));
  if (missing.length) throw new InvalidInputError(`${source}: the header lacks ${missing.join(', ')}`, 'keep the file as it was downloaded, header line included');
  return (name) => {
    const at = header.indexOf(name);
    return (row) => (at < 0 ? '' : (row.cells[at] ?? '').trim());
  };
}

function number(text: string, what: string, source: string, row: CsvRow): number | undefined {
  if (text === '' || text === '-') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new InvalidInputError(`${source}:${row.line}: ${what} "${text}" is not a non-negative number`, 'fix or remove that line');
  return n;
}

const minor = (rupees: number | undefined) => (rupees === undefined ? undefined : Math.round(rupees * 100));
const positive = (n: number | undefined) => (n === undefined || n <= 0 ? undefined : n);

function ptexecListings(header: string[], body: CsvRow[], source: string): Omit<ParsedUniverseFile, 'format' | 'asOf'> {
  const col = columns(header, source, ['symbol', 'price']);
  const [symbol, exchange, series, isin, name, lot, tick, price, adv, volatility] = ['symbol', 'exchange', 'series', 'isin', 'name', 'lot', 'tick', 'price', 'adv', 'volatility'].map(col) as ReturnType<Columns>[];
  let ignored = 0;
  const listings: ListingFacts[] = [];
  for (const row of body) {
    const where = (exchange!(row) || 'NSE').toUpperCase();
    if (!INDIAN.has(where)) {
      ignored++;
      continue;
    }
    listings.push(
      compact({
        symbol: symbol!(row).toUpperCase(),
        exchange: where as Exchange,
        series: series!(row) || undefined,
        isin: isin!(row) || undefined,
        name: name!(row) || undefined,
        lot: positive(number(lot!(row), 'lot', source, row)),
        tick: positive(minor(number(tick!(row), 'tick', source, row))),
        price: positive(minor(number(price!(row), 'price', source, row))),
        adv: number(adv!(row), 'adv', source, row),
        volatility: positive(number(volatility!(row), 'volatility', source, row)),
      }),
    );
  }
  return { listings, ignored };
}

function kiteListings(header: string[], body: CsvRow[], source: string): Omit<ParsedUniverseFile, 'format'> {
  const col = columns(header, source, ['tradingsymbol', 'exchange', 'instrument_type', 'tick_size', 'lot_size']);
  const [symbol, name, last, tick, lot, type, exchange, segment] = ['tradingsymbol', 'name', 'last_price', 'tick_size', 'lot_size', 'instrument_type', 'exchange', 'segment'].map(col) as ReturnType<Columns>[];
  let ignored = 0;
  const listings: ListingFacts[] = [];
  for (const row of body) {
    // Indices are listed as EQ too, in segment INDICES: only the cash segment is tradable.
    if (type!(row) !== 'EQ' || !INDIAN.has(exchange!(row)) || (segment!(row) !== '' && segment!(row) !== exchange!(row))) {
      ignored++;
      continue;
    }
    listings.push(
      compact({
        symbol: symbol!(row).toUpperCase(),
        exchange: exchange!(row) as Exchange,
        name: name!(row) || undefined,
        lot: positive(number(lot!(row), 'lot_size', source, row)),
        tick: positive(minor(number(tick!(row), 'tick_size', source, row))),
        // The dump's last_price is often 0 (filled only during some hours): a zero is no price.
        price: positive(minor(number(last!(row), 'last_price', source, row))),
      }),
    );
  }
  return { listings, ignored };
}

const MONTHS: Record<string, string> = { JAN: '01', FEB: '02', MAR: '03', APR: '04', MAY: '05', JUN: '06', JUL: '07', AUG: '08', SEP: '09', OCT: '10', NOV: '11', DEC: '12' };

/** `29-Aug-2025` → `2025-08-29`. */
function bhavDate(text: string): string | undefined {
  const m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(text.trim());
  const month = m ? MONTHS[m[2]!.toUpperCase()] : undefined;
  return m && month ? `${m[3]}-${month}-${m[1]!.padStart(2, '0')}` : undefined;
}

function bhavcopyListings(header: string[], body: CsvRow[], source: string): Omit<ParsedUniverseFile, 'format'> {
  const col = columns(header, source, ['symbol', 'series', 'close_price', 'ttl_trd_qnty']);
  const [symbol, series, close, volume, date] = ['symbol', 'series', 'close_price', 'ttl_trd_qnty', 'date1'].map(col) as ReturnType<Columns>[];
  let ignored = 0;
  let asOf: string | undefined;
  const listings: ListingFacts[] = [];
  for (const row of body) {
    if (!EQUITY_SERIES.has(series!(row))) {
      ignored++;
      continue;
    }
    asOf ??= bhavDate(date!(row));
    listings.push(
      compact({
        symbol: symbol!(row).toUpperCase(),
        exchange: 'NSE',
        series: series!(row),
        price: positive(minor(number(close!(row), 'CLOSE_PRICE', source, row))),
        adv: number(volume!(row), 'TTL_TRD_QNTY', source, row),
      }),
    );
  }
  return { listings, asOf, ignored };
}

/** `2025-08-29` as it is, or undefined. */
const isoDate = (text: string) => (/^\d{4}-\d{2}-\d{2}$/.test(text) ? text : undefined);

/**
 * The bhavcopy NSE and BSE publish in the common (UDiFF) layout, one per exchange and session:
 * the cash segment's shares (type STK) with ISIN, name, close and volume. On NSE only the equity
 * series are taken; on BSE every scrip group (A, B, T, X, Z, …).
 */
function udiffListings(header: string[], body: CsvRow[], source: string): Omit<ParsedUniverseFile, 'format'> {
  const col = columns(header, source, ['tckrsymb', 'src', 'sgmt', 'fininstrmtp', 'clspric', 'ttltradgvol']);
  const [date, segment, src, type, isin, symbol, series, name, close, volume, lot] = ['traddt', 'sgmt', 'src', 'fininstrmtp', 'isin', 'tckrsymb', 'sctysrs', 'fininstrmnm', 'clspric', 'ttltradgvol', 'newbrdlotqty'].map(col) as ReturnType<Columns>[];
  let ignored = 0;
  let asOf: string | undefined;
  const listings: ListingFacts[] = [];
  for (const row of body) {
    const exchange = src!(row).toUpperCase();
    if (segment!(row) !== 'CM' || type!(row) !== 'STK' || !INDIAN.has(exchange) || (exchange === 'NSE' && !EQUITY_SERIES.has(series!(row)))) {
      ignored++;
      continue;
    }
    asOf ??= isoDate(date!(row));
    listings.push(
      compact({
        symbol: symbol!(row).toUpperCase(),
        exchange: exchange as Exchange,
        series: series!(row) || undefined,
        isin: isin!(row) || undefined,
        name: name!(row) || undefined,
        lot: positive(number(lot!(row), 'NewBrdLotQty', source, row)),
        price: positive(minor(number(close!(row), 'ClsPric', source, row))),
        adv: number(volume!(row), 'TtlTradgVol', source, row),
      }),
    );
  }
  return { listings, asOf, ignored };
}

function compact(facts: ListingFacts): ListingFacts {
  return Object.fromEntries(Object.entries(facts).filter(([, v]) => v !== undefined)) as unknown as ListingFacts;
}
