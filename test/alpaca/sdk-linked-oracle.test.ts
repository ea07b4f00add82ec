import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlpacaBroker } from '../../src/brokers/alpaca/alpaca-broker.js';
import type { OrderRequest } from '../../src/domain/order.js';
import { WallClock } from '../../src/engine/clock/index.js';
import { type CaptureServer, startCaptureServer } from '../conformance/capture-server.js';
import { emulatorSettings } from './harness.js';

/**
 * `@alpacahq/alpaca-trade-api`'s own order builders (`bracket`, `oco`, `trailingStop`) are the
 * reference for the bodies ptexec sends for Alpaca's linked orders and trailing stops: both send
 * to the same capture server, and the requests must say the same thing.
 */
interface OrdersApi {
  bracket(input: object): Promise<unknown>;
  oco(input: object): Promise<unknown>;
  trailingStop(input: object): Promise<unknown>;
}

const KEY_ID = 'PKORACLE000000000001';
const SECRET = 'oraclesecret00000000000000000000000000001';
const CANNED = { id: 'o-1', client_order_id: 'x', symbol: 'MSFT', side: 'buy', type: 'limit', order_type: 'limit', time_in_force: 'day', qty: '4', filled_qty: '0', status: 'new', order_class: 'bracket', legs: [], created_at: '2026-12-03T14:30:00Z', updated_at: '2026-12-03T14:30:00Z' };

let capture: CaptureServer;
let sdk: OrdersApi;
let broker: AlpacaBroker;
beforeAll(async () => {
  capture = await startCaptureServer([{ method: 'POST', path: /^\/v2\/orders$/, body: CANNED }]);
  const { Alpaca } = createRequire(import.meta.url)('@alpacahq/alpaca-trade-api') as { Alpaca: new (o: object) => { trading: { orders: OrdersApi } } };
  const fetchApi = (url: string, init: RequestInit) => fetch(url.replace(/^https:\/\/[^/]+/, capture.url), init);
  sdk = new Alpaca({ keyId: KEY_ID, secret: SECRET, paper: true, retry: false, rateLimit: false, fetchApi, userAgent: '' }).trading.orders;
  broker = new AlpacaBroker({ settings: emulatorSettings({ url: capture.url }), keyId: KEY_ID, secretKey: SECRET, clock: new WallClock(), rateLimit: false, readAttempts: 1 });
});
afterAll(async () => {
  await broker.close();
  await capture.close();
});

/** The body each side sent for one placement, and the key headers. */
async function both(ours: OrderRequest, theirs: (api: OrdersApi) => Promise<unknown>): Promise<{ ours: unknown; sdk: unknown }> {
  capture.clear();
  await theirs(sdk).catch(() => undefined);
  await broker.placeOrder(ours).catch(() => undefined);
  const posts = capture.requests.filter((r) => r.method === 'POST');
  expect(posts).toHaveLength(2);
  for (const p of posts) expect([p.headers['apca-api-key-id'], p.headers['apca-api-secret-key']]).toEqual([KEY_ID, SECRET]);
  return { sdk: JSON.parse(posts[0]!.body), ours: JSON.parse(posts[1]!.body) };
}

const base = { symbol: 'MSFT', exchange: 'NASDAQ', timeInForce: 'day', product: 'delivery' } as const;

describe('Alpaca linked orders and trailing stops: our requests against @alpacahq/alpaca-trade-api', () => {
  it('sends a limit-entry bracket with a stop-limit stop-loss as the SDK does', async () => {
    const { ours, sdk: theirs } = await both(
      { ...base, clientOrderId: 'brk1', side: 'buy', type: 'limit', quantity: 4, limitPrice: 50_003, orderClass: 'bracket', takeProfit: { limitPrice: 51_000 }, stopLoss: { triggerPrice: 49_000, limitPrice: 48_900 } },
      (api) => api.bracket({ symbol: 'MSFT', side: 'buy', qty: '4', limitPrice: '500.03', takeProfit: { limitPrice: '510.00' }, stopLoss: { stopPrice: '490.00', limitPrice: '489.00' }, timeInForce: 'day', clientOrderId: 'brk1' }),
    );
    expect(ours).toEqual(theirs);
    expect(ours).toMatchObject({ order_class: 'bracket', take_profit: { limit_price: '510.00' }, stop_loss: { stop_price: '490.00', limit_price: '489.00' } });
  });

  it('sends a market-entry bracket as the SDK does', async () => {
    const { ours, sdk: theirs } = await both(
      { ...base, clientOrderId: 'brk2', side: 'buy', type: 'market', quantity: 4, orderClass: 'bracket', takeProfit: { limitPrice: 52_000 }, stopLoss: { triggerPrice: 48_000 } },
      (api) => api.bracket({ symbol: 'MSFT', side: 'buy', qty: '4', takeProfit: { limitPrice: '520.00' }, stopLoss: { stopPrice: '480.00' }, timeInForce: 'day', clientOrderId: 'brk2' }),
    );
    expect(ours).toEqual(theirs);
  });

  it('sends an OCO exit as the SDK does: a limit order with both legs and no limit price of its own', async () => {
    const { ours, sdk: theirs } = await both(
      { ...base, clientOrderId: 'oco1', side: 'sell', type: 'limit', quantity: 5, limitPrice: 52_000, orderClass: 'oco', takeProfit: { limitPrice: 52_000 }, stopLoss: { triggerPrice: 48_000 } },
      (api) => api.oco({ symbol: 'MSFT', side: 'sell', qty: '5', takeProfit: { limitPrice: '520.00' }, stopLoss: { stopPrice: '480.00' }, timeInForce: 'day', clientOrderId: 'oco1' }),
    );
    expect(ours).toEqual(theirs);
  });

  it('sends trailing stops by percent and by dollar offset as the SDK does', async () => {
    const percent = await both({ ...base, clientOrderId: 'trl1', side: 'sell', type: 'trailing_stop', quantity: 5, trail: { percent: 2.5 } }, (api) =>
      api.trailingStop({ symbol: 'MSFT', side: 'sell', qty: '5', trailPercent: '2.5', timeInForce: 'day', clientOrderId: 'trl1' }),
    );
    expect(percent.ours).toEqual(percent.sdk);
    const price = await both({ ...base, clientOrderId: 'trl2', side: 'sell', type: 'trailing_stop', quantity: 5, trail: { price: 150 } }, (api) =>
      api.trailingStop({ symbol: 'MSFT', side: 'sell', qty: '5', trailPrice: '1.50', timeInForce: 'day', clientOrderId: 'trl2' }),
    );
    expect(price.ours).toEqual(price.sdk);
  });
});
