import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey } from '../../domain/instrument.js';
import { toMinor } from '../../domain/money.js';
import { splitCsvLine } from '../../market/csv.js';
import { tradingDate } from '../../market/exchange-time.js';
import { DailyFileCache } from '../http/daily-file-cache.js';
import { toExchange } from './groww-mapping.js';

const READ = ['exchange', 'trading_symbol', 'groww_symbol', 'name', 'instrument_type', 'segment', 'isin', 'lot_size', 'tick_size'] as const;

/**
 * Groww's instrument master → equity instruments on NSE and BSE (segment CASH, type EQ; indices
 * are IDX), keyed `EXCHANGE:SYMBOL`. Orders name the `trading_symbol`; the `groww_symbol`
 * ("NSE-INFY") is kept as the broker token. The tick size arrives in rupees ("0.05").
 */
export function parseGrowwInstruments(csv: string): Map<string, Instrument> {
  return readGrowwInstruments(csv).instruments;
}

/** `parseGrowwInstruments`, with the number of rows of every kind the CSV holds. */
export function readGrowwInstruments(csv: string): { instruments: Map<string, Instrument>; records: number } {
  const lines = csv.split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsvLine(lines[0] ?? '');
  const index = Object.fromEntries(READ.map((c) => [c, header.indexOf(c)])) as Record<(typeof READ)[number], number>;
  const missing = READ.filter((c) => index[c] < 0);
  if (missing.length) throw new BrokerError('protocol', `Groww instruments CSV lacks column(s) ${missing.join(', ')}`, 'groww');
  const out = new Map<string, Instrument>();
  for (const line of lines.slice(1)) {
    const cells = splitCsvLine(line);
    const cell = (c: (typeof READ)[number]) => cells[index[c]] ?? '';
    const exchange = toExchange(cell('exchange'));
    if (!exchange || cell('segment') !== 'CASH' || cell('instrument_type') !== 'EQ') continue;
    const tick = toMinor(Number(cell('tick_size')));
    const lot = Number(cell('lot_size'));
    const instrument: Instrument = {
      symbol: cell('trading_symbol'),
      exchange,
      name: cell('name') || cell('trading_symbol'),
      currency: 'INR',
      tickSize: tick > 0 ? tick : 1,
      lotSize: Number.isInteger(lot) && lot > 0 ? lot : 1,
      brokerToken: cell('groww_symbol'),
    };
    if (cell('isin')) instrument.isin = cell('isin');
    out.set(instrumentKey(exchange, instrument.symbol), instrument);
  }
  return { instruments: out, records: lines.length - 1 };
}

/** The instrument master, fetched at most once per IST day (see DailyFileCache). */
export class GrowwInstrumentCatalog {
  private readonly cache: DailyFileCache<Map<string, Instrument>>;

  constructor(fetchCsv: () => Promise<string>, clock: Clock, cacheDir?: string) {
    this.cache = new DailyFileCache({ fetch: fetchCsv, parse: parseGrowwInstruments, clock, day: (now) => tradingDate('NSE', now), cacheDir, name: 'groww-instruments' });
  }

  all(): Promise<Map<string, Instrument>> {
    return this.cache.get();
  }
}
