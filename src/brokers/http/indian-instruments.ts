import { type Instrument, instrumentKey } from '../../domain/instrument.js';
import type { InstrumentQuery } from '../broker.js';

/**
 * The instruments of an Indian broker's master (keyed `EXCHANGE:SYMBOL`) that `query` asks for, in
 * its order: a symbol without an exchange is looked up on NSE, then BSE; unknown ones are absent.
 */
export function pickInstruments(all: ReadonlyMap<string, Instrument>, query: readonly InstrumentQuery[]): Instrument[] {
  const out: Instrument[] = [];
  for (const q of query) {
    const found = q.exchange ? all.get(instrumentKey(q.exchange, q.symbol)) : (all.get(instrumentKey('NSE', q.symbol)) ?? all.get(instrumentKey('BSE', q.symbol)));
    if (found) out.push(found);
  }
  return out;
}
