import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey } from '../../domain/instrument.js';
import { DailyFileCache } from '../http/daily-file-cache.js';
import { istDate, ourSymbol, toExchange } from './mapping.js';

/** One scrip of OpenAPIScripMaster.json; every value is a string. */
export interface AngelScrip {
  token: string;
  symbol: string;
  name: string;
  expiry?: string;
  strike?: string;
  lotsize: string;
  instrumenttype: string;
  exch_seg: string;
  tick_size: string;
}

/**
 * The scrip master → NSE and BSE cash equities keyed `EXCHANGE:SYMBOL`, with the `symboltoken`
 * every order carries. An equity has no instrument type; on NSE only the EQ series ("SBIN-EQ")
 * is taken. The tick size is in paise ("5.000000" is ₹0.05; UNVERIFIED, from observed files).
 */
export function parseScripMaster(json: string): Map<string, Instrument> {
  return readScripMaster(json).instruments;
}

/** `parseScripMaster`, with the number of scrips of every kind the master holds. */
export function readScripMaster(json: string): { instruments: Map<string, Instrument>; records: number } {
  let rows: unknown;
  try {
    rows = JSON.parse(json);
  } catch {
    throw new BrokerError('protocol', 'the Angel One instrument master is not JSON', 'angelone');
  }
  if (!Array.isArray(rows)) throw new BrokerError('protocol', 'the Angel One instrument master is not a JSON array', 'angelone');
  const out = new Map<string, Instrument>();
  for (const row of rows as AngelScrip[]) {
    const exchange = toExchange(row?.exch_seg);
    if (!exchange || row.instrumenttype !== '' || typeof row.symbol !== 'string' || !row.token) continue;
    const symbol = ourSymbol(exchange, row.symbol);
    if (!symbol) continue;
    const tick = Math.round(Number(row.tick_size));
    const lot = Number(row.lotsize);
    out.set(instrumentKey(exchange, symbol), {
      symbol,
      exchange,
      name: row.name || symbol,
      currency: 'INR',
      tickSize: tick > 0 ? tick : 1,
      lotSize: Number.isInteger(lot) && lot > 0 ? lot : 1,
      brokerToken: String(row.token),
    });
  }
  return { instruments: out, records: rows.length };
}

/**
 * The instrument master, fetched at most once per IST day (it is tens of megabytes): kept in
 * memory, and on disk under `cacheDir` when given, so later commands that day reuse it.
 */
export class AngelInstrumentCatalog {
  private readonly cache: DailyFileCache<Map<string, Instrument>>;

  constructor(fetchJson: () => Promise<string>, clock: Clock, cacheDir?: string) {
    this.cache = new DailyFileCache({ fetch: fetchJson, parse: parseScripMaster, clock, day: istDate, cacheDir, name: 'angelone-instruments', ext: 'json' });
  }

  all(): Promise<Map<string, Instrument>> {
    return this.cache.get();
  }

  /** The instrument a `symboltoken` must be sent for; `not_found` when the master lacks it. */
  async require(exchange: string, symbol: string): Promise<Instrument> {
    const found = (await this.all()).get(instrumentKey(exchange, symbol));
    if (!found?.brokerToken) throw new BrokerError('not_found', `${exchange}:${symbol} is not in the Angel One instrument master`, 'angelone');
    return found;
  }
}
