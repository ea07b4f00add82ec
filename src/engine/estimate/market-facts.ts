import type { Exchange, Instrument, Quote } from '../../domain/instrument.js';
import { sessionLengthMs, sessionWindow } from '../../market/calendar/index.js';
import { defaultVolumeProfile, type CumulativeProfile } from '../../market/volume-profile.js';

/**
 * What the cost estimate and `--algo auto` know of one instrument at planning time: a port every
 * broker can fill. A real broker's quote gives the price and the spread; its instrument master
 * may give the average daily volume and volatility (the paper market gives all of them). What a
 * broker cannot give is left undefined and the cost model's documented defaults apply.
 */
export interface MarketFacts {
  /** Mid price, minor units. */
  price: number;
  /** Ask − bid, minor units; undefined without a two-sided quote. */
  spread?: number;
  /** Average daily volume, shares. */
  adv?: number;
  /** Annualised volatility, fraction. */
  volatility?: number;
  /** Length of a normal session (ms). */
  sessionLengthMs: number;
  /** Where in its session the leg would start, 0 (open) to 1 (close). */
  sessionPosition: number;
  /** Time to the session's close from the start (ms). */
  sessionRemainingMs: number;
  /** Intraday cumulative volume profile; the algorithms' default U shape when the broker has none. */
  volumeProfile: CumulativeProfile;
}

/**
 * Where `now` falls in the exchange's session. A real market: the day's regular session (before
 * the open, the leg starts at the open: the whole session is ahead; after the close, likewise the
 * next one). A simulated market trades at any hour in back-to-back sessions of the regular length
 * starting at the regular open (README "The paper broker"), so the position is within those.
 */
export function sessionClock(exchange: Exchange, now: number, simulated: boolean): Pick<MarketFacts, 'sessionLengthMs' | 'sessionPosition' | 'sessionRemainingMs'> {
  const length = sessionLengthMs(exchange);
  const { open, close } = sessionWindow(exchange, now);
  if (simulated) {
    const since = (((now - open) % 86_400_000) + 86_400_000) % 86_400_000;
    const into = since % length;
    // The last simulated session of a day is cut short by the next day's regular open.
    const remaining = Math.min(length - into, 86_400_000 - since);
    return { sessionLengthMs: length, sessionPosition: into / length, sessionRemainingMs: remaining };
  }
  if (now < open || now >= close) return { sessionLengthMs: length, sessionPosition: 0, sessionRemainingMs: length };
  return { sessionLengthMs: length, sessionPosition: (now - open) / length, sessionRemainingMs: close - now };
}

/** The facts of an instrument from what every broker gives: its instrument entry, its quote, the clock. */
export function marketFactsOf(instrument: Instrument, quote: Quote, now: number, simulated: boolean, profile: CumulativeProfile = defaultVolumeProfile): MarketFacts {
  const twoSided = quote.bid > 0 && quote.ask > 0 && quote.ask >= quote.bid;
  return {
    price: twoSided ? (quote.bid + quote.ask) / 2 : quote.last,
    spread: twoSided ? quote.ask - quote.bid : undefined,
    adv: instrument.adv !== undefined && instrument.adv > 0 ? instrument.adv : undefined,
    volatility: instrument.volatility !== undefined && instrument.volatility > 0 ? instrument.volatility : undefined,
    volumeProfile: profile,
    ...sessionClock(instrument.exchange, now, simulated),
  };
}

/**
 * The share of a day's volume expected in `horizonMs` from the leg's start, along the profile;
 * past the close it carries on into the next session.
 */
export function horizonVolumeShare(facts: Pick<MarketFacts, 'sessionLengthMs' | 'sessionPosition' | 'volumeProfile'>, horizonMs: number): number {
  const s0 = facts.sessionPosition;
  const s1 = s0 + horizonMs / facts.sessionLengthMs;
  const whole = Math.floor(s1);
  if (whole === 0) return facts.volumeProfile(s1) - facts.volumeProfile(s0);
  return 1 - facts.volumeProfile(s0) + (whole - 1) + facts.volumeProfile(s1 - whole);
}
