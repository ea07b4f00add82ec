import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Broker } from '../brokers/broker.js';
import { PAPER_UNIVERSE } from '../brokers/paper/index.js';
import type { InstrumentFileFormat } from '../brokers/registry.js';
import { BrokerError } from '../domain/errors/broker-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { instrumentKey, type Instrument, type ListedInstrument } from '../domain/instrument.js';
import { toMajor } from '../domain/money.js';
import type { Factory } from './factory.js';
import { importedUniverse, importedUniversePath, listedInstruments, shippedUniverse, toListedInstrument } from './loaders/paper-universe.js';
import { parseUniverseFile, type ListingFacts, type ParsedUniverseFile } from './loaders/universe-formats.js';
import { combineSessions } from './universe-sessions.js';

/** Instrument files are a few megabytes (the Kite dump of every segment is about 10 MB). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** A gzipped master unpacks to several times its size (Upstox's complete.json.gz). */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
/** How much of a file's start tells its format. */
const HEAD_CHARS = 4096;
/** The brokers whose instrument master `--from` reads, for the message to a user who names another. */
const BROKERS_WITH_MASTER = 'zerodha, upstox, fyers, angelone, groww';

export interface UniverseImportRequest {
  files: readonly string[];
  /** A broker whose instrument master is imported too (its tick and lot sizes; prices from what is known). */
  from?: string;
  /** Forget earlier imports first. */
  replace: boolean;
}

export interface UniverseImportReport {
  files: { path: string; format: ParsedUniverseFile['format']; broker?: string; as_of?: string; listings: number; ignored: number }[];
  added: number;
  updated: number;
  /** Built-in instruments keep their figures (examples and tests are written against them). */
  kept_built_in: string[];
  /** Listings with no price anywhere: the paper market cannot start a price path for them. */
  skipped_no_price: string[];
  /** BSE listings no file priced that took the price and volatility of the same share (ISIN) on NSE. */
  priced_from_nse: number;
  /** Listings whose volume or volatility nothing gave (defaulted; see the README). */
  defaulted_figures: number;
  imported_file: string;
  listed: number;
}

/**
 * `ptexec paper universe import`: reads instrument files (ptexec's universe CSV, the Kite
 * instruments dump, NSE bhavcopies — several bhavcopies give a volume average and a volatility),
 * fills what a file lacks from what is already known, and keeps the result in the user's data
 * folder, where the paper broker reads it.
 */
export async function importUniverse(f: Factory, request: UniverseImportRequest): Promise<UniverseImportReport> {
  if (request.files.length === 0 && request.from === undefined) throw new InvalidInputError('no file to import', 'give one or more instrument files, e.g. ptexec paper universe import instruments.csv, or --from zerodha');
  const parsed: { path: string; file: ParsedUniverseFile }[] = [];
  for (const path of request.files) parsed.push({ path, file: await parseInstrumentFile(path) });
  if (request.from !== undefined) parsed.push({ path: `--from ${request.from}`, file: await brokerMaster(f, request.from) });
  const bhavcopies = parsed.filter((p) => p.file.format === 'bhavcopy').map((p) => p.file);
  const incoming = [...parsed.filter((p) => p.file.format !== 'bhavcopy').flatMap((p) => p.file.listings), ...combineSessions(bhavcopies)];

  const previous = request.replace ? [] : (importedUniverse(f.env)?.listings ?? []);
  const known = new Map<string, ListingFacts>();
  for (const l of shippedUniverse().listings) known.set(instrumentKey(l.exchange, l.symbol), l);
  const imported = new Map<string, ListingFacts>();
  for (const l of previous) imported.set(instrumentKey(l.exchange, l.symbol), l);
  const builtIn = new Set(PAPER_UNIVERSE.map((i) => instrumentKey(i.exchange, i.symbol)));
  const nseTwins = nseByIsin([...known.values(), ...imported.values(), ...incoming]);

  const report: UniverseImportReport = {
    files: parsed.map(({ path, file }) => ({ path, format: file.format, ...(file.broker ? { broker: file.broker } : {}), as_of: file.asOf, listings: file.listings.length, ignored: file.ignored })),
    added: 0,
    updated: 0,
    kept_built_in: [],
    skipped_no_price: [],
    priced_from_nse: 0,
    defaulted_figures: 0,
    imported_file: importedUniversePath(f.env),
    listed: 0,
  };
  for (const facts of incoming) {
    const key = instrumentKey(facts.exchange, facts.symbol);
    if (builtIn.has(key)) {
      report.kept_built_in.push(key);
      continue;
    }
    const before = imported.get(key);
    const merged: ListingFacts = { ...known.get(key), ...before, ...facts };
    const twin = merged.price === undefined && merged.exchange === 'BSE' && merged.isin ? nseTwins.get(merged.isin) : undefined;
    if (twin) {
      // The same share trades at about the same price on both exchanges; its BSE volume is not NSE's, so none is taken.
      merged.price = twin.price;
      merged.volatility ??= twin.volatility;
      report.priced_from_nse++;
    }
    if (merged.price === undefined) {
      report.skipped_no_price.push(key);
      continue;
    }
    if (merged.adv === undefined || merged.volatility === undefined) report.defaulted_figures++;
    imported.set(key, merged);
    if (before) report.updated++;
    else report.added++;
  }
  const asOf = parsed.map((p) => p.file.asOf).filter((d): d is string => d !== undefined).sort().at(-1);
  writeImported(report.imported_file, [...imported.values()], asOf);
  report.listed = countListed(f.env);
  return report;
}

/** NSE listings with a price by ISIN, as the paper market trades them: later listings win, and the built-in ones over all. */
function nseByIsin(listings: readonly ListingFacts[]): Map<string, ListingFacts> {
  const out = new Map<string, ListingFacts>();
  for (const l of listings) if (l.exchange === 'NSE' && l.isin && l.price !== undefined) out.set(l.isin, l);
  for (const i of PAPER_UNIVERSE) if (i.exchange === 'NSE' && i.isin) out.set(i.isin, { symbol: i.symbol, exchange: i.exchange, price: i.referencePrice, volatility: i.volatility });
  return out;
}

/** A logged-in broker's instrument master, as an import reads a file. */
async function brokerMaster(f: Factory, id: string): Promise<ParsedUniverseFile> {
  const broker: Broker = await f.broker(id);
  if (!broker.listInstruments) throw new InvalidInputError(`--from ${id}: ptexec cannot read ${id}'s instrument master`, `--from reads the masters of ${BROKERS_WITH_MASTER}; for another broker, import an instrument file (ptexec paper universe import FILE)`);
  const all = await broker.listInstruments();
  const listings = asListings(all);
  return { format: 'broker', broker: id, listings, ignored: all.length - listings.length };
}

/** A master's NSE and BSE equities as listing facts: tick, lot, name and ISIN (no price: the master has none). */
function asListings(instruments: readonly Instrument[]): ListingFacts[] {
  return instruments
    .filter((i) => i.exchange === 'NSE' || i.exchange === 'BSE')
    .map((i) => ({ symbol: i.symbol.toUpperCase(), exchange: i.exchange, name: i.name, lot: i.lotSize, tick: i.tickSize, ...(i.isin ? { isin: i.isin } : {}) }));
}

/** An instrument file of any format ptexec reads: its own and the exchanges' (see universe-formats), or a broker's master. */
async function parseInstrumentFile(path: string): Promise<ParsedUniverseFile> {
  const text = readInstrumentFile(path);
  const masters = await brokerInstrumentFiles();
  const head = text.slice(0, HEAD_CHARS).replace(/^\uFEFF/, '');
  const master = masters.find((m) => m.format.recognises(head));
  if (!master) return parseUniverseFile(text, path, masters.map((m) => m.format.label));
  const read = await master.format.reader();
  let result: { instruments: Instrument[]; records: number };
  try {
    result = read(text);
  } catch (err) {
    if (!(err instanceof BrokerError)) throw err;
    throw new InvalidInputError(`${path}: ${err.message}`, `give ${master.format.label} whole, as downloaded (a download cut short is not JSON or lacks its equities)`);
  }
  const listings = asListings(result.instruments);
  return { format: 'broker', broker: master.broker, listings, ignored: result.records - listings.length };
}

/** The brokers that read their instrument master from a file, loaded only for an import. */
async function brokerInstrumentFiles(): Promise<{ broker: string; format: InstrumentFileFormat }[]> {
  const { brokerRegistration, registeredBrokers } = await import('../brokers/index.js');
  return registeredBrokers().flatMap((broker) => {
    const format = brokerRegistration(broker)?.instrumentFile;
    return format ? [{ broker, format }] : [];
  });
}

function readInstrumentFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new InvalidInputError(`${path} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'check the path');
  }
  if (size > MAX_FILE_BYTES) throw new InvalidInputError(`${path} is ${Math.round(size / 1e6)} MB, more than an instrument file holds`, 'give the instrument list itself');
  const bytes = readFileSync(path);
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes.toString('utf8');
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES }).toString('utf8');
  } catch (err) {
    throw new InvalidInputError(`${path}: a gzip file that does not unpack (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'download it again; a partial download is cut short');
  }
}

const CSV_SPECIAL = /[",\n]/;
const cell = (value: string | number | undefined) => {
  const text = value === undefined ? '' : String(value);
  return CSV_SPECIAL.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

function writeImported(path: string, listings: ListingFacts[], asOf: string | undefined): void {
  const lines = [
    '# Instruments imported with `ptexec paper universe import`; the paper broker lists them beside its built-in and shipped ones.',
    ...(asOf ? [`# as_of: ${asOf}`] : []),
    'symbol,exchange,series,isin,name,lot,tick,price,adv,volatility',
    ...listings
      .sort((a, b) => instrumentKey(a.exchange, a.symbol).localeCompare(instrumentKey(b.exchange, b.symbol)))
      .map((l) =>
        [l.symbol, l.exchange, l.series, l.isin, l.name, l.lot, l.tick === undefined ? undefined : toMajor(l.tick), l.price === undefined ? undefined : toMajor(l.price), l.adv, l.volatility]
          .map(cell)
          .join(','),
      ),
  ];
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.partial`;
  writeFileSync(partial, `${lines.join('\n')}\n`);
  renameSync(partial, path);
}

function countListed(env: NodeJS.ProcessEnv): number {
  const keys = new Set(PAPER_UNIVERSE.map((i) => instrumentKey(i.exchange, i.symbol)));
  for (const i of listedInstruments(env)) keys.add(instrumentKey(i.exchange, i.symbol));
  return keys.size;
}

export interface UniverseEntry {
  symbol: string;
  exchange: string;
  name: string;
  isin?: string;
  source: 'built-in' | 'imported' | 'shipped';
  price: number;
  tick: number;
  lot: number;
  adv: number;
  volatility: number;
}

export interface UniverseReport {
  built_in: number;
  shipped: { file: string; as_of?: string; listings: number };
  imported?: { file: string; as_of?: string; listings: number };
  listed: number;
  entries: UniverseEntry[];
  /** Symbols asked for that nothing lists. */
  unknown: string[];
}

/** `ptexec paper universe show`: what the paper broker lists, and the figures of the symbols asked for. */
export function showUniverse(f: Factory, request: { symbols: readonly string[]; search?: string }): UniverseReport {
  const shipped = shippedUniverse();
  const imported = importedUniverse(f.env);
  const sources: [UniverseEntry['source'], readonly ListedInstrument[]][] = [
    ['built-in', PAPER_UNIVERSE],
    ['imported', (imported?.listings ?? []).map(toListedInstrument).filter((i): i is ListedInstrument => i !== undefined)],
    ['shipped', shipped.listings.map(toListedInstrument).filter((i): i is ListedInstrument => i !== undefined)],
  ];
  const first = new Map<string, UniverseEntry>();
  for (const [source, list] of sources) {
    for (const i of list) {
      const key = instrumentKey(i.exchange, i.symbol);
      if (!first.has(key)) first.set(key, entry(i, source));
    }
  }
  const wanted = request.symbols.map((s) => s.toUpperCase());
  const needle = request.search?.toLowerCase();
  const entries = [...first.values()].filter(
    (e) => wanted.includes(e.symbol) || wanted.includes(`${e.exchange}:${e.symbol}`) || (needle !== undefined && (e.symbol.toLowerCase().includes(needle) || e.name.toLowerCase().includes(needle))),
  );
  const unknown = wanted.filter((w) => !entries.some((e) => w === e.symbol || w === `${e.exchange}:${e.symbol}`));
  return {
    built_in: PAPER_UNIVERSE.length,
    shipped: { file: shipped.path, as_of: shipped.asOf, listings: shipped.listings.length },
    ...(imported ? { imported: { file: imported.path, as_of: imported.asOf, listings: imported.listings.length } } : {}),
    listed: first.size,
    entries,
    unknown,
  };
}

function entry(i: ListedInstrument, source: UniverseEntry['source']): UniverseEntry {
  return { symbol: i.symbol, exchange: i.exchange, name: i.name, ...(i.isin ? { isin: i.isin } : {}), source, price: i.referencePrice, tick: i.tickSize, lot: i.lotSize, adv: i.adv, volatility: i.volatility };
}
