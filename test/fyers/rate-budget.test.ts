import { describe, expect, it } from 'vitest';
import { fyersAppLimiter } from '../../src/brokers/fyers/app-limiter.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { startFyersHarness } from './harness.js';

describe('Fyers rate budget', () => {
  it('every client of one app shares one budget that never reaches 10 calls a second or 200 a minute', async () => {
    const clock = new VirtualClock();
    // The login's client, the adapter and an adapter reopened after a new login, all at once.
    const clients = [fyersAppLimiter('APP1-100', clock), fyersAppLimiter('APP1-100', clock), fyersAppLimiter('APP1-100', clock)];
    expect(new Set(clients).size).toBe(1);
    expect(fyersAppLimiter('APP2-100', clock)).not.toBe(clients[0]);
    const sent: number[] = [];
    await clock.run(Promise.all(Array.from({ length: 450 }, (_, i) => clients[i % 3]!.acquire('api').then(() => sent.push(clock.now())))));
    const most = (windowMs: number) => Math.max(...sent.map((t) => sent.filter((u) => u >= t && u < t + windowMs).length));
    expect(most(1_000)).toBeLessThanOrEqual(10);
    expect(most(60_000)).toBeLessThan(200);
    expect(sent).toHaveLength(450);
  });
});

describe('Fyers reads under the rate budget', () => {
  it('a read identical to one still waiting for its turn joins it; once it has gone out, a new one is sent', async () => {
    const h = await startFyersHarness({}, { rateLimit: true });
    try {
      const { broker, emu } = h;
      await broker.funds();
      const reads = () => emu.server.calls.filter((c) => c.path === '/api/v3/orders').length;
      // Three book reads asked together while the budget is spent: one request.
      await Promise.all([broker.orders(), broker.orders(), broker.findOrderByClientId('NONE')]);
      expect(reads()).toBe(1);
      await broker.orders();
      expect(reads()).toBe(2);
    } finally {
      await h.close();
    }
  });
});
