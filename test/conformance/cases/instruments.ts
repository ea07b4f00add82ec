import { describe, expect } from 'vitest';
import { instrumentKey } from '../../../src/domain/instrument.js';
import { kitCase, kitMarket, sharedVenue } from '../kit.js';
import type { ConformanceSubject, Venue } from '../subject.js';

/** Where a broker key shows: the instrument's token, or a request the adapter sent for it (a quote, an order). */
function keyShows(venue: Venue, key: string, token: string | undefined): boolean {
  if (token === key) return true;
  const encoded = [key, encodeURIComponent(key), new URLSearchParams({ k: key }).toString().slice(2)];
  return venue.requests().some((r) => encoded.some((k) => r.body.includes(k) || [...r.query.values()].includes(key) || r.path.includes(k)));
}

/** Instruments: our symbols map to the broker's keys, with lot and tick; unknown symbols are absent. */
export function instrumentCases(subject: ConformanceSubject): void {
  describe('instruments', () => {
    const venue = sharedVenue(subject);
    const { exchange, first, second, unknownSymbol } = kitMarket(subject);

    kitCase(subject, 'instruments: symbols map to broker keys, with lot and tick', undefined, async (v) => {
      const found = await v().broker.instruments([{ symbol: first, exchange }, { symbol: second, exchange }]);
      expect(found.map((i) => instrumentKey(i.exchange, i.symbol))).toEqual([instrumentKey(exchange, first), instrumentKey(exchange, second)]);
      for (const i of found) {
        expect(Number.isInteger(i.tickSize) && i.tickSize > 0, `${i.symbol} tick ${i.tickSize}`).toBe(true);
        expect(Number.isInteger(i.lotSize) && i.lotSize > 0, `${i.symbol} lot ${i.lotSize}`).toBe(true);
      }
      await v().broker.quotes(found.map(({ symbol, exchange }) => ({ symbol, exchange })));
      const wire = v().requests().length > 0;
      for (const i of found) {
        const key = subject.instrumentKeys[i.symbol];
        expect(key, `instrumentKeys names ${i.symbol}`).toBeDefined();
        if (wire) expect(keyShows(v(), key!, i.brokerToken), `${i.symbol} as ${key} in the instrument or on the wire`).toBe(true);
        else expect([i.brokerToken, instrumentKey(i.exchange, i.symbol)]).toContain(key!);
      }
    }, venue);

    kitCase(subject, 'instruments: an unknown symbol is absent', undefined, async (v) => {
      const found = await v().broker.instruments([{ symbol: unknownSymbol, exchange }, { symbol: first, exchange }]);
      expect(found.map((i) => i.symbol)).toEqual([first]);
    }, venue);
  });
}
