import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerOrder } from '../../src/brokers/broker.js';
import { createPaperBroker, DEFAULT_MARKET_MODEL, resetPaperAccount, type PaperBroker, type PaperInstrument } from '../../src/brokers/paper/index.js';
import { isBrokerError } from '../../src/domain/errors/broker-error.js';
import { exitLegClientIds, orderClassProblem } from '../../src/domain/order-class.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import type { Store } from '../../src/store/store.js';
import { MONDAY_MORNING, openStore, tempDir } from './helpers.js';

/**
 * A volatile test instrument and a market whose permanent impact is strong, so that another
 * account ("DRIVER") can move the price by several percent with market orders and the tests
 * decide whether a take-profit or a stop-loss is reached. The seeded random walk moves the price
 * by well under 1% over the minutes each scenario lasts; the exits sit 3% away and the driver
 * moves the price by about 8%.
 */
const SWING: PaperInstrument = {
  symbol: 'SWING',
  exchange: 'NSE',
  name: 'Swing Test Instrument',
  currency: 'INR',
  tickSize: 5,
  lotSize: 1,
  adv: 1_000_000,
  volatility: 0.5,
  referencePrice: 10_000,
};
/** A book of 100 shares: an entry of a few hundred fills over several sweeps. */
const THIN_BOOK = { ...DEFAULT_MARKET_MODEL, symbols: { 'NSE:SWING': { touch_depth: 10 } } };
const MARKET = { stepMs: 10_000, latencyMs: 20, impact: { temporary: 1, permanent: 100 } };
const SEED = 11;
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface World {
  store: Store;
  clock: VirtualClock;
  broker: PaperBroker;
  driver: PaperBroker;
}

function world(options: { store?: Store; clock?: VirtualClock; holdings?: number; reset?: boolean; latencyMs?: number } = {}): World {
  const store = options.store ?? openStore();
  const clock = options.clock ?? new VirtualClock(MONDAY_MORNING);
  const instruments = [SWING];
  if (options.reset !== false) {
    resetPaperAccount(store.brokerTables('paper'), { cash: 1_000_000_000, holdings: options.holdings ? [{ symbol: 'SWING', exchange: 'NSE', quantity: options.holdings }] : [], now: clock.now(), instruments });
    resetPaperAccount(store.brokerTables('paper'), { account: 'DRIVER', cash: 1e13, holdings: [{ symbol: 'SWING', exchange: 'NSE', quantity: 1_000_000 }], now: clock.now(), instruments });
  }
  const broker = createPaperBroker({ tables: store.brokerTables('paper'), clock, seed: SEED, instruments, model: THIN_BOOK, config: { ...MARKET, latencyMs: options.latencyMs ?? MARKET.latencyMs } });
  const driver = createPaperBroker({ tables: store.brokerTables('paper'), clock, seed: SEED, instruments, account: 'DRIVER', config: { ...MARKET, participationCap: 1 } });
  return { store, clock, broker, driver };
}

let nextId = 1;
function request(overrides: Partial<OrderRequest>): OrderRequest {
  return { clientOrderId: `oc${nextId++}`, symbol: 'SWING', exchange: 'NSE', side: 'buy', type: 'market', quantity: 100, timeInForce: 'day', product: 'delivery', ...overrides };
}

async function last(w: World): Promise<number> {
  const [q] = await w.broker.quotes([{ symbol: 'SWING', exchange: 'NSE' }]);
  return q!.last;
}

/** A price `pct` percent away from `price`, on the tick. */
function away(price: number, pct: number): number {
  return Math.round((price * (1 + pct / 100)) / SWING.tickSize) * SWING.tickSize;
}

async function byClientId(broker: PaperBroker, id: string): Promise<BrokerOrder> {
  const found = (await broker.orders()).find((o) => o.clientOrderId === id);
  if (!found) throw new Error(`no order ${id}`);
  return found;
}

async function until(w: World, what: string, check: () => Promise<boolean>, maxMs = 1_800_000): Promise<void> {
  const deadline = w.clock.now() + maxMs;
  while (!(await check())) {
    if (w.clock.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await w.clock.advance(1_000);
  }
}

/** The driver account sends a market order for `quantity`, which moves the price through permanent impact as it fills. */
async function startDrive(w: World, side: 'buy' | 'sell', quantity: number): Promise<string> {
  const { brokerOrderId } = await w.clock.run(w.driver.placeOrder(request({ side, quantity })));
  return brokerOrderId;
}

async function drive(w: World, side: 'buy' | 'sell', quantity: number): Promise<void> {
  const brokerOrderId = await startDrive(w, side, quantity);
  await until(w, 'the driver order', async () => (await w.driver.orders()).some((o) => o.brokerOrderId === brokerOrderId && o.status === 'filled'));
}

/** Buy bracket with exits 3% either side of the market; returns the prices used. */
async function placeBuyBracket(w: World, id: string, overrides: Partial<OrderRequest> = {}): Promise<{ tp: number; sl: number }> {
  const price = await last(w);
  const tp = away(price, 3);
  const sl = away(price, -3);
  await w.clock.run(w.broker.placeOrder(request({ clientOrderId: id, orderClass: 'bracket', takeProfit: { limitPrice: tp }, stopLoss: { triggerPrice: sl }, ...overrides })));
  return { tp, sl };
}

async function close(w: World): Promise<void> {
  await w.broker.close();
  await w.driver.close();
}

describe('paper bracket orders', () => {
  it('advertises bracket and OCO', () => {
    const w = world();
    expect(w.broker.capabilities.orderClasses).toEqual(['bracket', 'oco']);
  });

  it('places both exits once the entry fills; the take-profit fills, the stop-loss is cancelled, the position is flat and cash exact', async () => {
    const w = world();
    const cashBefore = (await w.broker.funds()).available;
    const { tp, sl } = await placeBuyBracket(w, 'br1');
    await until(w, 'the entry', async () => (await byClientId(w.broker, 'br1')).status === 'filled');
    await w.clock.advance(1_000);
    const entry = (await w.broker.findOrderByClientId('br1'))!;
    expect(entry.status).toBe('filled');
    const tpLeg = await byClientId(w.broker, 'br1TP');
    const slLeg = await byClientId(w.broker, 'br1SL');
    expect(tpLeg).toMatchObject({ side: 'sell', type: 'limit', limitPrice: tp, quantity: 100, status: 'accepted', brokerStatus: 'OPEN' });
    expect(slLeg).toMatchObject({ side: 'sell', type: 'stop', quantity: 100, status: 'accepted', brokerStatus: 'TRIGGER PENDING' });
    // The exits sell the shares the entry bought (T+1, still owned): they are not refused.
    expect((await w.broker.holdings())[0]).toMatchObject({ symbol: 'SWING', t1Quantity: 100 });

    await drive(w, 'buy', 30_000);
    expect(await last(w)).toBeGreaterThan(tp);
    await until(w, 'the take-profit', async () => (await byClientId(w.broker, 'br1TP')).status === 'filled');
    const done = await byClientId(w.broker, 'br1SL');
    expect(done.status).toBe('cancelled');
    expect(done.filledQuantity).toBe(0);
    expect(done.statusMessage).toContain('one-cancels-other');
    expect(sl).toBeLessThan(tp);

    expect(await w.broker.holdings()).toEqual([]);
    expect(await w.broker.positions()).toEqual([]);
    const trades = await w.broker.trades();
    const bought = trades.filter((t) => t.side === 'buy');
    const sold = trades.filter((t) => t.side === 'sell');
    expect(bought.reduce((s, t) => s + t.quantity, 0)).toBe(100);
    expect(sold.reduce((s, t) => s + t.quantity, 0)).toBe(100);
    for (const t of sold) {
      expect(t.clientOrderId).toBe('br1TP');
      expect(t.price).toBeGreaterThanOrEqual(tp);
    }
    const cashAfter = cashBefore - bought.reduce((s, t) => s + t.quantity * t.price, 0) + sold.reduce((s, t) => s + t.quantity * t.price, 0);
    expect(await w.broker.funds()).toEqual({ currency: 'INR', available: cashAfter, used: 0 });
    await close(w);
  });

  it('triggers the stop-loss when the price falls and cancels the take-profit', async () => {
    const w = world();
    const { tp, sl } = await placeBuyBracket(w, 'br2');
    await until(w, 'the exits', async () => (await w.broker.orders()).some((o) => o.clientOrderId === 'br2SL'));
    await drive(w, 'sell', 30_000);
    expect(await last(w)).toBeLessThan(sl);
    await until(w, 'the stop-loss', async () => (await byClientId(w.broker, 'br2SL')).status === 'filled');
    const tpLeg = await byClientId(w.broker, 'br2TP');
    expect(tpLeg.status).toBe('cancelled');
    expect(tpLeg.filledQuantity).toBe(0);
    const sold = (await w.broker.trades()).filter((t) => t.side === 'sell');
    expect(sold.reduce((s, t) => s + t.quantity, 0)).toBe(100);
    expect(sold.every((t) => t.clientOrderId === 'br2SL' && t.price < tp)).toBe(true);
    expect(await w.broker.holdings()).toEqual([]);
    await close(w);
  });

  it('protects only what a partially filled entry bought', async () => {
    const w = world();
    // An IOC entry far larger than one step's liquidity fills in part; the rest is cancelled.
    await placeBuyBracket(w, 'br3', { quantity: 20_000, timeInForce: 'ioc' });
    const entry = (await w.broker.findOrderByClientId('br3'))!;
    expect(entry.status).toBe('cancelled');
    expect(entry.filledQuantity).toBeGreaterThan(0);
    expect(entry.filledQuantity).toBeLessThan(20_000);
    await w.clock.advance(1_000);
    const tpLeg = await byClientId(w.broker, 'br3TP');
    const slLeg = await byClientId(w.broker, 'br3SL');
    expect(tpLeg.quantity).toBe(entry.filledQuantity);
    expect(slLeg.quantity).toBe(entry.filledQuantity);
    expect(tpLeg.status).toBe('accepted');
    await close(w);
  });

  it('grows the exits as a working entry fills more', async () => {
    const w = world();
    const price = await last(w);
    // A marketable limit entry larger than a step's liquidity fills over several steps.
    await placeBuyBracket(w, 'br4', { type: 'limit', limitPrice: away(price, 1), quantity: 300 });
    const sizes: number[] = [];
    await until(w, 'exits for the whole entry', async () => {
      const book = await w.broker.orders();
      const entry = book.find((o) => o.clientOrderId === 'br4')!;
      const tpLeg = book.find((o) => o.clientOrderId === 'br4TP');
      const slLeg = book.find((o) => o.clientOrderId === 'br4SL');
      if (!tpLeg || !slLeg) return false;
      expect(tpLeg.quantity).toBe(slLeg.quantity);
      expect(tpLeg.quantity).toBeLessThanOrEqual(entry.filledQuantity);
      if (sizes.at(-1) !== tpLeg.quantity) sizes.push(tpLeg.quantity);
      return tpLeg.quantity === 300;
    });
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes[0]).toBeLessThan(300);
    await close(w);
  });

  it('rejects malformed brackets with a clear input error and creates nothing', async () => {
    const w = world();
    const price = await last(w);
    const cases: [Partial<OrderRequest>, RegExp][] = [
      [{ type: 'limit', limitPrice: price, takeProfit: { limitPrice: away(price, -1) }, stopLoss: { triggerPrice: away(price, -2) } }, /take-profit .* > the entry limit .* > stop-loss trigger/],
      [{ side: 'sell', takeProfit: { limitPrice: away(price, 2) }, stopLoss: { triggerPrice: away(price, -2) } }, /buying exits need take-profit .* below stop-loss trigger/],
      [{ takeProfit: { limitPrice: away(price, 2) + 2 }, stopLoss: { triggerPrice: away(price, -2) } }, /not on the tick of 5/],
      [{ takeProfit: { limitPrice: away(price, 2) } }, /needs both a take-profit limit price and a stop-loss trigger price/],
      [{ type: 'stop', triggerPrice: price, takeProfit: { limitPrice: away(price, 2) }, stopLoss: { triggerPrice: away(price, -2) } }, /trigger from the stop-loss leg/],
      [{ takeProfit: { limitPrice: away(price, 2) }, stopLoss: { triggerPrice: away(price, -2), limitPrice: away(price, -1) } }, /selling stop-loss limit .* may not be above its trigger/],
      [{ clientOrderId: 'x'.repeat(39), takeProfit: { limitPrice: away(price, 2) }, stopLoss: { triggerPrice: away(price, -2) } }, /at most 38 characters/],
    ];
    for (const [overrides, message] of cases) {
      const error = await w.clock.run(w.broker.placeOrder(request({ orderClass: 'bracket', ...overrides }))).catch((e: unknown) => e);
      expect(isBrokerError(error, 'input'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    const simpleWithLegs = await w.clock.run(w.broker.placeOrder(request({ takeProfit: { limitPrice: away(price, 2) } }))).catch((e: unknown) => e);
    expect(isBrokerError(simpleWithLegs, 'input')).toBe(true);
    expect(await w.broker.orders()).toEqual([]);
    await close(w);
  });

  it('cancelling an exit leg cancels its sibling', async () => {
    const w = world();
    await placeBuyBracket(w, 'br5');
    await until(w, 'the exits', async () => (await w.broker.orders()).some((o) => o.clientOrderId === 'br5SL'));
    const tpLeg = await byClientId(w.broker, 'br5TP');
    await w.clock.run(w.broker.cancelOrder(tpLeg.brokerOrderId));
    expect((await byClientId(w.broker, 'br5SL')).status).toBe('cancelled');
    const slLeg = await byClientId(w.broker, 'br5SL');
    const modify = await w.clock.run(w.broker.modifyOrder(slLeg.brokerOrderId, { triggerPrice: 9_000 })).catch((e: unknown) => e);
    expect(isBrokerError(modify, 'rejected')).toBe(true);
    await close(w);
  });
});

describe('paper OCO orders', () => {
  it('reserves the shares once, and a partial fill of one leg reduces the other; the legs never fill more than the quantity', async () => {
    const w = world({ holdings: 1_000 });
    const price = await last(w);
    const tp = away(price, 3);
    const sl = away(price, -3);
    const { brokerOrderId } = await w.clock.run(
      w.broker.placeOrder(request({ clientOrderId: 'oco1', side: 'sell', type: 'limit', quantity: 600, orderClass: 'oco', takeProfit: { limitPrice: tp }, stopLoss: { triggerPrice: sl } })),
    );
    const parent = (await w.broker.findOrderByClientId('oco1'))!;
    expect(parent.brokerOrderId).toBe(brokerOrderId);
    expect(parent).toMatchObject({ side: 'sell', type: 'limit', limitPrice: tp, quantity: 600, status: 'accepted' });
    expect(await byClientId(w.broker, 'oco1SL')).toMatchObject({ side: 'sell', type: 'stop', quantity: 600, status: 'accepted' });

    // 600 of the 1,000 shares are reserved once: 400 more can be sold, not 401.
    const rest = await w.clock.run(w.broker.placeOrder(request({ side: 'sell', type: 'limit', limitPrice: away(price, 30), quantity: 400 })));
    expect((await w.broker.orders()).find((o) => o.brokerOrderId === rest.brokerOrderId)!.status).toBe('accepted');
    const extra = await w.clock.run(w.broker.placeOrder(request({ side: 'sell', type: 'limit', limitPrice: away(price, 30), quantity: 1 })));
    const refused = (await w.broker.orders()).find((o) => o.brokerOrderId === extra.brokerOrderId)!;
    expect(refused.status).toBe('rejected');
    expect(refused.statusMessage).toContain('insufficient holdings');

    // The legs are checked at every second while the driver pushes the price up through the take-profit.
    await startDrive(w, 'buy', 30_000);
    let sawPartial = false;
    await until(w, 'the take-profit', async () => {
      const tpLeg = await byClientId(w.broker, 'oco1');
      const slLeg = await byClientId(w.broker, 'oco1SL');
      expect(tpLeg.filledQuantity + slLeg.filledQuantity).toBeLessThanOrEqual(600);
      if (tpLeg.status === 'partially_filled') {
        sawPartial = true;
        expect(slLeg.status).toBe('accepted');
        expect(slLeg.quantity - slLeg.filledQuantity).toBe(600 - tpLeg.filledQuantity);
      }
      return tpLeg.status === 'filled';
    });
    expect(sawPartial).toBe(true);
    expect((await byClientId(w.broker, 'oco1SL')).status).toBe('cancelled');
    expect((await w.broker.holdings())[0]).toMatchObject({ symbol: 'SWING', quantity: 400 });
    await close(w);
  });

  it('blocks the cash of a buying OCO once, through its stop-loss leg', async () => {
    const w = world();
    const price = await last(w);
    const tp = away(price, -3);
    const sl = away(price, 3);
    // 60,000 × ~₹100 blocked once fits the ₹1 crore account; blocked for both legs it would not.
    const { brokerOrderId } = await w.clock.run(
      w.broker.placeOrder(request({ clientOrderId: 'oco3', side: 'buy', type: 'limit', quantity: 60_000, orderClass: 'oco', takeProfit: { limitPrice: tp }, stopLoss: { triggerPrice: sl } })),
    );
    expect((await w.broker.orders()).find((o) => o.brokerOrderId === brokerOrderId)!.status).toBe('accepted');
    const [q] = await w.broker.quotes([{ symbol: 'SWING', exchange: 'NSE' }]);
    const funds = await w.broker.funds();
    expect(funds.used).toBe(Math.ceil(60_000 * Math.max(q!.ask, sl) * 1.005));
    expect(funds.available + funds.used).toBe(1_000_000_000);
    await close(w);
  });

  it('rejects an OCO whose legs do not straddle the market, or that is not a DAY limit', async () => {
    const w = world({ holdings: 100 });
    const price = await last(w);
    const bad: [Partial<OrderRequest>, RegExp][] = [
      [{ takeProfit: { limitPrice: away(price, -1) }, stopLoss: { triggerPrice: away(price, -2) } }, /selling exits need take-profit .* > the market price .* > stop-loss trigger/],
      [{ type: 'market', takeProfit: { limitPrice: away(price, 2) }, stopLoss: { triggerPrice: away(price, -2) } }, /must have type "limit"/],
      [{ timeInForce: 'ioc', takeProfit: { limitPrice: away(price, 2) }, stopLoss: { triggerPrice: away(price, -2) } }, /time in force must be "day"/],
    ];
    for (const [overrides, message] of bad) {
      const error = await w.clock.run(w.broker.placeOrder(request({ side: 'sell', type: 'limit', orderClass: 'oco', ...overrides }))).catch((e: unknown) => e);
      expect(isBrokerError(error, 'input'), String(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    }
    // Selling more than is owned is a broker rejection of both legs, not an input error.
    const { brokerOrderId } = await w.clock.run(
      w.broker.placeOrder(request({ clientOrderId: 'oco2', side: 'sell', type: 'limit', quantity: 101, orderClass: 'oco', takeProfit: { limitPrice: away(price, 2) }, stopLoss: { triggerPrice: away(price, -2) } })),
    );
    const book = await w.broker.orders();
    expect(book.find((o) => o.brokerOrderId === brokerOrderId)!.status).toBe('rejected');
    expect((await byClientId(w.broker, 'oco2SL')).status).toBe('rejected');
    await close(w);
  });

  it('keeps working in a new broker instance after a restart', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const path = join(dir, 'ptexec.db');
    const clock = new VirtualClock(MONDAY_MORNING);
    // A slow first instance: the entry fills on arrival and the process stops before its exits are due.
    const first = world({ store: openStore(path), clock, latencyMs: 5_000 });
    const price = await last(first);
    const tp = away(price, 3);
    const sl = away(price, -3);
    const placing = first.broker
      .placeOrder(request({ clientOrderId: 'br9', quantity: 50, orderClass: 'bracket', takeProfit: { limitPrice: tp }, stopLoss: { triggerPrice: sl } }))
      .catch((e: unknown) => e);
    await clock.advance(5_001);
    expect((await first.broker.findOrderByClientId('br9'))!.status).toBe('filled');
    expect(await first.broker.findOrderByClientId('br9TP')).toBeUndefined();
    await close(first);
    expect(isBrokerError(await placing, 'unavailable')).toBe(true);
    first.store.close();

    const second = world({ store: openStore(path), clock, reset: false });
    await second.broker.connect();
    await clock.advance(6_000);
    expect(await byClientId(second.broker, 'br9TP')).toMatchObject({ limitPrice: tp, quantity: 50, status: 'accepted' });
    expect(await byClientId(second.broker, 'br9SL')).toMatchObject({ quantity: 50, status: 'accepted' });
    await close(second);
    second.store.close();

    // A third instance, with the exits resting, sees the stop-loss fire and cancels the take-profit.
    const third = world({ store: openStore(path), clock, reset: false });
    await third.broker.connect();
    await drive(third, 'sell', 30_000);
    expect(await last(third)).toBeLessThan(sl);
    await until(third, 'the stop-loss', async () => (await byClientId(third.broker, 'br9SL')).status === 'filled');
    expect((await byClientId(third.broker, 'br9TP')).status).toBe('cancelled');
    expect(await third.broker.holdings()).toEqual([]);
    await close(third);
    third.store.close();
  });
});

describe('order class rules (pure)', () => {
  const base: OrderRequest = { clientOrderId: 'r', symbol: 'X', exchange: 'NSE', side: 'buy', type: 'limit', limitPrice: 1_000, quantity: 1, timeInForce: 'day', product: 'delivery' };

  it('accepts well-formed brackets and OCOs on both sides', () => {
    expect(orderClassProblem({ ...base, orderClass: 'bracket', takeProfit: { limitPrice: 1_100 }, stopLoss: { triggerPrice: 900, limitPrice: 895 } }, 5)).toBeUndefined();
    expect(orderClassProblem({ ...base, side: 'sell', orderClass: 'bracket', takeProfit: { limitPrice: 900 }, stopLoss: { triggerPrice: 1_100, limitPrice: 1_105 } }, 5)).toBeUndefined();
    expect(orderClassProblem({ ...base, type: 'market', limitPrice: undefined, orderClass: 'bracket', takeProfit: { limitPrice: 1_100 }, stopLoss: { triggerPrice: 900 } }, 5, 1_000)).toBeUndefined();
    expect(orderClassProblem({ ...base, limitPrice: undefined, side: 'sell', orderClass: 'oco', takeProfit: { limitPrice: 1_100 }, stopLoss: { triggerPrice: 900 } }, 5, 1_000)).toBeUndefined();
    expect(orderClassProblem({ ...base, limitPrice: undefined, side: 'buy', orderClass: 'oco', takeProfit: { limitPrice: 900 }, stopLoss: { triggerPrice: 1_100 } }, 5, 1_000)).toBeUndefined();
    expect(orderClassProblem(base, 5)).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(orderClassProblem({ ...base, orderClass: 'bracket', takeProfit: { limitPrice: 1_100 }, stopLoss: { triggerPrice: 900, limitPrice: 905 } }, 5)).toMatch(/may not be above its trigger/);
    expect(orderClassProblem({ ...base, side: 'sell', orderClass: 'bracket', takeProfit: { limitPrice: 900 }, stopLoss: { triggerPrice: 1_100, limitPrice: 1_095 } }, 5)).toMatch(/may not be below its trigger/);
    expect(orderClassProblem({ ...base, type: 'market', limitPrice: undefined, orderClass: 'bracket', takeProfit: { limitPrice: 1_100 }, stopLoss: { triggerPrice: 900 } }, 5, 1_150)).toMatch(/> the market price 1150 >/);
    expect(orderClassProblem({ ...base, side: 'sell', orderClass: 'oco', limitPrice: 1_000, takeProfit: { limitPrice: 1_100 }, stopLoss: { triggerPrice: 900 } }, 5, 1_000)).toMatch(/must equal its take-profit/);
    expect(orderClassProblem({ ...base, orderClass: 'bracket', takeProfit: { limitPrice: 0 }, stopLoss: { triggerPrice: 900 } }, 5)).toMatch(/positive integer/);
    expect(orderClassProblem({ ...base, type: 'stop_limit', orderClass: 'bracket', takeProfit: { limitPrice: 1_100 }, stopLoss: { triggerPrice: 900 } }, 5)).toMatch(/market or limit/);
  });

  it('names the exit legs after the parent', () => {
    expect(exitLegClientIds('R1L2')).toEqual({ takeProfit: 'R1L2TP', stopLoss: 'R1L2SL' });
  });
});
