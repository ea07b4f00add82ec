import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerOrder } from '../../src/brokers/broker.js';
import { createPaperBroker, DEFAULT_MARKET_MODEL, resetPaperAccount, type PaperBroker, type PaperInstrument } from '../../src/brokers/paper/index.js';
import type { BrokerError } from '../../src/domain/errors/broker-error.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import type { Store } from '../../src/store/store.js';
import { MONDAY_MORNING, openStore } from './helpers.js';

/**
 * A volatile instrument whose price another account ("DRIVER") moves by several percent with
 * market orders (strong permanent impact), so that the tests decide where the market goes: up,
 * then down through a trailing stop. The seeded random walk moves it well under 1% meanwhile.
 */
const SWING: PaperInstrument = { symbol: 'SWING', exchange: 'NSE', name: 'Swing Test Instrument', currency: 'INR', tickSize: 5, lotSize: 1, adv: 1_000_000, volatility: 0.5, referencePrice: 10_000 };
const MARKET = { stepMs: 10_000, latencyMs: 20, impact: { temporary: 1, permanent: 100 } };
const instruments = [SWING];

interface World {
  store: Store;
  clock: VirtualClock;
  broker: PaperBroker;
  driver: PaperBroker;
}

const open: World[] = [];
afterEach(async () => {
  while (open.length) {
    const w = open.pop()!;
    await w.broker.close();
    await w.driver.close();
  }
});

function world(store = openStore(), clock = new VirtualClock(MONDAY_MORNING), reset = true): World {
  if (reset) {
    resetPaperAccount(store.brokerTables('paper'), { cash: 1_000_000_000, holdings: [{ symbol: 'SWING', exchange: 'NSE', quantity: 100 }], now: clock.now(), instruments });
    resetPaperAccount(store.brokerTables('paper'), { account: 'DRIVER', cash: 1e13, holdings: [{ symbol: 'SWING', exchange: 'NSE', quantity: 1_000_000 }], now: clock.now(), instruments });
  }
  const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, seed: 11, instruments, model: DEFAULT_MARKET_MODEL, config: MARKET });
  const driver = createPaperBroker({ tables: store.brokerTables('paper'), clock, seed: 11, instruments, account: 'DRIVER', config: { ...MARKET, participationCap: 1 } });
  const w = { store, clock, broker, driver };
  open.push(w);
  return w;
}

let nextId = 1;
const request = (overrides: Partial<OrderRequest>): OrderRequest => ({ clientOrderId: `ts${nextId++}`, symbol: 'SWING', exchange: 'NSE', side: 'sell', type: 'market', quantity: 100, timeInForce: 'day', product: 'delivery', ...overrides });

async function last(w: World): Promise<number> {
  const [q] = await w.broker.quotes([{ symbol: 'SWING', exchange: 'NSE' }]);
  return q!.last;
}

async function byClientId(broker: PaperBroker, id: string): Promise<BrokerOrder> {
  return (await broker.findOrderByClientId(id))!;
}

/** The stop and water mark the paper broker keeps for an order. */
function stored(w: World, id: string): { trigger_price: number; trail_mark: number; trail_percent: number | null; trail_price: number | null } {
  return w.store.brokerTables('paper').prepare('SELECT trigger_price, trail_mark, trail_percent, trail_price FROM paper_orders WHERE client_order_id = ?').get(id) as never;
}

async function drive(w: World, side: 'buy' | 'sell', quantity: number): Promise<void> {
  const { brokerOrderId } = await w.clock.run(w.driver.placeOrder(request({ side, quantity })));
  for (let i = 0; i < 1_800 && !(await w.driver.orders()).some((o) => o.brokerOrderId === brokerOrderId && o.status === 'filled'); i++) await w.clock.advance(1_000);
}

describe('paper trailing stops', () => {
  it('follows the high-water mark of its own market up (across a restart), never down, and sells at market once the price falls the trail below it', async () => {
    const w = world();
    expect(w.broker.capabilities.orderTypes).toContain('trailing_stop');
    const start = await last(w);
    await w.clock.run(w.broker.placeOrder(request({ clientOrderId: 'trail1', type: 'trailing_stop', trail: { percent: 3 } })));
    const first = stored(w, 'trail1');
    // 3 % under the last price, on the tick below.
    expect(first).toMatchObject({ trail_mark: start, trail_percent: 3, trail_price: null });
    expect(first.trigger_price).toBe(Math.floor((start * 0.97) / 5) * 5);
    expect(await byClientId(w.broker, 'trail1')).toMatchObject({ type: 'trailing_stop', status: 'accepted', brokerStatus: 'TRIGGER PENDING' });

    await drive(w, 'buy', 30_000);
    await w.clock.advance(20_000);
    const peak = await last(w);
    expect(peak).toBeGreaterThan(start * 1.05);
    const raised = stored(w, 'trail1');
    expect(raised.trail_mark).toBeGreaterThanOrEqual(peak);
    expect(raised.trigger_price).toBe(Math.floor((raised.trail_mark * 0.97) / 5) * 5);
    expect((await byClientId(w.broker, 'trail1')).status).toBe('accepted');

    // Another process takes over the same book: the mark is kept.
    await w.broker.close();
    await w.driver.close();
    open.pop();
    const again = world(w.store, w.clock, false);
    await again.clock.run(again.broker.connect());
    expect(stored(again, 'trail1').trail_mark).toBe(raised.trail_mark);

    await drive(again, 'sell', 60_000);
    for (let i = 0; i < 600 && (await byClientId(again.broker, 'trail1')).status !== 'filled'; i++) await again.clock.advance(1_000);
    const done = await byClientId(again.broker, 'trail1');
    expect(done).toMatchObject({ status: 'filled', filledQuantity: 100 });
    const stop = stored(again, 'trail1').trigger_price;
    expect(stop).toBeGreaterThanOrEqual(raised.trigger_price);
    // Sold after the price fell to the raised stop: far above where a fixed 3 % stop from the start stood.
    const fills = await again.broker.trades(done.brokerOrderId);
    expect(fills.reduce((s, t) => s + t.quantity, 0)).toBe(100);
    expect(Math.min(...fills.map((t) => t.price))).toBeGreaterThan(first.trigger_price);
  });

  it('takes a price offset, refuses a trail that is missing, off the tick or both, and a change of its stop', async () => {
    const w = world();
    const start = await last(w);
    const { brokerOrderId } = await w.clock.run(w.broker.placeOrder(request({ clientOrderId: 'trail2', side: 'buy', quantity: 10, type: 'trailing_stop', trail: { price: 250 } })));
    expect(stored(w, 'trail2')).toMatchObject({ trail_mark: start, trail_price: 250, trigger_price: start + 250 });
    const refusal = async (r: OrderRequest) => (await w.clock.run(w.broker.placeOrder(r)).then(() => undefined, (e: unknown) => e as BrokerError))?.message;
    expect(await refusal(request({ type: 'trailing_stop' }))).toMatch(/a trailing stop needs a trail/);
    expect(await refusal(request({ type: 'trailing_stop', trail: { price: 252 } }))).toMatch(/trail price offset 252 is not on the tick of 5/);
    expect(await refusal(request({ type: 'trailing_stop', trail: { price: 250, percent: 2 } as never }))).toMatch(/exactly one/);
    expect(await refusal(request({ type: 'trailing_stop', trail: { percent: 2.555 } }))).toMatch(/at most 2 decimals/);
    const change = await w.clock.run(w.broker.modifyOrder(brokerOrderId, { triggerPrice: start + 100 })).then(() => undefined, (e: unknown) => e as BrokerError);
    expect(change?.message).toMatch(/its stop follows the market/);
  });
});
