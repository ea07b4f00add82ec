import { createRequire } from 'node:module';
import { AlpacaBroker } from '../../../src/brokers/alpaca/alpaca-broker.js';
import { formatMinor } from '../../../src/domain/money.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { emulatorSettings } from '../../alpaca/harness.js';
import { US_KIT_MARKET } from '../kit-market.js';
import { kitIntents } from '../cases/sdk-oracle.js';
import { performWithBroker } from '../sdk-intents.js';
import type { SdkIntent, SdkOracle } from '../subject.js';

const KEY_ID = 'PKORACLE000000000001';
const SECRET = 'oraclesecret00000000000000000000000000001';
const ORDER_ID = '2611220000001';
const CANNED_ORDER = { id: ORDER_ID, client_order_id: 'KITSDK1', symbol: 'AAPL', side: 'buy', type: 'limit', order_type: 'limit', time_in_force: 'day', qty: '3', filled_qty: '0', filled_avg_price: null, limit_price: '1500.1', stop_price: null, status: 'new', created_at: '2026-12-03T14:30:00Z', updated_at: '2026-12-03T14:30:00Z', submitted_at: '2026-12-03T14:30:00Z', replaced_by: null, replaces: null, order_class: '', asset_class: 'us_equity', extended_hours: false };
const ASSET = { id: 'a1', class: 'us_equity', exchange: 'NASDAQ', symbol: 'AAPL', name: 'Apple Inc.', status: 'active', tradable: true };
const dollars = (minor: number | undefined) => (minor === undefined ? undefined : formatMinor(minor));

interface Sdk {
  Alpaca: new (options: object) => { trading: TradingApis };
}
interface TradingApis {
  orders: {
    postOrder(p: object): Promise<unknown>;
    patchOrderByOrderId(p: object): Promise<unknown>;
    deleteOrderByOrderID(p: object): Promise<unknown>;
    getAllOrders(p: object): Promise<unknown>;
  };
  positions: { getAllOpenPositions(): Promise<unknown> };
  account: { getAccount(): Promise<unknown> };
}

/**
 * `@alpacahq/alpaca-trade-api` drives the same intents; its requests are the reference for ours.
 * The SDK is kept offline: its `fetchApi` sends every request to the capture server instead of
 * Alpaca's host, and its own retries and rate limiter are off.
 */
export const alpacaSdkOracle: SdkOracle = {
  sdk: '@alpacahq/alpaca-trade-api@4.0.2',
  async perform(intent: SdkIntent, baseUrl: string) {
    const { Alpaca } = createRequire(import.meta.url)('@alpacahq/alpaca-trade-api') as Sdk;
    const fetchApi = (url: string, init: RequestInit) => fetch(url.replace(/^https:\/\/[^/]+/, baseUrl), init);
    const { trading } = new Alpaca({ keyId: KEY_ID, secret: SECRET, paper: true, retry: false, rateLimit: false, fetchApi, userAgent: '' });
    // The SDK's answer parsing is not under test: only the request it sends.
    const call = async (): Promise<unknown> => {
      switch (intent.kind) {
        case 'place':
          return trading.orders.postOrder({ postOrderRequest: { symbol: intent.symbol, qty: String(intent.quantity), side: intent.side, type: intent.type, timeInForce: 'day', limitPrice: dollars(intent.limitPrice), stopPrice: dollars(intent.triggerPrice), clientOrderId: intent.clientOrderId } });
        case 'modify':
          return trading.orders.patchOrderByOrderId({ orderId: intent.brokerOrderId, patchOrderRequest: { qty: intent.quantity === undefined ? undefined : String(intent.quantity), limitPrice: dollars(intent.limitPrice) } });
        case 'cancel':
          return trading.orders.deleteOrderByOrderID({ orderId: intent.brokerOrderId });
        case 'orders':
          // Nested: a bracket's or OCO's legs come under their parent (how ptexec finds them after a restart).
          return trading.orders.getAllOrders({ status: 'all', limit: 500, nested: true });
        case 'holdings':
          return trading.positions.getAllOpenPositions();
        case 'funds':
          return trading.account.getAccount();
        case 'positions':
          throw new Error('not compared: Alpaca has no day positions apart from its positions (holdings)');
      }
    };
    await call().catch(() => undefined);
  },
  async performWithAdapter(intent: SdkIntent, baseUrl: string) {
    const broker = new AlpacaBroker({ settings: emulatorSettings({ url: baseUrl }), keyId: KEY_ID, secretKey: SECRET, clock: new WallClock(), rateLimit: false, readAttempts: 1 });
    // The capture server's answers are canned: only the request matters here.
    await performWithBroker(broker, intent).catch(() => undefined);
  },
  headers: ['apca-api-key-id', 'apca-api-secret-key'],
  // The kit's intents, but `positions`: Alpaca's positions are what ptexec reads as holdings (the `holdings` intent).
  intents: kitIntents(US_KIT_MARKET).filter((i) => i.kind !== 'positions').map((i) => (i.kind === 'modify' || i.kind === 'cancel' ? { ...i, brokerOrderId: ORDER_ID } : i)),
  cannedRoutes: [
    { method: 'GET', path: /^\/v2\/assets\/[A-Z]+$/, body: ASSET },
    { method: 'POST', path: /^\/v2\/orders$/, body: CANNED_ORDER },
    { method: 'PATCH', path: /^\/v2\/orders\/[^/]+$/, body: { ...CANNED_ORDER, id: '2611220000002', replaces: ORDER_ID } },
    { method: 'DELETE', path: /^\/v2\/orders\/[^/]+$/, status: 204, body: '' },
    { method: 'GET', path: /^\/v2\/orders$/, body: [CANNED_ORDER] },
    { method: 'GET', path: /^\/v2\/orders\/[^/]+$/, body: CANNED_ORDER },
    { method: 'GET', path: /^\/v2\/positions$/, body: [] },
    { method: 'GET', path: /^\/v2\/account\/activities\/FILL$/, body: [] },
    { method: 'GET', path: /^\/v2\/account$/, body: { id: 'acc', account_number: 'PA3ORACLE', status: 'ACTIVE', currency: 'USD', cash: '1000', buying_power: '1000' } },
  ],
};
