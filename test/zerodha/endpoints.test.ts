import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ownedInstruments } from '../../src/domain/ownership.js';
import { type Harness, order, startHarness, waitFor } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lastRequest = (method: string, path: RegExp) => {
  const r = h!.emu.state.requests.filter((x) => x.method === method && path.test(x.path)).at(-1);
  if (!r) throw new Error(`no ${method} ${path}`);
  return r;
};

describe('Zerodha adapter against the Kite emulator: reads', () => {
  it('connects, reading the user id from the profile, with the Kite headers', async () => {
    h = await startHarness();
    await h.broker.connect();
    expect(h.broker.account).toBe('ZX1234');
    const r = lastRequest('GET', /^\/user\/profile$/);
    expect(r.headers['x-kite-version']).toBe('3');
    expect(r.headers.authorization).toBe(`token ${h.emu.apiKey}:emuaccesstoken0001`);
  });

  it('reads holdings with their T1 quantity, positions and funds in minor units', async () => {
    h = await startHarness();
    expect(await h.broker.holdings()).toEqual([{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000, lastPrice: 150_000 }]);
    expect(await h.broker.funds()).toEqual({ currency: 'INR', available: 100_000_000, used: 0 });
    expect(await h.broker.positions()).toEqual([]);
    await h.broker.placeOrder(order({ quantity: 4, product: 'intraday' }));
    await waitFor(async () => (await h!.broker.orders())[0]?.status === 'filled', 'the order to fill');
    expect(await h.broker.positions()).toEqual([{ symbol: 'INFY', exchange: 'NSE', quantity: 4, averagePrice: 150_010, product: 'intraday' }]);
  });

  it('a delivery trade is a position on its day, not a holding; the next day the holdings show it, counted once', async () => {
    h = await startHarness(); // holds INFY 10 settled + 5 T1
    const raw = async (path: string) => {
      const res = await fetch(`${h!.emu.url}${path}`, { headers: { 'X-Kite-Version': '3', Authorization: `token ${h!.emu.apiKey}:emuaccesstoken0001` } });
      return ((await res.json()) as { data: unknown }).data;
    };
    const owned = async () => {
      const facts = { holdings: await h!.broker.holdings(), positions: await h!.broker.positions(), holdingsIncludeTodaysTrades: h!.broker.capabilities.holdingsIncludeTodaysTrades };
      return Object.fromEntries([...ownedInstruments(facts).values()].map((o) => [o.symbol, o.quantity]));
    };
    await h.broker.placeOrder(order({ clientOrderId: 'BUYTCS', symbol: 'TCS', quantity: 3, limitPrice: 350_020 }));
    await h.broker.placeOrder(order({ clientOrderId: 'SELLINFY', side: 'sell', quantity: 6, limitPrice: 150_000 }));
    await waitFor(async () => (await h!.broker.orders()).filter((o) => o.status === 'filled').length === 2, 'both orders to fill');

    expect(await h.broker.holdings()).toEqual([{ symbol: 'INFY', exchange: 'NSE', quantity: 10, t1Quantity: 5, averagePrice: 140_000, lastPrice: 150_000 }]);
    expect(await raw('/portfolio/holdings')).toMatchObject([{ tradingsymbol: 'INFY', quantity: 10, t1_quantity: 5, used_quantity: 6 }]);
    expect(await h.broker.positions()).toEqual([
      { symbol: 'TCS', exchange: 'NSE', quantity: 3, averagePrice: 350_020, product: 'delivery' },
      { symbol: 'INFY', exchange: 'NSE', quantity: -6, averagePrice: 150_000, product: 'delivery' },
    ]);
    expect(await owned()).toEqual({ INFY: 9, TCS: 3 });

    // Even a Kite that kept yesterday's CNC rows in `net` would not make them count twice.
    h.emu.state.exchange.carryDeliveryInNet = true;
    h.emu.state.exchange.nextDay();
    expect(await h.broker.holdings()).toEqual([
      { symbol: 'INFY', exchange: 'NSE', quantity: 9, t1Quantity: 0, averagePrice: 140_000, lastPrice: 150_000 },
      { symbol: 'TCS', exchange: 'NSE', quantity: 0, t1Quantity: 3, averagePrice: 350_020, lastPrice: 350_010 },
    ]);
    expect(await raw('/portfolio/positions')).toMatchObject({ net: [{ tradingsymbol: 'TCS', quantity: 3, overnight_quantity: 3 }, { tradingsymbol: 'INFY', quantity: -6, overnight_quantity: -6 }], day: [] });
    expect(await h.broker.positions()).toEqual([]);
    expect(await owned()).toEqual({ INFY: 9, TCS: 3 });
  });

  it('reads quotes in chunks, within the 1 request/s quote limit', async () => {
    h = await startHarness({ quoteMaxInstruments: 2 }, { rateLimit: true, settings: { quote_batch: 2 } });
    const quotes = await h.broker.quotes([
      { symbol: 'INFY', exchange: 'NSE' },
      { symbol: 'TCS', exchange: 'NSE' },
      { symbol: 'ITC', exchange: 'NSE' },
      { symbol: 'NOPE', exchange: 'NSE' },
    ]);
    expect(quotes.map((q) => q.symbol)).toEqual(['INFY', 'TCS', 'ITC']);
    expect(quotes[0]).toMatchObject({ bid: 150_000, ask: 150_010, last: 150_000, close: 149_500, volume: 4_000_000 });
    const calls = h.emu.state.requests.filter((r) => r.path === '/quote');
    expect(calls.map((c) => c.query.getAll('i'))).toEqual([['NSE:INFY', 'NSE:TCS'], ['NSE:ITC', 'NSE:NOPE']]);
    expect(h.emu.state.rateLimited).toBe(0);
  });

  it('reads the instrument master once a day: equities only, tick sizes in minor units, cached on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-instruments-'));
    h = await startHarness({}, { instrumentCacheDir: dir });
    const found = await h.broker.instruments([{ symbol: 'INFY' }, { symbol: 'INFY', exchange: 'BSE' }, { symbol: 'ITC', exchange: 'NSE' }, { symbol: 'NIFTY26JANFUT' }, { symbol: 'NIFTY 50' }]);
    expect(found).toEqual([
      { symbol: 'INFY', exchange: 'NSE', name: 'INFOSYS', currency: 'INR', tickSize: 10, lotSize: 1, brokerToken: '408065' },
      { symbol: 'INFY', exchange: 'BSE', name: 'INFOSYS', currency: 'INR', tickSize: 5, lotSize: 1, brokerToken: '128053508' },
      { symbol: 'ITC', exchange: 'NSE', name: 'ITC', currency: 'INR', tickSize: 5, lotSize: 1, brokerToken: '424961' },
    ]);
    await h.broker.instruments([{ symbol: 'TCS' }]);
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^zerodha-instruments-\d{4}-\d{2}-\d{2}\.csv$/)]);
    // A second adapter on the same day reads the file instead of downloading again.
    const second = await startHarness({}, { instrumentCacheDir: dir });
    expect(await second.broker.instruments([{ symbol: 'SBIN' }])).toHaveLength(1);
    expect(second.emu.state.requests.filter((r) => r.path === '/instruments')).toHaveLength(0);
    await second.close();
    expect(h.emu.state.requests.filter((r) => r.path === '/instruments')).toHaveLength(1);
  });
});

describe('Zerodha adapter against the Kite emulator: orders', () => {
  it('places a regular LIMIT order as a form with the tag, and it fills partially then completely', async () => {
    h = await startHarness();
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'RUN7L2C1', quantity: 10 }));
    const r = lastRequest('POST', /^\/orders\/regular$/);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({
      tradingsymbol: 'INFY',
      exchange: 'NSE',
      transaction_type: 'BUY',
      order_type: 'LIMIT',
      quantity: '10',
      product: 'CNC',
      validity: 'DAY',
      price: '1500.10',
      tag: 'RUN7L2C1',
    });
    const done = await waitFor(async () => (await h!.broker.orders()).find((o) => o.brokerOrderId === brokerOrderId && o.status === 'filled'), 'the fill');
    expect(done).toMatchObject({ clientOrderId: 'RUN7L2C1', filledQuantity: 10, averagePrice: 150_010, brokerStatus: 'COMPLETE' });
    const trades = await h.broker.trades(brokerOrderId);
    expect(trades.map((t) => [t.quantity, t.price, t.clientOrderId])).toEqual([
      [5, 150_010, 'RUN7L2C1'],
      [5, 150_010, 'RUN7L2C1'],
    ]);
    expect(new Set(trades.map((t) => t.tradeId)).size).toBe(2);
    expect(await h.broker.trades()).toEqual(trades);
    const history = await h.broker.orderHistory(brokerOrderId);
    expect(history.map((o) => o.brokerStatus)).toEqual(['PUT ORDER REQ RECEIVED', 'VALIDATION PENDING', 'OPEN PENDING', 'OPEN', 'COMPLETE']);
    expect(await h.broker.findOrderByClientId('RUN7L2C1')).toMatchObject({ brokerOrderId, status: 'filled' });
    expect(await h.broker.findOrderByClientId('NOSUCHTAG')).toBeUndefined();
  });

  it('adds market protection to MARKET and SL-M orders (automatic unless configured)', async () => {
    h = await startHarness({}, { settings: { market_protection: 3 } });
    await h.broker.placeOrder(order({ clientOrderId: 'M1', type: 'market', limitPrice: undefined, side: 'sell', quantity: 2 }));
    expect(new URLSearchParams(lastRequest('POST', /^\/orders\/regular$/).body).get('market_protection')).toBe('3');
    await h.broker.placeOrder(order({ clientOrderId: 'M2', type: 'stop', limitPrice: undefined, triggerPrice: 149_000, side: 'sell', quantity: 1 }));
    const slm = new URLSearchParams(lastRequest('POST', /^\/orders\/regular$/).body);
    expect([slm.get('order_type'), slm.get('trigger_price'), slm.get('market_protection'), slm.get('price')]).toEqual(['SL-M', '1490.00', '3', null]);
    await h.close();
    h = await startHarness();
    await h.broker.placeOrder(order({ clientOrderId: 'M3', type: 'market', limitPrice: undefined, quantity: 1 }));
    expect(new URLSearchParams(lastRequest('POST', /^\/orders\/regular$/).body).get('market_protection')).toBe('-1');
  });

  it('places SL, IOC, intraday, after-market and iceberg orders with the right variety and fields', async () => {
    h = await startHarness({ matchIntervalMs: 0 });
    await h.broker.placeOrder(order({ clientOrderId: 'S1', type: 'stop_limit', limitPrice: 151_000, triggerPrice: 150_500 }));
    let f = new URLSearchParams(lastRequest('POST', /^\/orders\/regular$/).body);
    expect([f.get('order_type'), f.get('price'), f.get('trigger_price')]).toEqual(['SL', '1510.00', '1505.00']);
    await h.broker.placeOrder(order({ clientOrderId: 'S2', timeInForce: 'ioc', product: 'intraday' }));
    f = new URLSearchParams(lastRequest('POST', /^\/orders\/regular$/).body);
    expect([f.get('validity'), f.get('product')]).toEqual(['IOC', 'MIS']);
    const amo = await h.broker.placeOrder(order({ clientOrderId: 'S3', afterMarket: true }));
    expect(lastRequest('POST', /^\/orders\/amo$/)).toBeDefined();
    const ice = await h.broker.placeOrder(order({ clientOrderId: 'S4', quantity: 100, displayQuantity: 25 }));
    f = new URLSearchParams(lastRequest('POST', /^\/orders\/iceberg$/).body);
    expect([f.get('iceberg_legs'), f.get('iceberg_quantity')]).toEqual(['4', '25']);
    await waitFor(async () => (await h!.broker.orderHistory(amo.brokerOrderId)).at(-1)?.brokerStatus === 'AMO REQ RECEIVED', 'the AMO to be queued');
    await waitFor(async () => (await h!.broker.orderHistory(ice.brokerOrderId)).at(-1)?.brokerStatus === 'OPEN', 'the iceberg to open');
    // Cancelling and modifying find the variety by themselves.
    await h.broker.cancelOrder(amo.brokerOrderId);
    expect(lastRequest('DELETE', /^\/orders\/amo\//)).toBeDefined();
    await h.broker.modifyOrder(ice.brokerOrderId, { limitPrice: 149_500 });
    expect(new URLSearchParams(lastRequest('PUT', /^\/orders\/iceberg\//).body).get('price')).toBe('1495.00');
  });

  it('refuses what Kite would refuse before sending anything', async () => {
    h = await startHarness();
    const before = h.emu.state.requests.length;
    for (const bad of [
      order({ clientOrderId: 'has-dash' }),
      order({ clientOrderId: 'A'.repeat(21) }),
      order({ type: 'limit', limitPrice: undefined }),
      order({ type: 'stop', limitPrice: undefined, triggerPrice: undefined }),
      order({ quantity: 0 }),
      order({ quantity: 1000, displayQuantity: 10 }),
      order({ afterMarket: true, displayQuantity: 5 }),
    ]) {
      await expect(h.broker.placeOrder(bad)).rejects.toMatchObject({ kind: 'input', broker: 'zerodha' });
    }
    expect(h.emu.state.requests.length).toBe(before);
  });

  it('modifies and cancels a resting order through the transient statuses', async () => {
    h = await startHarness({ matchIntervalMs: 0 });
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'MOD1', limitPrice: 140_000 }));
    await waitFor(async () => (await h!.broker.orders())[0]?.brokerStatus === 'OPEN', 'the order to open');
    await h.broker.modifyOrder(brokerOrderId, { quantity: 12, limitPrice: 141_000 });
    const put = lastRequest('PUT', /^\/orders\/regular\/\d+$/);
    expect(Object.fromEntries(new URLSearchParams(put.body))).toEqual({ quantity: '12', price: '1410.00' });
    expect(await h.broker.findOrderByClientId('MOD1')).toMatchObject({ quantity: 12, limitPrice: 141_000, status: 'accepted' });
    await h.broker.cancelOrder(brokerOrderId);
    const history = (await h.broker.orderHistory(brokerOrderId)).map((o) => `${o.brokerStatus}:${o.status}`);
    expect(history.slice(4)).toEqual([
      'MODIFY VALIDATION PENDING:pending_replace',
      'MODIFY PENDING:pending_replace',
      'MODIFIED:accepted',
      'OPEN:accepted',
      'CANCEL PENDING:pending_cancel',
      'CANCELLED:cancelled',
    ]);
    // Cancelling again: Kite's OrderException.
    await expect(h.broker.cancelOrder(brokerOrderId)).rejects.toMatchObject({ kind: 'rejected', details: { status: 500, code: 'OrderException' } });
    await expect(h.broker.orderHistory('999')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('reports exchange-side rejections (insufficient funds) as a REJECTED order, not an error', async () => {
    h = await startHarness({ cash: 1_000 });
    const { brokerOrderId } = await h.broker.placeOrder(order({ clientOrderId: 'POOR1' }));
    const rejected = await waitFor(async () => (await h!.broker.orders()).find((o) => o.brokerOrderId === brokerOrderId && o.status === 'rejected'), 'the rejection');
    expect(rejected.statusMessage).toMatch(/Insufficient funds/);
  });
});
