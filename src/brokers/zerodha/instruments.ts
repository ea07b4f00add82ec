import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey } from '../../domain/instrument.js';
import { toMinor } from '../../domain/money.js';
import { splitCsvLine } from '../../market/csv.js';
import { DailyFileCache } from '../http/daily-file-cache.js';
import { istDate, toExchange } from './kite-mapping.js';

const COLUMNS = ['instrument_token', 'exchange_token', 'tradingsymbol', 'name', 'last_price', 'expiry', 'strike', 'tick_size', 'lot_size', 'instrument_type', 'segment', 'exchange'] as const;

/**
 * Kite's instrument dump → equity instruments on NSE and BSE, keyed `EXCHANGE:SYMBOL`. The tick
 * size arrives in rupees ("0.05") and becomes minor units (5).
 */
export function parseKiteInstruments(csv: string): Map<string, Instrument> {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '');
  const index = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<(typeof COLUMNS)[number], number>;
  const missing = COLUMNS.filter((c) => index[c] < 0);
  if (missing.length) throw new BrokerError('protocol', `instruments CSV lacks column(s) ${missing.join(', ')}`, 'zerodha');
  const out = new Map<string, Instrument>();
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line);
    const cell = (c: (typeof COLUMNS)[number]) => cells[index[c]] ?? '';
    const exchange = toExchange(cell('exchange'));
    // Indices are listed as EQ too, in segment INDICES: only the cash segment is tradable.
    if (!exchange || cell('instrument_type') !== 'EQ' || cell('segment') !== exchange) continue;
    const tick = toMinor(Number(cell('tick_size')));
    const lot = Number(cell('lot_size'));
    const instrument: Instrument = {
      symbol: cell('tradingsymbol'),
      exchange,
      name: cell('name') || cell('tradingsymbol'),
      currency: 'INR',
      tickSize: tick > 0 ? tick : 1,
      lotSize: Number.isInteger(lot) && lot > 0 ? lot : 1,
      brokerToken: cell('instrument_token'),
    };
    out.set(instrumentKey(exchange, instrument.symbol), instrument);
  }
  return out;
}

/** The instrument master, fetched at most once per IST day (see DailyFileCache). */
export class KiteInstrumentCatalog {
  private readonly cache: DailyFileCache<Map<string, Instrument>>;

  constructor(fetchCsv: () => Promise<string>, clock: Clock, cacheDir?: string) {
    this.cache = new DailyFileCache({ fetch: fetchCsv, parse: parseKiteInstruments, clock, day: istDate, cacheDir, name: 'zerodha-instruments' });
  }

  all(): Promise<Map<string, Instrument>> {
    return this.cache.get();
  }
}
