import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/brokers/http/circuit-breaker.js';
import { backoffDelay, withRetries } from '../../src/brokers/http/retry.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { VirtualClock } from '../../src/engine/clock/index.js';

const seeded = (seed = 7) => {
  let s = seed;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
};

describe('withRetries', () => {
  it('retries retryable failures with growing, jittered waits', async () => {
    const clock = new VirtualClock(0);
    const calls: number[] = [];
    const result = await clock.run(
      withRetries(
        async () => {
          calls.push(clock.now());
          if (calls.length < 3) throw new BrokerError('unavailable', 'down', 'x');
          return 'ok';
        },
        { clock, attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, random: seeded() },
      ),
    );
    expect(result).toBe('ok');
    const waits = [calls[1]! - calls[0]!, calls[2]! - calls[1]!];
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });

  it('does not retry input errors and gives up after the last attempt', async () => {
    const clock = new VirtualClock(0);
    let n = 0;
    await expect(
      clock.run(
        withRetries(
          async () => {
            n++;
            throw new BrokerError('input', 'bad', 'x');
          },
          { clock },
        ),
      ),
    ).rejects.toMatchObject({ kind: 'input' });
    expect(n).toBe(1);
    n = 0;
    await expect(
      clock.run(
        withRetries(
          async () => {
            n++;
            throw new BrokerError('rate_limited', 'slow down', 'x', { retryAfterMs: 5000 });
          },
          { clock, attempts: 2, random: seeded() },
        ),
      ),
    ).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(n).toBe(2);
    // The Retry-After hint was honoured.
    expect(clock.now()).toBeGreaterThanOrEqual(5000);
  });

  it('caps the backoff', () => {
    for (let a = 0; a < 20; a++) expect(backoffDelay(a, 100, 2000, () => 0.999)).toBeLessThanOrEqual(2000);
  });
});

describe('CircuitBreaker', () => {
  it('opens after consecutive API failures, alerts once, refuses new orders, and half-opens after the cool-down', async () => {
    const clock = new VirtualClock(0);
    const alerts: BrokerError[] = [];
    const breaker = new CircuitBreaker({ broker: 'zerodha', clock, failureThreshold: 3, coolDownMs: 10_000, onOpen: (e) => alerts.push(e) });
    const down = new BrokerError('unavailable', 'HTTP 503', 'zerodha');
    for (let i = 0; i < 3; i++) breaker.recordFailure(down);
    expect(breaker.state).toBe('open');
    expect(alerts).toHaveLength(1);
    expect(() => breaker.guard()).toThrow(/circuit open after 3 consecutive failures; not sending new orders for 10 s/);
    try {
      breaker.guard();
    } catch (err) {
      expect(err).toMatchObject({ kind: 'unavailable' });
    }
    await clock.advance(10_000);
    expect(breaker.state).toBe('half_open');
    breaker.guard(); // the one trial call
    expect(() => breaker.guard()).toThrow(/circuit open/);
    breaker.recordFailure(down);
    expect(breaker.state).toBe('open');
    expect(alerts).toHaveLength(2);
    await clock.advance(10_000);
    await breaker.run(async () => 'ok');
    expect(breaker.state).toBe('closed');
  });

  it('does not count refusals and bad input as API failures', () => {
    const clock = new VirtualClock(0);
    const breaker = new CircuitBreaker({ broker: 'zerodha', clock, failureThreshold: 2 });
    breaker.recordFailure(new BrokerError('unknown_outcome', 'timeout', 'zerodha'));
    breaker.recordFailure(new BrokerError('rejected', 'margin', 'zerodha'));
    breaker.recordFailure(new BrokerError('unavailable', '503', 'zerodha'));
    expect(breaker.state).toBe('closed');
    breaker.recordFailure(new BrokerError('protocol', 'garbage', 'zerodha'));
    expect(breaker.state).toBe('open');
  });
});
