import { BrokerError } from '../../domain/errors/broker-error.js';
import { type Instrument, instrumentKey } from '../../domain/instrument.js';
import { toExchange } from './upstox-mapping.js';

/** One record of Upstox's JSON instrument master (only what ptexec reads). */
interface UpstoxInstrumentRecord {
  segment?: string;
  exchange?: string;
  instrument_type?: string;
  instrument_key?: string;
  trading_symbol?: string;
  name?: string;
  isin?: string;
  lot_size?: number;
  tick_size?: number;
}

/** The equities of the master, by `EXCHANGE:SYMBOL` and by Upstox instrument key. */
export interface UpstoxInstruments {
  bySymbol: Map<string, Instrument>;
  byKey: Map<string, Instrument>;
  /** Records of every kind the master holds. */
  records: number;
}

/**
 * Upstox's instrument master (JSON) → equity instruments on NSE and BSE. `brokerToken` is the
 * instrument key (`NSE_EQ|<ISIN>`). unverified: `tick_size` is in paise in the JSON master (its
 * documented sample shows 5.0 for an NSE equity, whose tick is ₹0.05; the older CSV said 0.05).
 */
export function parseUpstoxInstruments(json: string): UpstoxInstruments {
  let records: unknown;
  try {
    records = JSON.parse(json);
  } catch {
    throw new BrokerError('protocol', 'the Upstox instrument master is not JSON', 'upstox');
  }
  if (!Array.isArray(records)) throw new BrokerError('protocol', 'the Upstox instrument master is not a JSON array', 'upstox');
  const bySymbol = new Map<string, Instrument>();
  const byKey = new Map<string, Instrument>();
  for (const r of records as UpstoxInstrumentRecord[]) {
    if (!r || (r.segment !== 'NSE_EQ' && r.segment !== 'BSE_EQ') || r.instrument_type !== 'EQ' || !r.instrument_key || !r.trading_symbol) continue;
    const exchange = toExchange(r.segment);
    if (!exchange) continue;
    const tick = Math.round(Number(r.tick_size));
    const lot = Number(r.lot_size);
    const instrument: Instrument = {
      symbol: r.trading_symbol,
      exchange,
      name: r.name || r.trading_symbol,
      currency: 'INR',
      tickSize: tick > 0 ? tick : 1,
      lotSize: Number.isInteger(lot) && lot > 0 ? lot : 1,
      brokerToken: r.instrument_key,
      ...(r.isin ? { isin: r.isin } : {}),
    };
    bySymbol.set(instrumentKey(exchange, instrument.symbol), instrument);
    byKey.set(r.instrument_key, instrument);
  }
  return { bySymbol, byKey, records: records.length };
}
