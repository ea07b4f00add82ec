import { afterEach, describe, expect, it } from 'vitest';
import { storePorts } from '../../src/app/factory/store-ports.js';
import { createPaperBroker, resetPaperAccount, type PaperBroker, type PaperInstrument } from '../../src/brokers/paper/index.js';
import type { OrderCreated } from '../../src/domain/events/index.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { RebalanceService, type RebalanceRequest } from '../../src/engine/rebalance/rebalance-service.js';
import { openDatabase } from '../../src/app/database.js';
import { connectionOf } from '../../src/store/connection.js';
import { noLimits } from '../support/no-limits.js';

/**
 * Rebalance legs that name their order, end to end on the paper broker with a virtual clock. A
 * volatile instrument and a second account ("DRIVER") whose market orders move the price through
 * strong permanent impact decide whether a take-profit or a stop-loss is reached; the exits sit
 * 3% from the market, the seeded walk moves well under 1% in the minutes a scenario lasts.
 */
const SWING: PaperInstrument = { symbol: 'SWING', exchange: 'NSE', name: 'Swing Test Instrument', currency: 'INR', tickSize: 5, lotSize: 1, adv: 1_000_000, volatility: 0.5, referencePrice: 10_000 };
const MARKET = { stepMs: 10_000, latencyMs: 20, impact: { temporary: 1, permanent: 100 } };
const MONDAY_10_IST = Date.UTC(2026, 0, 5, 4, 30, 0);

class World {
  readonly store = openDatabase(':memory:');
  readonly clock = new VirtualClock(MONDAY_10_IST);
  readonly broker: PaperBroker;
  readonly driver: PaperBroker;

  constructor(opts: { holdings?: number; faults?: Record<string, number>; latencyMs?: number } = {}) {
    const instruments = [SWING];
    const now = this.clock.now();
    resetPaperAccount(this.store.brokerTables('paper'), { cash: 1_000_000_000, holdings: opts.holdings ? [{ symbol: 'SWING', exchange: 'NSE', quantity: opts.holdings }] : [], now, instruments });
    resetPaperAccount(this.store.brokerTables('paper'), { account: 'DRIVER', cash: 1e13, holdings: [{ symbol: 'SWING', exchange: 'NSE', quantity: 1_000_000 }], now, instruments });
    this.broker = createPaperBroker({ tables: this.store.brokerTables('paper'), clock: this.clock, seed: 11, instruments, config: { ...MARKET, latencyMs: opts.latencyMs ?? MARKET.latencyMs, faults: opts.faults ?? {} } });
    this.driver = createPaperBroker({ tables: this.store.brokerTables('paper'), clock: this.clock, seed: 11, instruments, account: 'DRIVER', config: { ...MARKET, participationCap: 1 } });
  }

  service(): RebalanceService {
    return new RebalanceService({ log: this.store, ...storePorts(this.store), broker: this.broker, clock: this.clock, risk: { config: noLimits() } });
  }

  request(positions: unknown[]): RebalanceRequest {
    const text = JSON.stringify({ positions });
    return {
      target: parseTargetPortfolio(text, 't.json'),
      targetText: text,
      source: 't.json',
      tradingDate: '2026-01-05',
      dryRun: false,
      planOptions: { defaultExecution: { algo: 'market', orderType: 'market', params: {} } },
      options: {},
    };
  }

  async last(): Promise<number> {
    const [q] = await this.broker.quotes([{ symbol: 'SWING', exchange: 'NSE' }]);
    return q!.last;
  }

  /** A price `pct` percent from the last price, on the tick, in rupees as a target file writes it. */
  async away(pct: number): Promise<number> {
    return (Math.round((((await this.last()) * (1 + pct / 100)) / SWING.tickSize)) * SWING.tickSize) / 100;
  }

  /** The driver sends a market order that moves the price as it fills. */
  async drive(side: 'buy' | 'sell', quantity: number): Promise<void> {
    await this.driver.placeOrder({ clientOrderId: `drive${this.clock.now()}`, symbol: 'SWING', exchange: 'NSE', side, type: 'market', quantity, timeInForce: 'day', product: 'delivery' });
  }

  async until(what: string, check: () => Promise<boolean>, maxMs = 1_800_000): Promise<void> {
    const deadline = this.clock.now() + maxMs;
    while (!(await check())) {
      if (this.clock.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
      await this.clock.advance(1_000);
    }
  }

  async brokerStatus(clientOrderId: string): Promise<string | undefined> {
    return (await this.broker.orders()).find((o) => o.clientOrderId === clientOrderId)?.status;
  }

  orders(runId: string) {
    return connectionOf(this.store)
      .prepare('SELECT client_order_id, parent_id, side, type, quantity, status, filled_quantity, link_group FROM orders WHERE run_id = ? ORDER BY rowid')
      .all(runId) as { client_order_id: string; parent_id: string | null; side: string; type: string; quantity: number; status: string; filled_quantity: number; link_group: string | null }[];
  }

  fills(runId: string) {
    return connectionOf(this.store).prepare('SELECT client_order_id, side, quantity, price FROM fills WHERE run_id = ? ORDER BY seq').all(runId) as { client_order_id: string; side: string; quantity: number; price: number }[];
  }

  position(): number {
    return (connectionOf(this.store).prepare("SELECT coalesce(sum(quantity), 0) FROM positions WHERE symbol = 'SWING' AND account = 'PAPER'").pluck().get() as number) ?? 0;
  }

  async close(): Promise<void> {
    await this.broker.close();
    await this.driver.close();
    this.store.close();
  }
}

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function rebalance(w: World, positions: unknown[], duringRun?: () => Promise<void>) {
  const service = w.service();
  const request = w.request(positions);
  const checked = await w.clock.run(service.plan(request));
  if (checked.kind !== 'checked') throw new Error(checked.kind);
  const outcome = await w.clock.run(
    (async () => {
      const run = service.execute(checked);
      if (duringRun) await duringRun();
      return run;
    })(),
  );
  service.release();
  return { runId: checked.runId, outcome, service };
}

describe('bracket legs', () => {
  it('end when the entry has filled and its exits are working; a later catch-up records the take-profit and the cancelled stop-loss once', async () => {
    world = new World();
    const w = world;
    const tp = await w.away(3);
    const sl = await w.away(-3);
    const { runId, outcome, service } = await rebalance(w, [{ symbol: 'SWING', quantity: 100, take_profit: tp, stop_loss: sl }]);
    expect(outcome.status).toBe('completed');
    const [leg] = outcome.legs;
    expect(leg).toMatchObject({ outcome: 'complete', filled: 100 });
    const entryId = leg!.clientOrderIds[0]!;
    expect(leg!.protectiveOrders).toEqual([
      { clientOrderId: `${entryId}TP`, role: 'take_profit', status: 'accepted' },
      { clientOrderId: `${entryId}SL`, role: 'stop_loss', status: 'accepted' },
    ]);
    // The entry's intent carried its exits; the exits are children of the leg, linked to the entry.
    const created = w.store.events({ runId, types: ['order.created'] }).map((e) => e.payload as OrderCreated['payload']);
    expect(created.find((c) => c.clientOrderId === entryId)).toMatchObject({ orderClass: 'bracket', takeProfit: { limitPrice: Math.round(tp * 100) }, stopLoss: { triggerPrice: Math.round(sl * 100) } });
    const rows = w.orders(runId);
    expect(rows.map((r) => [r.client_order_id.replace(runId, ''), r.side, r.type, r.quantity, r.status, r.filled_quantity, r.link_group?.replace(runId, '') ?? null])).toEqual([
      ['L0', 'buy', 'market', 100, 'filled', 100, null],
      ['L0C1', 'buy', 'market', 100, 'filled', 100, 'L0C1'],
      ['L0C1TP', 'sell', 'limit', 100, 'accepted', 0, 'L0C1'],
      ['L0C1SL', 'sell', 'stop', 100, 'accepted', 0, 'L0C1'],
    ]);
    expect(w.position()).toBe(100);

    await w.clock.run(w.drive('buy', 30_000));
    await w.until('the take-profit', async () => (await w.brokerStatus(`${entryId}TP`)) === 'filled');
    expect(await w.service().catchUpLeftWorking()).toEqual([runId]);
    const after = w.orders(runId);
    expect(after.find((r) => r.client_order_id === `${entryId}TP`)).toMatchObject({ status: 'filled', filled_quantity: 100 });
    expect(after.find((r) => r.client_order_id === `${entryId}SL`)).toMatchObject({ status: 'cancelled', filled_quantity: 0 });
    // The leg stays what it bought: exit fills protect it, they do not fill it.
    expect(after.find((r) => r.parent_id === null)).toMatchObject({ filled_quantity: 100, status: 'filled' });
    const sold = w.fills(runId).filter((f) => f.side === 'sell');
    expect(sold.reduce((s, f) => s + f.quantity, 0)).toBe(100);
    expect(sold.every((f) => f.client_order_id === `${entryId}TP` && f.price >= Math.round(tp * 100))).toBe(true);
    expect(w.position()).toBe(0);
    // Nothing is left working, and a second catch-up records nothing twice.
    const fillsBefore = w.fills(runId).length;
    expect(await service.catchUpLeftWorking()).toEqual([]);
    expect(w.fills(runId)).toHaveLength(fillsBefore);
    expect(await w.broker.holdings()).toEqual([]);
  });

  it('records a stop-loss hit and the take-profit it cancelled, and the next rebalance sees the flat position', async () => {
    world = new World();
    const w = world;
    const tp = await w.away(3);
    const sl = await w.away(-3);
    const { runId, outcome } = await rebalance(w, [{ symbol: 'SWING', quantity: 100, take_profit: tp, stop_loss: sl }]);
    const entryId = outcome.legs[0]!.clientOrderIds[0]!;
    await w.clock.run(w.drive('sell', 30_000));
    await w.until('the stop-loss', async () => (await w.brokerStatus(`${entryId}SL`)) === 'filled');
    // A new rebalance catches up first: its plan starts from the flat position.
    const next = w.service();
    const request = w.request([{ symbol: 'SWING', quantity: 10 }]);
    const checked = await w.clock.run(next.plan({ ...request, targetText: `${request.targetText} ` }));
    next.release();
    if (checked.kind !== 'checked') throw new Error(checked.kind);
    expect(checked.plan.legs[0]).toMatchObject({ side: 'buy', current: 0, quantity: 10 });
    const rows = w.orders(runId);
    expect(rows.find((r) => r.client_order_id === `${entryId}SL`)).toMatchObject({ status: 'filled', filled_quantity: 100 });
    expect(rows.find((r) => r.client_order_id === `${entryId}TP`)).toMatchObject({ status: 'cancelled' });
    expect(w.fills(runId).filter((f) => f.side === 'sell').every((f) => f.client_order_id === `${entryId}SL` && f.price < Math.round(tp * 100))).toBe(true);
    expect(w.position()).toBe(0);
  });

  it('resolves a bracket placement whose answer was lost by its client id, without sending it twice', async () => {
    // With 1.5 s of latency the order's updates arrive 3 s after it was sent: its answer times out
    // (at 2 s) before any update tells what became of it, so only a look-up by client order id can.
    world = new World({ latencyMs: 1500, faults: { timeoutAfterAccept: 1, timeoutMs: 2000 } });
    const w = world;
    const { runId, outcome } = await rebalance(w, [{ symbol: 'SWING', quantity: 50, take_profit: await w.away(3), stop_loss: await w.away(-3) }]);
    expect(outcome.legs[0]).toMatchObject({ outcome: 'complete', filled: 50 });
    const ids = (await w.broker.orders()).map((o) => o.clientOrderId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id?.startsWith(runId))).toHaveLength(3);
    const statuses = w.store.events({ runId, types: ['order.status'] }).map((e) => (e.payload as { to: string }).to);
    expect(statuses).toContain('unknown');
    expect(outcome.legs[0]!.protectiveOrders.map((p) => p.status)).toEqual(['accepted', 'accepted']);
  });
});

describe('exits left working overnight', () => {
  it('are found by client id on a later day and recorded as expired', async () => {
    world = new World();
    const w = world;
    const { runId, outcome } = await rebalance(w, [{ symbol: 'SWING', quantity: 20, take_profit: await w.away(25), stop_loss: await w.away(-25) }]);
    const entryId = outcome.legs[0]!.clientOrderIds[0]!;
    await w.clock.advance(16 * 3_600_000);
    expect((await w.broker.orders()).map((o) => o.clientOrderId)).not.toContain(`${entryId}TP`);
    expect(await w.clock.run(w.service().catchUpLeftWorking())).toEqual([runId]);
    const exits = w.orders(runId).filter((r) => r.client_order_id.startsWith(entryId) && r.client_order_id !== entryId);
    expect(exits.map((r) => r.status)).toEqual(['expired', 'expired']);
    expect(await w.clock.run(w.service().catchUpLeftWorking())).toEqual([]);
  });
});

describe('OCO legs', () => {
  it('sell a holding at the stop-loss when the price falls; the take-profit is cancelled and the leg is complete', async () => {
    world = new World({ holdings: 100 });
    const w = world;
    const tp = await w.away(3);
    const sl = await w.away(-3);
    const { runId, outcome } = await rebalance(w, [{ symbol: 'SWING', quantity: 0, order_type: 'oco', take_profit: tp, stop_loss: sl, algo_params: { duration: '1h' } }], async () => {
      await w.clock.sleep(1_000);
      await w.drive('sell', 30_000);
    });
    expect(outcome.status).toBe('completed');
    const [leg] = outcome.legs;
    expect(leg).toMatchObject({ side: 'sell', outcome: 'complete', filled: 100, protectiveOrders: [] });
    const head = leg!.clientOrderIds[0]!;
    const rows = w.orders(runId);
    expect(rows.find((r) => r.client_order_id === head)).toMatchObject({ type: 'limit', status: 'cancelled', filled_quantity: 0, link_group: head });
    expect(rows.find((r) => r.client_order_id === `${head}SL`)).toMatchObject({ side: 'sell', type: 'stop', status: 'filled', filled_quantity: 100, link_group: head });
    expect(rows.find((r) => r.parent_id === null)).toMatchObject({ status: 'filled', filled_quantity: 100 });
    expect(w.fills(runId).every((f) => f.client_order_id === `${head}SL`)).toBe(true);
    expect(w.position()).toBe(-100);
    expect(await w.broker.holdings()).toEqual([]);
  });

  it('is cancelled as a pair at its horizon when neither price is reached', async () => {
    world = new World({ holdings: 100 });
    const w = world;
    const { runId, outcome } = await rebalance(w, [{ symbol: 'SWING', quantity: 0, order_type: 'oco', take_profit: await w.away(3), stop_loss: await w.away(-3), algo_params: { duration: '2m' } }]);
    expect(outcome.status).toBe('incomplete');
    expect(outcome.legs[0]).toMatchObject({ outcome: 'unfilled', filled: 0 });
    const head = outcome.legs[0]!.clientOrderIds[0]!;
    expect(await w.brokerStatus(head)).toBe('cancelled');
    expect(await w.brokerStatus(`${head}SL`)).toBe('cancelled');
    // Only the head was cancelled by us: the broker took its sibling with it, and no cancel failed.
    const alerts = w.store.events({ runId, types: ['run.alert'] }).map((e) => (e.payload as { message: string }).message);
    expect(alerts.filter((m) => m.includes('cancel of'))).toEqual([]);
    expect(w.orders(runId).filter((r) => r.parent_id !== null).map((r) => r.status)).toEqual(['cancelled', 'cancelled']);
  });
});

describe('stop legs', () => {
  it('buy once the price rises through the stop, at or above it', async () => {
    world = new World();
    const w = world;
    const stop = await w.away(2);
    const { runId, outcome } = await rebalance(w, [{ symbol: 'SWING', quantity: 40, order_type: 'stop', stop_price: stop, algo_params: { duration: '1h' } }], async () => {
      await w.clock.sleep(1_000);
      await w.drive('buy', 30_000);
    });
    expect(outcome.legs[0]).toMatchObject({ outcome: 'complete', filled: 40 });
    const [child] = w.orders(runId).filter((r) => r.parent_id !== null);
    expect(child).toMatchObject({ type: 'stop', status: 'filled', filled_quantity: 40 });
    expect(w.fills(runId).every((f) => f.price >= Math.round(stop * 100))).toBe(true);
    const created = w.store.events({ runId, types: ['order.created'] }).map((e) => e.payload as OrderCreated['payload']);
    expect(created.find((c) => c.parentId)).toMatchObject({ type: 'stop', triggerPrice: Math.round(stop * 100) });
  });
});
