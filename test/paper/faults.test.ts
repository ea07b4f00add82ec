import { describe, expect, it } from 'vitest';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { harness, order, placeAndWait } from './helpers.js';

async function attempt<T>(h: ReturnType<typeof harness>, p: Promise<T>): Promise<T | unknown> {
  return h.clock.run(p).catch((e: unknown) => e);
}

describe('paper fault injection', () => {
  it('is off by default', async () => {
    const h = harness();
    for (let i = 0; i < 30; i++) {
      const result = await attempt(h, h.broker.placeOrder(order({ clientOrderId: `ok${i}`, symbol: 'ITC', quantity: 1 })));
      expect(result).toMatchObject({ brokerOrderId: expect.stringMatching(/^P/) });
    }
    await h.clock.advance(5_000);
    expect((await h.broker.orders()).every((o) => o.status === 'filled')).toBe(true);
    await h.broker.close();
  });

  it('rejects orders with the configured probability (the order exists, status rejected)', async () => {
    const h = harness({ config: { faults: { reject: 1 } } });
    const result = await attempt(h, h.broker.placeOrder(order({ clientOrderId: 'r1' })));
    expect(result).toMatchObject({ brokerOrderId: expect.any(String) });
    const o = (await h.broker.findOrderByClientId('r1'))!;
    expect(o.status).toBe('rejected');
    expect(o.brokerStatus).toBe('REJECTED');
    expect(o.statusMessage).toMatch(/simulated/);
    await h.broker.close();
  });

  it('times out after acceptance: unknown_outcome, and the order exists and trades', async () => {
    const h = harness({ config: { faults: { timeoutAfterAccept: 1, timeoutMs: 2_000 } } });
    const start = h.clock.now();
    const err = await attempt(h, h.broker.placeOrder(order({ clientOrderId: 'lost-after', quantity: 5 })));
    expect(isBrokerError(err, 'unknown_outcome')).toBe(true);
    expect(h.clock.now() - start).toBe(2_000);
    const found = (await h.broker.findOrderByClientId('lost-after'))!;
    expect(found.status).toBe('filled');
    expect(await h.broker.trades(found.brokerOrderId)).not.toHaveLength(0);
    await h.broker.close();
  });

  it('times out before acceptance: unknown_outcome, and no order exists', async () => {
    const h = harness({ config: { faults: { timeoutBeforeAccept: 1 } } });
    const err = await attempt(h, h.broker.placeOrder(order({ clientOrderId: 'lost-before' })));
    expect(isBrokerError(err, 'unknown_outcome')).toBe(true);
    expect(await h.broker.findOrderByClientId('lost-before')).toBeUndefined();
    expect(await h.broker.orders()).toHaveLength(0);
    await h.broker.close();
  });

  it('answers like HTTP 503 and 429 without creating orders', async () => {
    const down = harness({ config: { faults: { unavailable: 1 } } });
    const e503 = await attempt(down, down.broker.placeOrder(order({ clientOrderId: 'u' })));
    expect(isBrokerError(e503, 'unavailable')).toBe(true);
    expect((e503 as { details: { status?: number } }).details.status).toBe(503);
    expect(await down.broker.orders()).toHaveLength(0);
    await down.broker.close();

    const busy = harness({ config: { faults: { rateLimited: 1 } } });
    const e429 = await attempt(busy, busy.broker.placeOrder(order({ clientOrderId: 'r' })));
    expect(isBrokerError(e429, 'rate_limited')).toBe(true);
    expect((e429 as { retryable: boolean }).retryable).toBe(true);
    expect(await attempt(busy, busy.broker.cancelOrder('P000000001'))).toSatisfy((e: unknown) => isBrokerError(e, 'rate_limited'));
    expect(await busy.broker.orders()).toHaveLength(0);
    await busy.broker.close();
  });

  it('drops update events; the order book still tells the truth', async () => {
    const h = harness({ config: { faults: { dropUpdate: 1 } } });
    const id = await placeAndWait(h, order({ clientOrderId: 'quiet', quantity: 10 }));
    expect(h.events).toHaveLength(0);
    expect((await h.broker.orders()).find((o) => o.brokerOrderId === id)!.status).toBe('filled');
    expect((await h.broker.trades(id)).reduce((s, t) => s + t.quantity, 0)).toBe(10);
    await h.broker.close();
  });

  it('draws faults from the seed: the same seed gives the same sequence of outcomes', async () => {
    const outcomes = async (seed: number) => {
      const h = harness({ seed, config: { faults: { reject: 0.3, unavailable: 0.2, rateLimited: 0.1, dropUpdate: 0.3 } } });
      const out: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await attempt(h, h.broker.placeOrder(order({ clientOrderId: `s${i}`, symbol: 'NTPC', quantity: 1 })));
        if (isBrokerError(r)) out.push(r.kind);
        else out.push((await h.broker.findOrderByClientId(`s${i}`))!.status);
      }
      await h.clock.advance(2_000);
      out.push(String(h.events.length));
      await h.broker.close();
      return out;
    };
    const a = await outcomes(11);
    expect(await outcomes(11)).toEqual(a);
    expect(new Set(a.slice(0, 40))).toEqual(new Set(['rejected', 'unavailable', 'rate_limited', 'filled']));
    expect(await outcomes(12)).not.toEqual(a);
  });
});
