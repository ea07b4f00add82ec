import { describe, expect, it } from 'vitest';
import type { BrokerOrder, BrokerTrade } from '../../src/brokers/broker.js';
import { BrokerError } from '../../src/domain/errors/broker-error.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { resolveByClientId } from '../../src/engine/runtime/unknown-outcome.js';

const ID = 'RUN1L1C1';

function bookOrder(filledQuantity = 0): BrokerOrder {
  return { brokerOrderId: 'B1', clientOrderId: ID, symbol: 'INFY', exchange: 'NSE', side: 'buy', type: 'limit', quantity: 5, filledQuantity, averagePrice: 0, status: 'accepted', brokerStatus: 'OPEN', updatedAt: 0 };
}

/** A broker whose order-book look-ups answer as scripted, one step per look-up. */
function scriptedBook(steps: ('absent' | 'found' | 'found-filled' | 'unreachable' | 'logged-out' | 'ambiguous')[]) {
  let lookups = 0;
  let tradeReads = 0;
  const broker = {
    id: 'zerodha' as const,
    async findOrderByClientId(id: string): Promise<BrokerOrder | undefined> {
      const step = steps[Math.min(lookups++, steps.length - 1)];
      if (step === 'unreachable') throw new BrokerError('unavailable', 'HTTP 503', 'zerodha');
      if (step === 'logged-out') throw new BrokerError('auth', 'token expired', 'zerodha');
      if (step === 'ambiguous') throw new BrokerError('input', 'two orders match; say which is ours', 'zerodha');
      if (id !== ID || step === 'absent') return undefined;
      return bookOrder(step === 'found-filled' ? 5 : 0);
    },
    async trades(): Promise<BrokerTrade[]> {
      tradeReads++;
      return [{ tradeId: 'T1', brokerOrderId: 'B1', clientOrderId: ID, symbol: 'INFY', exchange: 'NSE', side: 'buy', quantity: 5, price: 150_000, ts: 0 }];
    },
  };
  return { broker, lookups: () => lookups, tradeReads: () => tradeReads };
}

const OPTIONS = { lookupAttempts: 4, lookupDelayMs: 100 };

describe('resolving an order whose placement went unanswered', () => {
  it('finds the order once the book shows it, and reads its trades only when it has filled', async () => {
    const clock = new VirtualClock(0);
    const lagging = scriptedBook(['absent', 'found']);
    expect(await clock.run(resolveByClientId(lagging.broker, clock, ID, 'timeout', OPTIONS))).toEqual({ order: bookOrder(), trades: [] });
    expect([lagging.lookups(), lagging.tradeReads(), clock.now()]).toEqual([2, 0, 100]);

    const filled = scriptedBook(['found-filled']);
    const found = await clock.run(resolveByClientId(filled.broker, clock, ID, 'timeout', OPTIONS));
    expect(found.trades.map((t) => t.tradeId)).toEqual(['T1']);
    expect(filled.tradeReads()).toBe(1);
  });

  it('concludes the order never arrived only when the last of its look-ups answered without it, the waits doubling', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBook(['absent']);
    expect(await clock.run(resolveByClientId(s.broker, clock, ID, 'timeout', OPTIONS))).toEqual({ trades: [] });
    expect(s.lookups()).toBe(4);
    expect(clock.now()).toBe(100 + 200 + 400);
  });

  it('keeps the outcome unknown while the book cannot be read, even after earlier answers without the order', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBook(['absent', 'absent', 'absent', 'unreachable']);
    await expect(clock.run(resolveByClientId(s.broker, clock, ID, 'POST timed out', OPTIONS))).rejects.toMatchObject({
      kind: 'unavailable',
      message: `could not reach zerodha to resolve order ${ID} (POST timed out)`,
    });
    expect(s.lookups()).toBe(4);
  });

  it('a look-up that failed is made again: a later answer settles it', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBook(['unreachable', 'unreachable', 'found']);
    expect((await clock.run(resolveByClientId(s.broker, clock, ID, 'timeout', OPTIONS))).order?.brokerOrderId).toBe('B1');
    expect(s.lookups()).toBe(3);
  });

  it('a lost login is not retried: it stops the look-ups at once', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBook(['logged-out']);
    await expect(clock.run(resolveByClientId(s.broker, clock, ID, 'timeout', OPTIONS))).rejects.toMatchObject({ kind: 'auth' });
    expect(s.lookups()).toBe(1);
  });

  it('a look-up the broker cannot answer without the user (two orders match) is not retried: it stops with the broker\'s words', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBook(['ambiguous', 'found']);
    await expect(clock.run(resolveByClientId(s.broker, clock, ID, 'timeout', OPTIONS))).rejects.toMatchObject({ kind: 'input', message: 'two orders match; say which is ours' });
    expect(s.lookups()).toBe(1);
  });

  it('a rate-limited placement is looked up only after the broker\'s pause', async () => {
    const clock = new VirtualClock(0);
    const s = scriptedBook(['found']);
    await clock.run(resolveByClientId(s.broker, clock, ID, 'rate-limited', OPTIONS, 1_000));
    expect([s.lookups(), clock.now()]).toEqual([1, 1_000]);
  });
});
