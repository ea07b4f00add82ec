import { instrumentKey } from '../domain/instrument.js';
import type { ListingFacts, ParsedUniverseFile } from './loaders/universe-formats.js';

/** Returns fewer than this give no volatility: the listing keeps what is known of it, or the default. */
const MIN_RETURNS = 5;
const SESSIONS_PER_YEAR = 252;
/** The normal distribution's standard deviation per median absolute deviation. */
const MAD_TO_SD = 1.4826;

/**
 * Several sessions' bhavcopies as one listing per share: the last close, the mean volume per
 * session (a session without the share counts as none traded), and the annualised volatility of
 * the daily closes, estimated robustly (the median absolute deviation of the log returns) so a
 * bonus issue or a split in the window does not read as a crash.
 */
export function combineSessions(sessions: readonly ParsedUniverseFile[]): ListingFacts[] {
  // NSE's and BSE's bhavcopies are separate series of sessions: each exchange's last one decides what it lists.
  const byExchange = new Map<string, ParsedUniverseFile[]>();
  for (const session of sessions) {
    const exchange = session.listings[0]?.exchange;
    if (exchange !== undefined) byExchange.set(exchange, [...(byExchange.get(exchange) ?? []), session]);
  }
  return [...byExchange.values()].flatMap(combineExchangeSessions);
}

function combineExchangeSessions(sessions: readonly ParsedUniverseFile[]): ListingFacts[] {
  const ordered = [...sessions].sort((a, b) => (a.asOf ?? '').localeCompare(b.asOf ?? ''));
  const series = new Map<string, { last: ListingFacts; closes: number[]; volume: number }>();
  for (const session of ordered) {
    for (const listing of session.listings) {
      const key = instrumentKey(listing.exchange, listing.symbol);
      const seen = series.get(key) ?? { last: listing, closes: [], volume: 0 };
      seen.last = listing;
      if (listing.price !== undefined) seen.closes.push(listing.price);
      seen.volume += listing.adv ?? 0;
      series.set(key, seen);
    }
  }
  const lastSession = new Set<string>(ordered.at(-1)!.listings.map((l) => instrumentKey(l.exchange, l.symbol)));
  return [...series.entries()]
    // A share that did not trade in the last session may have been suspended or delisted: the last bhavcopy decides what is listed.
    .filter(([key]) => lastSession.has(key))
    .map(([, { last, closes, volume }]) => {
      const volatility = ordered.length > 1 ? robustVolatility(closes) : undefined;
      const { adv: _session, ...rest } = last;
      return { ...rest, adv: Math.round(volume / ordered.length), ...(volatility === undefined ? {} : { volatility }) };
    });
}

function robustVolatility(closes: readonly number[]): number | undefined {
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) if (closes[i - 1]! > 0 && closes[i]! > 0) returns.push(Math.log(closes[i]! / closes[i - 1]!));
  if (returns.length < MIN_RETURNS) return undefined;
  const centre = median(returns);
  const mad = median(returns.map((r) => Math.abs(r - centre)));
  return Math.round(Math.min(1.5, Math.max(0.08, MAD_TO_SD * mad * Math.sqrt(SESSIONS_PER_YEAR))) * 100) / 100;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
