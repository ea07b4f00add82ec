import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey } from '../../domain/instrument.js';
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
  return out;
}

/**
 * The instrument master, fetched at most once per IST day (it is tens of megabytes): kept in
 * memory, and on disk under `cacheDir` when given, so later commands that day reuse it.
 */
export class AngelInstrumentCatalog {
  private loaded?: { day: string; instruments: Map<string, Instrument> };
  private inflight?: Promise<Map<string, Instrument>>;

  constructor(
    private readonly fetchJson: () => Promise<string>,
    private readonly clock: Clock,
    private readonly cacheDir?: string,
  ) {}

  async all(): Promise<Map<string, Instrument>> {
    const day = istDate(this.clock.now());
    if (this.loaded?.day === day) return this.loaded.instruments;
    this.inflight ??= this.load(day).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** The instrument a `symboltoken` must be sent for; `not_found` when the master lacks it. */
  async require(exchange: string, symbol: string): Promise<Instrument> {
    const found = (await this.all()).get(instrumentKey(exchange, symbol));
    if (!found?.brokerToken) throw new BrokerError('not_found', `${exchange}:${symbol} is not in the Angel One instrument master`, 'angelone');
    return found;
  }

  private async load(day: string): Promise<Map<string, Instrument>> {
    const file = this.cacheDir ? join(this.cacheDir, `angelone-instruments-${day}.json`) : undefined;
    let json = file && existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (json === undefined) {
      json = await this.fetchJson();
      if (file && this.cacheDir) {
        mkdirSync(this.cacheDir, { recursive: true, mode: 0o700 });
        writeFileSync(`${file}.${process.pid}.tmp`, json);
        renameSync(`${file}.${process.pid}.tmp`, file);
      }
    }
    const instruments = parseScripMaster(json);
    this.loaded = { day, instruments };
    return instruments;
  }
}
