import { describe, expect, it } from 'vitest';
import { MarketClock } from '../../src/ui/view-model/market-clock.js';
import { EventLog, T0 } from './fixtures.js';

/** An event recorded at wall-clock `at`, carrying the market time `market` (or none). */
function recorded(log: EventLog, at: number, market?: number) {
  const event = log.add('run.alert', { level: 'info', source: 'engine', message: 'tick' }, at);
  return market === undefined ? event : { ...event, marketTs: market };
}

describe('the market clock the dashboard reconstructs', () => {
  it('is the wall clock until an event carries a market time', () => {
    const clock = new MarketClock();
    expect(clock.latest).toBeNull();
    expect(clock.at(T0 + 5_000)).toBe(T0 + 5_000);
    expect(clock.simulated).toBe(false);
  });

  it('runs on between events at the run speed, jumps only with events at `max`, and never goes back', () => {
    const log = new EventLog();
    const fast = new MarketClock();
    fast.setSpeed(10);
    expect(fast.speed).toBe('10');
    expect(fast.simulated).toBe(true);
    fast.advance(recorded(log, T0, T0 + 60_000));
    expect(fast.at(T0 + 1_000)).toBe(T0 + 60_000 + 10_000);
    fast.advance(recorded(log, T0 + 2_000, T0 + 30_000)); // an earlier market time: ignored
    expect(fast.latest).toBe(T0 + 60_000);

    const max = new MarketClock();
    max.setSpeed('max');
    max.advance(recorded(log, T0, T0 + 60_000));
    expect(max.at(T0 + 5_000)).toBe(T0 + 60_000);
  });

  it('places an event without a market time where the clock had run to, and calls a distant market clock simulated', () => {
    const log = new EventLog();
    const clock = new MarketClock();
    clock.advance(recorded(log, T0, T0 + 1_000));
    expect(clock.simulated).toBe(false);
    const halt = recorded(log, T0 + 4_000);
    clock.advance(halt);
    expect(clock.latest).toBe(T0 + 5_000);
    expect(clock.timeOf(halt)).toBe(T0 + 5_000);
    clock.advance(recorded(log, T0 + 5_000, T0 + 3_600_000));
    expect(clock.simulated).toBe(true);
  });
});
