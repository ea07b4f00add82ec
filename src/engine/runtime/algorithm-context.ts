import type { Instrument } from '../../domain/instrument.js';
import type { Leg } from '../../domain/plan.js';
import type { AlgorithmContext } from '../algos/algorithm.js';
import type { Broker } from '../../brokers/broker.js';

/** Bins of the broker's volume profile handed to the algorithms (a 375-minute session: 75 s each). */
export const PROFILE_BINS = 300;

/**
 * What an algorithm is built with: its leg, and what the broker says of its market — the
 * intraday volume profile (cumulative fractions) and the trading session — where it says it. A
 * profile of the user's for the leg's exchange (`profiles`) comes before the broker's.
 */
export function algorithmContext(
  broker: Pick<Broker, 'tradingSession' | 'cumulativeVolumeProfile'> | undefined,
  leg: Leg,
  instrument: Instrument,
  startAt: number,
  profiles?: ReadonlyMap<string, readonly number[]>,
): AlgorithmContext {
  const ctx: AlgorithmContext = { leg, instrument, startAt };
  const profile = profiles?.get(leg.exchange)?.slice() ?? broker?.cumulativeVolumeProfile?.(leg.exchange, PROFILE_BINS);
  if (profile) ctx.volumeProfile = profile;
  if (broker?.tradingSession) {
    const exchange = leg.exchange;
    ctx.session = (ts) => broker.tradingSession!(exchange, ts);
  }
  return ctx;
}
