import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerEvent, BrokerTrade } from '../../src/brokers/broker.js';
import type { StoredEvent } from '../../src/domain/events/index.js';
import { storePorts } from '../../src/app/factory/store-ports.js';
import { VirtualClock, WallClock } from '../../src/engine/clock/index.js';
import { RebalanceService } from '../../src/engine/rebalance/rebalance-service.js';
import { defaultRiskConfig } from '../../src/engine/risk/config.js';
import { openDatabase } from '../../src/app/database.js';
import { rebalanceRequest } from '../engine/world.js';
import { type Harness, order, startHarness, waitFor } from './harness.js';
import { connectionOf } from '../../src/store/connection.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rate limiting', () => {
  /**
   * Places `count` orders at once with the broker and the emulator on one virtual clock. Time
   * moves only while every unfinished order waits for the limiter (none is on the wire), so each
   * request arrives at the time it was sent, however busy the machine is, and 200 orders take
   * twenty virtual seconds and a fraction of a real one.
   */
  async function burst(prefix: string, count: number, rateLimit: boolean) {
    const clock = new VirtualClock();
    h = await startHarness({ ordersPerSecond: 10, matchIntervalMs: 0, now: () => clock.now() }, { rateLimit, clock });
    let settled = 0;
    const results = Promise.allSettled(Array.from({ length: count }, (_, i) => h!.broker.placeOrder(order({ clientOrderId: `${prefix}${i}`, quantity: 1 })).finally(() => settled++)));
    while (settled < count) {
      const next = clock.nextTimerAt();
      if (next !== undefined && clock.pendingTimers() >= count - settled) await clock.advance(next - clock.now());
      else await new Promise((r) => setTimeout(r, 1));
    }
    return results;
  }

  it('keeps a 200-order run under 10 orders/s: no 429', async () => {
    const results = await burst('RATE', 200, true);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(new Set(results.map((r) => (r.status === 'fulfilled' ? r.value.brokerOrderId : undefined))).size).toBe(200);
    expect(h!.emu.state.rateLimited).toBe(0);
    const posts = h!.emu.state.requests.filter((r) => r.method === 'POST');
    expect(posts.every((r) => r.status === 200)).toBe(true);
    // At most 10 arrivals in any one-second window, as the emulator counts them.
    const at = posts.map((r) => r.at).sort((a, b) => a - b);
    const busiest = Math.max(...at.map((t, i) => at.filter((u, j) => j >= i && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(10);
    // The limiter did pace them: 200 orders at under 10/s span well over 19 seconds.
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual(19_000);
  });

  it('the same burst without the limiter is throttled by the emulator', async () => {
    const results = await burst('BURST', 15, false);
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(h!.emu.state.rateLimited).toBeGreaterThan(0);
  });
});

describe('unknown outcomes', () => {
  /**
   * Buys `target` on the emulator through the engine (plan, then the execution runtime), as
   * `ptexec rebalance` would, with the order-update stream already up. `onEvents` sees every
   * event as it is recorded. Returns the run's outcome, its child order (its id is the Kite tag),
   * the child's recorded statuses and the run's alerts.
   */
  async function rebalance(target: string, hooks: { onEvents?: (events: StoredEvent[]) => void } = {}) {
    await h!.broker.connect();
    h!.broker.subscribe(() => undefined);
    await waitFor(() => h!.emu.state.wsClients() === 1, 'the stream');
    const store = openDatabase(':memory:');
    try {
      const runtimeOptions = { pollMs: 20, lookupDelayMs: 20 };
      const service = new RebalanceService({ log: store, ...storePorts(store), broker: h!.broker, clock: new WallClock(), risk: { config: defaultRiskConfig() }, runtimeOptions, onEvents: hooks.onEvents });
      const prepared = await service.plan(rebalanceRequest(target));
      if (prepared.kind !== 'checked' || prepared.refusal) throw new Error(`unexpected ${prepared.kind}: ${prepared.kind === 'checked' ? prepared.refusal?.message : ''}`);
      const outcome = await service.execute(prepared);
      service.release();
      const child = connectionOf(store).prepare('SELECT client_order_id AS id, broker_order_id AS brokerOrderId FROM orders WHERE parent_id IS NOT NULL').get() as { id: string; brokerOrderId: string | null };
      const statuses = store
        .events({ runId: prepared.runId, types: ['order.status'] })
        .map((e) => e.payload as { clientOrderId: string; to: string; reason?: string })
        .filter((p) => p.clientOrderId === child.id);
      const alerts = store.events({ runId: prepared.runId, types: ['run.alert'] }).map((e) => (e.payload as { message: string }).message);
      return { outcome, child, statuses, alerts };
    } finally {
      store.close();
    }
  }

  /** Runs the emulator's matching once an order of `symbol` is open (the emulators here match only when told). */
  async function matchOnceOpen(symbol: string): Promise<void> {
    await waitFor(() => h!.emu.state.exchange.orders().some((o) => o.tradingsymbol === symbol && o.status === 'OPEN'), `an open ${symbol} order`);
    h!.emu.state.match();
  }

  /** The first event recorded that matches, as `onEvents` sees them. */
  function when(match: (e: StoredEvent) => boolean, then: () => void) {
    let done = false;
    return (events: StoredEvent[]) => {
      if (done || !events.some(match)) return;
      done = true;
      setImmediate(then);
    };
  }

  const statusIs = (to: string, reason?: string) => (e: StoredEvent) => {
    const p = e.payload as { clientOrderId: string; to: string; reason?: string };
    return e.type === 'order.status' && p.clientOrderId.includes('C') && p.to === to && (reason === undefined || p.reason === reason);
  };
  const postsTagged = (tag: string) => h!.emu.state.requests.filter((r) => r.method === 'POST' && new URLSearchParams(r.body).get('tag') === tag);
  const ordersTagged = (tag: string) => h!.emu.state.exchange.orders().filter((o) => o.tag === tag);

  it('a timeout after Kite accepted the order is resolved by tag: no duplicate', async () => {
    h = await startHarness({ quotesPerSecond: 1000, matchIntervalMs: 0, partialFills: false }, { settings: { timeout_ms: 300 } });
    h.emu.faults.stallPlacements(1);
    await expect(h.broker.placeOrder(order({ clientOrderId: 'LOST1' }))).rejects.toMatchObject({ kind: 'unknown_outcome', message: /may have been processed/ });
    // Booked, its answer lost, and the stream silent about it (its four acceptance statuses):
    // only a look-up by tag can tell it was taken. It fills once found.
    h.emu.faults.stallPlacements(1);
    h.emu.faults.dropWsMessages(4);
    const { outcome, child, statuses } = await rebalance('symbol,target_quantity\nTCS,5\n', { onEvents: when(statusIs('accepted', 'found at the broker'), () => h!.emu.state.match()) });
    expect(outcome.status).toBe('completed');
    const tagged = ordersTagged(child.id);
    expect(tagged).toHaveLength(1);
    expect(child.brokerOrderId).toBe(tagged[0]!.order_id);
    expect(postsTagged(child.id)).toHaveLength(1);
    expect(statuses.map((s) => [s.to, s.reason])).toEqual([
      ['pending_submit', undefined],
      ['unknown', expect.stringMatching(/timed out .*; the request may have been processed$/)],
      ['accepted', 'found at the broker'],
      ['filled', undefined],
    ]);
  });

  it('an order the stream reported before its placement\'s answer was lost keeps what the stream said: no look-up, no step back', async () => {
    h = await startHarness({ quotesPerSecond: 1000, matchIntervalMs: 0, partialFills: false }, { settings: { timeout_ms: 10_000 } });
    h.emu.faults.stallPlacements(1);
    const matched = matchOnceOpen('TCS');
    // Once the stream has reported the fill, the held answer's connection is reset.
    const { outcome, child, statuses, alerts } = await rebalance('symbol,target_quantity\nTCS,5\n', { onEvents: when(statusIs('filled'), () => h!.emu.faults.resetHeldPlacements()) });
    await matched;
    expect(outcome.status).toBe('completed');
    expect(postsTagged(child.id)).toHaveLength(1);
    expect(statuses.map((s) => s.to)).toEqual(['pending_submit', 'accepted', 'filled']);
    expect(alerts.filter((a) => a.includes('checking the order book'))).toEqual([]);
  });

  it('a placement lost before Kite booked it is looked for by tag, then sent again once', async () => {
    h = await startHarness({ quotesPerSecond: 1000, matchIntervalMs: 0, partialFills: false }, { settings: { timeout_ms: 300 } });
    h.emu.faults.losePlacements(1);
    const matched = matchOnceOpen('TCS');
    const { outcome, child, statuses, alerts } = await rebalance('symbol,target_quantity\nTCS,5\n');
    await matched;
    expect(outcome.status).toBe('completed');
    expect(postsTagged(child.id)).toHaveLength(2);
    expect(ordersTagged(child.id)).toHaveLength(1);
    expect(child.brokerOrderId).toBe(ordersTagged(child.id)[0]!.order_id);
    expect(statuses.slice(0, 4).map((s) => s.to)).toEqual(['pending_submit', 'unknown', 'pending_submit', 'accepted']);
    expect(alerts).toContain(`TCS: order ${child.id} never reached the broker; sending it again`);
  });

  it('while the order book cannot be read the outcome stays unknown: nothing is sent again and the run stops resumably', async () => {
    h = await startHarness({ quotesPerSecond: 1000, matchIntervalMs: 0, partialFills: false }, { settings: { timeout_ms: 300 }, readAttempts: 1, circuit: { failureThreshold: 1_000 } });
    h.emu.faults.losePlacements(1);
    h.emu.faults.inject({ method: 'GET', path: /^\/orders$/, errorType: 'NetworkException', count: 1_000 });
    const { outcome, child, statuses } = await rebalance('symbol,target_quantity\nTCS,5\n');
    expect(outcome.status).toBe('interrupted');
    expect(outcome.reason).toMatch(new RegExp(`^could not reach zerodha to resolve order ${child.id} \\(.*\\); run ptexec resume \\w+ when the broker is back$`));
    expect(postsTagged(child.id)).toHaveLength(1);
    expect(ordersTagged(child.id)).toHaveLength(0);
    expect(statuses.map((s) => s.to)).toEqual(['pending_submit', 'unknown']);
  });
});

describe('session expiry', () => {
  it('an access token that expires mid-run gives a clear auth error', async () => {
    h = await startHarness();
    await h.broker.placeOrder(order({ clientOrderId: 'BEFORE1' }));
    h.emu.state.expireTokens();
    const err = await h.broker.placeOrder(order({ clientOrderId: 'AFTER1' })).catch((e: unknown) => e);
    // Kite refuses the request on the session before it reaches the order system: nothing was placed.
    expect(err).toMatchObject({ kind: 'auth', broker: 'zerodha', details: { status: 403, code: 'TokenException', notPlaced: true } });
    expect(h.emu.state.exchange.orders().map((o) => o.tag)).toEqual(['BEFORE1']);
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
