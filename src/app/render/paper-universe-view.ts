import { formatMinor } from '../../domain/money.js';
import type { Column } from '../../lib/table.js';
import type { Output } from '../../lib/output.js';
import type { UniverseImportReport, UniverseReport } from '../paper-universe-service.js';
import { price } from './json-contract.js';

const LISTING_COLUMNS: Column[] = [
  { header: 'symbol' },
  { header: 'name', truncate: true, priority: 1, maxWidth: 32 },
  { header: 'price', align: 'right' },
  { header: 'tick', align: 'right', priority: 3 },
  { header: 'lot', align: 'right', priority: 4 },
  { header: 'ADV', align: 'right' },
  { header: 'vol', align: 'right', priority: 2 },
  { header: 'source', priority: 5 },
];

const count = (n: number) => n.toLocaleString('en-US');
const some = (keys: readonly string[]) => (keys.length > 5 ? `${keys.slice(0, 5).join(', ')} and ${count(keys.length - 5)} more` : keys.join(', '));

export function renderUniverseImport(out: Output, r: UniverseImportReport): void {
  for (const f of r.files) {
    const format = f.broker ? `${f.broker} instrument master` : f.format;
    out.data(`${f.path}: ${format}${f.as_of ? ` of ${f.as_of}` : ''}, ${count(f.listings)} listings${f.ignored ? ` (${count(f.ignored)} rows that are not NSE/BSE equities left out)` : ''}`);
  }
  out.data(`imported ${count(r.added)} new and ${count(r.updated)} updated listings into ${r.imported_file}`);
  if (r.kept_built_in.length) out.data(`kept the built-in figures of ${count(r.kept_built_in.length)}: ${some(r.kept_built_in)}`);
  if (r.priced_from_nse) out.data(`${count(r.priced_from_nse)} BSE listings took the price and volatility of the same share (ISIN) on NSE`);
  if (r.defaulted_figures) out.data(`${count(r.defaulted_figures)} listings had no volume or volatility in any file: they trade as thin shares (see "The paper universe" in the README)`);
  if (r.skipped_no_price.length) out.warn(`skipped ${count(r.skipped_no_price.length)} listings without a price: ${some(r.skipped_no_price)} — import a file with prices too (NSE's bhavcopy)`);
  out.data(`the paper broker lists ${count(r.listed)} instruments`);
}

export function renderUniverse(out: Output, r: UniverseReport): void {
  out.data(`the paper broker lists ${count(r.listed)} instruments: ${count(r.built_in)} built in, ${count(r.shipped.listings)} in ${r.shipped.file}${r.shipped.as_of ? ` (figures of ${r.shipped.as_of})` : ''}${r.imported ? `, ${count(r.imported.listings)} imported${r.imported.as_of ? ` (of ${r.imported.as_of})` : ''}` : ''}`);
  if (r.entries.length)
    out.table(
      LISTING_COLUMNS,
      r.entries.map((e) => [`${e.exchange}:${e.symbol}`, e.name, formatMinor(e.price), formatMinor(e.tick), e.lot, count(e.adv), `${Math.round(e.volatility * 100)}%`, e.source]),
    );
  if (r.unknown.length) out.warn(`not listed: ${r.unknown.join(', ')} — import an instrument file that lists them (ptexec paper universe import)`);
}

export function universeJson(r: UniverseReport) {
  return {
    built_in: r.built_in,
    shipped: r.shipped,
    imported: r.imported ?? null,
    listed: r.listed,
    instruments: r.entries.map((e) => ({ symbol: e.symbol, exchange: e.exchange, name: e.name, isin: e.isin ?? null, source: e.source, price: price(e.price, 'INR'), tick: price(e.tick, 'INR'), lot: e.lot, adv: e.adv, volatility: e.volatility })),
    unknown: r.unknown,
  };
}
