import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerEvent, BrokerTrade } from '../../src/brokers/broker.js';
import { placeWithResolution } from '../../src/brokers/http/place-with-resolution.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type Harness, order, startHarness, waitFor } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rate limiting', () => {
  it('keeps a 200-order run under 10 orders/s: no 429', { timeout: 90_000 }, async () => {
    h = await startHarness({ ordersPerSecond: 10, matchIntervalMs: 0 }, { rateLimit: true });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => h!.broker.placeOrder(order({ clientOrderId: `RATE${i}`, quantity: 1 }))));
    expect(new Set(results.map((r) => r.brokerOrderId)).size).toBe(200);
    expect(h.emu.state.rateLimited).toBe(0);
    const posts = h.emu.state.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => r.status === 200)).toBe(true);
    // At most 10 arrivals in any one-second window, as the emulator counts them.
    const at = posts.map((r) => r.at).sort((a, b) => a - b);
    const busiest = Math.max(...at.map((t, i) => at.filter((u, j) => j >= i && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(10);
  });

  it('the same burst without the limiter is throttled by the emulator', async () => {
    h = await startHarness({ ordersPerSecond: 10, matchIntervalMs: 0 }, { rateLimit: false });
    const results = await Promise.allSettled(Array.from({ length: 15 }, (_, i) => h!.broker.placeOrder(order({ clientOrderId: `BURST${i}`, quantity: 1 }))));
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(h.emu.state.rateLimited).toBeGreaterThan(0);
  });
});

describe('unknown outcomes', () => {
  it('a timeout after Kite accepted the order is resolved by tag: no duplicate', async () => {
    h = await startHarness({ matchIntervalMs: 0 }, { settings: { timeout_ms: 300 } });
    h.emu.faults.stallPlacements(1);
    await expect(h.broker.placeOrder(order({ clientOrderId: 'LOST1' }))).rejects.toMatchObject({ kind: 'unknown_outcome', message: /may have been processed/ });
    h.emu.faults.stallPlacements(1);
    const outcome = await placeWithResolution(h.broker, order({ clientOrderId: 'LOST2' }), { clock: new WallClock(), lookupAttempts: 3, delayMs: 50 });
    expect(outcome.resolved).toBe('found');
    const tagged = h.emu.state.exchange.orders().filter((o) => o.tag === 'LOST2');
    expect(tagged).toHaveLength(1);
    expect(outcome.brokerOrderId).toBe(tagged[0]!.order_id);
    expect(h.emu.state.requests.filter((r) => r.method === 'POST' && new URLSearchParams(r.body).get('tag') === 'LOST2')).toHaveLength(1);
  });
});

describe('session expiry', () => {
  it('an access token that expires mid-run gives a clear auth error', async () => {
    h = await startHarness();
    await h.broker.placeOrder(order({ clientOrderId: 'BEFORE1' }));
    h.emu.state.expireTokens();
    const err = await h.broker.placeOrder(order({ clientOrderId: 'AFTER1' })).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'auth', broker: 'zerodha', details: { status: 403, code: 'TokenException' } });
    expect((err as Error).message).toMatch(/Kite session is no longer valid \(access tokens expire daily at about 06:00 IST\)/);
    await expect(h.broker.holdings()).rejects.toMatchObject({ kind: 'auth' });
    // Auth errors are not retried.
    expect(h.emu.state.requests.filter((r) => r.path === '/portfolio/holdings')).toHaveLength(1);
  });
});

describe('order-update stream', () => {
  function collect(events: BrokerEvent[]) {
    return {
      trades: () => events.filter((e): e is Extract<BrokerEvent, { type: 'trade' }> => e.type === 'trade').map((e) => e.trade),
      statuses: (id: string) => events.flatMap((e) => (e.type === 'order' && e.order.brokerOrderId === id ? [e.order.status] : [])),
    };
  }

  it('reports every status and each fill once, trades before the status that follows them', async () => {
    h = await startHarness({ matchIntervalMs: 0 });
    const events: BrokerEvent[] = [];
    h.broker.subscribe((e) => events.push(e));
    await waitFor(() => h!.emu.state.wsClients() === 1, 'the stream');
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'WS1', quantity: 8 }));
    const c = collect(events);
    await waitFor(() => c.statuses(brokerOrderId).length === 4, 'the order to open');
    h.emu.state.match();
    await waitFor(() => c.statuses(brokerOrderId).includes('partially_filled'), 'the partial fill');
    h.emu.state.match();
    await waitFor(() => c.statuses(brokerOrderId).includes('filled'), 'the filled status');
    // Every Kite status is reported (the transient ones map to accepted), each once.
    expect(c.statuses(brokerOrderId)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'partially_filled', 'filled']);
    expect(c.trades().map((t) => t.quantity)).toEqual([4, 4]);
    const kinds = events.filter((e) => e.type === 'order' || e.type === 'trade').map((e) => (e.type === 'trade' ? 'trade' : e.order.brokerStatus));
    expect(kinds).toEqual(['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'OPEN PENDING', 'OPEN', 'trade', 'UPDATE', 'trade', 'COMPLETE']);
  });

  it('loses no fill when the WebSocket drops during fills: resync re-reads the books', async () => {
    h = await startHarness({ matchIntervalMs: 0 });
    const events: BrokerEvent[] = [];
    h.broker.subscribe((e) => events.push(e));
    await waitFor(() => h!.emu.state.wsClients() === 1, 'the stream');
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'DROP1', quantity: 10 }));
    await waitFor(() => h!.emu.state.exchange.order(brokerOrderId)?.status === 'OPEN', 'the order to open');
    h.emu.state.match(); // first half, seen live
    const c = collect(events);
    await waitFor(() => c.trades().length === 1, 'the first fill');
    h.emu.faults.dropWebSocket();
    h.emu.state.match(); // second half, while disconnected
    await waitFor(() => events.some((e) => e.type === 'resync'), 'the resync');
    await waitFor(() => c.statuses(brokerOrderId).includes('filled'), 'the filled status');
    expect(events.some((e) => e.type === 'disconnected')).toBe(true);
    const trades = c.trades().filter((t: BrokerTrade) => t.brokerOrderId === brokerOrderId);
    expect(trades.map((t) => t.quantity)).toEqual([5, 5]);
    expect(new Set(trades.map((t) => t.tradeId)).size).toBe(2);
    expect(trades[1]!.clientOrderId).toBe('DROP1');
    // The reconnected stream keeps working, and nothing is reported twice.
    await new Promise((r) => setTimeout(r, 100));
    expect(c.trades()).toHaveLength(2);
    expect(c.statuses(brokerOrderId).filter((s) => s === 'filled')).toHaveLength(1);
  });

  it('reconnects after a silence longer than the heartbeat timeout and catches up', async () => {
    h = await startHarness({ matchIntervalMs: 0, heartbeatMs: 50 }, { settings: { ws_silence_ms: 300 } });
    const events: BrokerEvent[] = [];
    h.broker.subscribe((e) => events.push(e));
    await waitFor(() => h!.emu.state.wsClients() === 1, 'the stream');
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'QUIET1', quantity: 1 }));
    await waitFor(() => h!.emu.state.exchange.order(brokerOrderId)?.status === 'OPEN', 'the order to open');
    h.emu.faults.silence(true);
    h.emu.state.match();
    await waitFor(() => events.some((e) => e.type === 'disconnected' && /no frame for 300 ms/.test(e.reason)), 'the silence to be noticed');
    h.emu.faults.silence(false);
    await waitFor(() => collect(events).statuses(brokerOrderId).includes('filled'), 'the fill after resync');
    expect(collect(events).trades()).toHaveLength(1);
  });

  it('an explicit resync recovers order messages the stream dropped', async () => {
    h = await startHarness({ matchIntervalMs: 0 });
    const events: BrokerEvent[] = [];
    h.broker.subscribe((e) => events.push(e));
    await waitFor(() => h!.emu.state.wsClients() === 1, 'the stream');
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'MISS1', quantity: 1 }));
    await waitFor(() => h!.emu.state.exchange.order(brokerOrderId)?.status === 'OPEN', 'the order to open');
    await waitFor(() => collect(events).statuses(brokerOrderId).length > 0, 'the first update');
    h.emu.faults.dropWsMessages(10);
    h.emu.state.match();
    await new Promise((r) => setTimeout(r, 50));
    expect(collect(events).statuses(brokerOrderId)).not.toContain('filled');
    await h.broker.resync('reconcile');
    expect(collect(events).statuses(brokerOrderId).at(-1)).toBe('filled');
    expect(collect(events).trades()).toHaveLength(1);
  });
});
