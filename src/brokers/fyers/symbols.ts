import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey } from '../../domain/instrument.js';
import { toMinor } from '../../domain/money.js';
import { splitCsvLine } from '../../market/csv.js';
import { tradingDate } from '../../market/exchange-time.js';
import { toExchange } from '../http/rupees.js';
import type { SymbolNames } from './fyers-mapping.js';

/**
 * Columns of the symbol master CSVs (`NSE_CM.csv`, `BSE_CM.csv`; no header row) [3p]: fytoken,
 * name, instrument type, lot, tick (rupees), ISIN, session, updated, expiry, ticker
 * (`NSE:SBIN-EQ`), exchange code, segment code, scrip code, underlying symbol (`SBIN`), …
 */
const COL = { name: 1, lot: 3, tick: 4, isin: 5, ticker: 9, segment: 11, underlying: 13 } as const;
/** Segment code of the capital market (cash); 11 is equity derivatives, 12 currency, 20 commodity [3p]. */
const CASH_SEGMENT = '10';

/** The cash-segment files ptexec reads. */
export const SYMBOL_MASTER_FILES = ['NSE_CM.csv', 'BSE_CM.csv'] as const;

/**
 * NSE series ptexec trades as equity, best first: a company listed in EQ and BE is traded in EQ
 * [unverified: which series Fyers lists beside EQ]. BSE tickers carry the scrip group (`BSE:INFY-A`).
 */
const NSE_SERIES = ['EQ', 'BE'];

export interface SymbolCatalog extends SymbolNames {
  /** `EXCHANGE:SYMBOL` → instrument, `brokerToken` the Fyers ticker. */
  byKey: Map<string, Instrument>;
  /** Rows of every kind the files hold. */
  records: number;
}

/** The symbol master rows → equity instruments keyed like ptexec's, and the ticker → name map back. */
export function parseSymbolMaster(csvs: readonly string[]): SymbolCatalog {
  const byKey = new Map<string, Instrument>();
  const rank = new Map<string, number>();
  const byTicker = new Map<string, { symbol: string; exchange: Instrument['exchange'] }>();
  let records = 0;
  for (const csv of csvs) {
    for (const line of csv.split(/\r?\n/)) {
      if (!line.trim()) continue;
      records++;
      const cells = splitCsvLine(line);
      // A derivatives file (NSE_FO.csv, BSE_FO.csv) given by mistake: its tickers look like equities' on BSE.
      if (cells[COL.segment] !== CASH_SEGMENT) continue;
      const ticker = cells[COL.ticker] ?? '';
      const colon = ticker.indexOf(':');
      const exchange = toExchange(ticker.slice(0, colon));
      const symbol = cells[COL.underlying] ?? '';
      if (!exchange || !symbol) continue;
      const series = ticker.slice(ticker.lastIndexOf('-') + 1);
      const order = exchange === 'NSE' ? NSE_SERIES.indexOf(series) : 0;
      if (order < 0) continue;
      const key = instrumentKey(exchange, symbol);
      byTicker.set(ticker, { symbol, exchange });
      if ((rank.get(key) ?? Infinity) <= order) continue;
      const tick = toMinor(Number(cells[COL.tick]));
      const lot = Number(cells[COL.lot]);
      const instrument: Instrument = {
        symbol,
        exchange,
        name: cells[COL.name] || symbol,
        currency: 'INR',
        tickSize: tick > 0 ? tick : 1,
        lotSize: Number.isInteger(lot) && lot > 0 ? lot : 1,
        brokerToken: ticker,
      };
      if (cells[COL.isin]) instrument.isin = cells[COL.isin];
      byKey.set(key, instrument);
      rank.set(key, order);
    }
  }
  if (byKey.size === 0) throw new BrokerError('protocol', 'the Fyers symbol master has no NSE or BSE equity rows', 'fyers');
  return { byKey, records, ours: (ticker) => byTicker.get(ticker) };
}

/** The symbol master, downloaded at most once per IST day and kept in memory. */
export class FyersSymbolCatalog {
  private loaded?: { day: string; catalog: SymbolCatalog };
  private inflight?: Promise<SymbolCatalog>;

  constructor(
    private readonly download: (file: string) => Promise<string>,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<SymbolCatalog> {
    const day = tradingDate('NSE', this.clock.now());
    if (this.loaded?.day === day) return this.loaded.catalog;
    this.inflight ??= Promise.all(SYMBOL_MASTER_FILES.map((f) => this.download(f)))
      .then((csvs) => {
        const catalog = parseSymbolMaster(csvs);
        this.loaded = { day, catalog };
        return catalog;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /** The Fyers ticker of an instrument; BrokerError 'input' (nothing sent) when Fyers has none. */
  async ticker(exchange: string, symbol: string): Promise<string> {
    const found = (await this.get()).byKey.get(instrumentKey(exchange, symbol));
    if (!found?.brokerToken) throw new BrokerError('input', `${exchange}:${symbol} is not in the Fyers symbol master`, 'fyers', { code: 'unknown_symbol' });
    return found.brokerToken;
  }
}
