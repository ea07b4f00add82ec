import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey } from '../../domain/instrument.js';
import { toMinor } from '../../domain/money.js';
import { splitCsvLine } from '../../market/csv.js';
import { tradingDate } from '../../market/exchange-time.js';
import { toExchange } from './groww-mapping.js';

const READ = ['exchange', 'trading_symbol', 'groww_symbol', 'name', 'instrument_type', 'segment', 'isin', 'lot_size', 'tick_size'] as const;

/**
 * Groww's instrument master → equity instruments on NSE and BSE (segment CASH, type EQ; indices
 * are IDX), keyed `EXCHANGE:SYMBOL`. Orders name the `trading_symbol`; the `groww_symbol`
 * ("NSE-INFY") is kept as the broker token. The tick size arrives in rupees ("0.05").
 */
export function parseGrowwInstruments(csv: string): Map<string, Instrument> {
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
  return out;
}

/**
 * The instrument master, fetched at most once per IST day: kept in memory, and on disk under
 * `cacheDir` (when given) so that successive commands on the same day do not download it again.
 */
export class GrowwInstrumentCatalog {
  private loaded?: { day: string; instruments: Map<string, Instrument> };
  private inflight?: Promise<Map<string, Instrument>>;

  constructor(
    private readonly fetchCsv: () => Promise<string>,
    private readonly clock: Clock,
    private readonly cacheDir?: string,
  ) {}

  async all(): Promise<Map<string, Instrument>> {
    const day = tradingDate('NSE', this.clock.now());
    if (this.loaded?.day === day) return this.loaded.instruments;
    this.inflight ??= this.load(day).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async load(day: string): Promise<Map<string, Instrument>> {
    const file = this.cacheDir ? join(this.cacheDir, `groww-instruments-${day}.csv`) : undefined;
    let csv = file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (csv === undefined) {
      csv = await this.fetchCsv();
      if (file && this.cacheDir) {
        mkdirSync(this.cacheDir, { recursive: true, mode: 0o700 });
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, csv);
        renameSync(tmp, file);
      }
    }
    const instruments = parseGrowwInstruments(csv);
    this.loaded = { day, instruments };
    return instruments;
  }
}
