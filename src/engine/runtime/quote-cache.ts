import type { Broker } from '../../brokers/broker.js';
import type { Clock } from '../../domain/clock.js';
import { instrumentKey, type Instrument, type Quote } from '../../domain/instrument.js';

/**
 * Quotes for the symbols being worked, refreshed together at most every `maxAgeMs` so that many
 * algorithms waking at once cost one quote request (real brokers allow about one a second).
 */
export class QuoteCache {
  private readonly quotes = new Map<string, { quote: Quote; at: number }>();
  private readonly watched = new Map<string, Pick<Instrument, 'symbol' | 'exchange'>>();
  private inFlight?: Promise<void>;

  constructor(
    private readonly broker: Broker,
    private readonly clock: Clock,
    private readonly maxAgeMs: number,
  ) {}

  /** Adds instruments to the set refreshed together (call before the first `get`). */
  watch(instruments: Pick<Instrument, 'symbol' | 'exchange'>[]): void {
    for (const i of instruments) this.watched.set(instrumentKey(i.exchange, i.symbol), { symbol: i.symbol, exchange: i.exchange });
  }

  /**
   * Stops refreshing an instrument whose leg has ended: the quotes requested are then those of
   * the legs still working, not of every leg the run ever had. A leg of the same instrument
   * still working adds it back when it next asks (`get`, `refresh`).
   */
  unwatch(instrument: Pick<Instrument, 'symbol' | 'exchange'>): void {
    this.watched.delete(instrumentKey(instrument.exchange, instrument.symbol));
  }

  peek(instrument: Pick<Instrument, 'symbol' | 'exchange'>): Quote | undefined {
    return this.quotes.get(instrumentKey(instrument.exchange, instrument.symbol))?.quote;
  }

  /** The cached quote if it is no older than allowed. */
  fresh(instrument: Pick<Instrument, 'symbol' | 'exchange'>): Quote | undefined {
    const cached = this.quotes.get(instrumentKey(instrument.exchange, instrument.symbol));
    return cached && this.clock.now() - cached.at <= this.maxAgeMs ? cached.quote : undefined;
  }

  async get(instrument: Pick<Instrument, 'symbol' | 'exchange'>): Promise<Quote> {
    const key = instrumentKey(instrument.exchange, instrument.symbol);
    this.watched.set(key, { symbol: instrument.symbol, exchange: instrument.exchange });
    const cached = this.quotes.get(key);
    if (cached && this.clock.now() - cached.at <= this.maxAgeMs) return cached.quote;
    await this.fetch();
    const q = this.quotes.get(key);
    if (!q) throw new Error(`no quote for ${key}`);
    return q.quote;
  }

  /** Starts a background refresh when the cached quotes are older than allowed. */
  refresh(instrument: Pick<Instrument, 'symbol' | 'exchange'>): void {
    const key = instrumentKey(instrument.exchange, instrument.symbol);
    if (!this.watched.has(key)) this.watched.set(key, { symbol: instrument.symbol, exchange: instrument.exchange });
    const cached = this.quotes.get(key);
    if (!cached || this.clock.now() - cached.at > this.maxAgeMs) void this.fetch().catch(() => undefined);
  }

  private fetch(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const list = [...this.watched.values()];
    this.inFlight = this.broker
      .quotes(list)
      .then((quotes) => {
        const at = this.clock.now();
        for (const q of quotes) this.quotes.set(instrumentKey(q.exchange, q.symbol), { quote: q, at });
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
