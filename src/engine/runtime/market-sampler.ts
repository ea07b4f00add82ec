import type { NewEvent } from '../../domain/events/index.js';
import { instrumentKey, type Quote } from '../../domain/instrument.js';
import type { Leg } from '../../domain/plan.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * Records the market as the algorithms saw it (`market.sampled`), for the TCA's interval VWAP,
 * participation and markouts: at a leg's start and end, and while it works at most once per
 * sample interval per instrument.
 */
export class MarketSampler {
  /** The last market sample recorded per instrument. */
  private readonly lastSample = new Map<string, Quote>();

  constructor(
    private readonly ctx: Pick<RuntimeContext, 'event' | 'record'>,
    private readonly intervalMs: number,
  ) {}

  /** Records the quote a leg decided on, unless the instrument was sampled less than an interval ago. */
  maybeSample(leg: Leg, quote: Quote): void {
    const last = this.lastSample.get(instrumentKey(leg.exchange, leg.symbol));
    if (quote.ts - (last?.ts ?? -Infinity) < this.intervalMs) return;
    this.ctx.record([this.sample(leg, quote)]);
  }

  /**
   * A sample of the market at a leg's start or end, unless that very quote is the last one
   * recorded for the instrument: a copy would tell the TCA nothing (it has the same time).
   */
  sampleIfNew(leg: Leg, quote: Quote): NewEvent[] {
    const last = this.lastSample.get(instrumentKey(leg.exchange, leg.symbol));
    const same = last !== undefined && last.ts === quote.ts && last.bid === quote.bid && last.ask === quote.ask && last.last === quote.last && last.volume === quote.volume;
    return same ? [] : [this.sample(leg, quote)];
  }

  private sample(leg: Leg, quote: Quote): NewEvent {
    this.lastSample.set(instrumentKey(leg.exchange, leg.symbol), quote);
    return this.ctx.event('market.sampled', { symbol: leg.symbol, exchange: leg.exchange, ts: quote.ts, bid: quote.bid, ask: quote.ask, last: quote.last, volume: quote.volume });
  }
}
