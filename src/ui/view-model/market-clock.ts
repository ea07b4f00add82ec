import type { StoredEvent } from '../../domain/events/index.js';

/** A market clock further than this from the wall clock is not the wall clock: it is simulated. */
const SIMULATED_AFTER_MS = 2_000;

/**
 * The engine's market clock as the dashboard reconstructs it from stored events. An event's `ts`
 * is the wall-clock time it was recorded; its market time is the engine's clock, which on the paper
 * broker at `--speed` is simulated and runs ahead. Between events the clock runs on from the
 * latest market time seen at the run's speed, and it never goes backwards.
 */
export class MarketClock {
  /** The latest market time seen, and the wall-clock time of the event that carried it. */
  private lastMarketTs: number | null = null;
  private lastMarketWallTs = 0;
  private speedLabel: string | null = null;
  /** How fast the market clock runs against the wall clock: 0 at `--speed max` (it jumps). */
  private rate = 1;
  private simulatedClock = false;

  /** The latest market time seen, null before any. */
  get latest(): number | null {
    return this.lastMarketTs;
  }

  /** The run's `--speed` (`max`, or N times real time), when it was given. */
  get speed(): string | null {
    return this.speedLabel;
  }

  /** Whether the market clock is the paper market's own rather than the wall clock. */
  get simulated(): boolean {
    return this.simulatedClock;
  }

  /** The run's recorded `--speed` option: a number, `max`, or absent (real time). */
  setSpeed(speed: unknown): void {
    this.speedLabel = typeof speed === 'string' ? speed : typeof speed === 'number' ? String(speed) : null;
    if (this.speedLabel !== null && this.speedLabel !== '1') this.simulatedClock = true;
    this.rate = this.speedLabel === 'max' ? 0 : this.speedLabel === null ? 1 : Number(this.speedLabel) || 1;
  }

  /**
   * Moves the clock to the event's market time. An event recorded outside the engine (a halt, a
   * control request) has none: it is placed where the clock had run to by then.
   */
  advance(event: StoredEvent): void {
    const market = event.marketTs ?? this.at(event.ts);
    if (event.marketTs !== undefined && Math.abs(event.marketTs - event.ts) > SIMULATED_AFTER_MS) this.simulatedClock = true;
    if (this.lastMarketTs === null || market >= this.lastMarketTs) {
      this.lastMarketWallTs = this.lastMarketTs === null ? event.ts : Math.max(this.lastMarketWallTs, event.ts);
      this.lastMarketTs = market;
    }
  }

  /** The market time at wall-clock time `wall`: the latest market time seen, run on at the run's speed. */
  at(wall: number): number {
    if (this.lastMarketTs === null) return wall;
    return this.lastMarketTs + Math.max(0, wall - this.lastMarketWallTs) * this.rate;
  }

  /** The market time of an event being applied (the clock has been moved to it). */
  timeOf(event: StoredEvent): number {
    return event.marketTs ?? this.lastMarketTs ?? event.ts;
  }
}
