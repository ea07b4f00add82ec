import { createRequire } from 'node:module';
import { ZerodhaConfigSchema } from '../../../src/brokers/zerodha/config.js';
import { ZerodhaBroker } from '../../../src/brokers/zerodha/zerodha-broker.js';
import { formatMinor } from '../../../src/domain/money.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { performWithBroker } from '../sdk-intents.js';
import type { SdkIntent, SdkOracle } from '../subject.js';

const API_KEY = 'oracleapikey01';
const ACCESS_TOKEN = 'oracleaccesstoken01';

interface KiteSdk {
  placeOrder(variety: string, params: Record<string, unknown>): Promise<unknown>;
  modifyOrder(variety: string, orderId: string, params: Record<string, unknown>): Promise<unknown>;
  cancelOrder(variety: string, orderId: string): Promise<unknown>;
  getOrders(): Promise<unknown>;
  getHoldings(): Promise<unknown>;
  getPositions(): Promise<unknown>;
  getMargins(): Promise<unknown>;
}

const require = createRequire(import.meta.url);
const sdkVersion = (require('kiteconnect/package.json') as { version: string }).version;

function sdk(baseUrl: string): KiteSdk {
  const { KiteConnect } = require('kiteconnect') as { KiteConnect: new (params: Record<string, unknown>) => KiteSdk };
  return new KiteConnect({ api_key: API_KEY, access_token: ACCESS_TOKEN, root: baseUrl, timeout: 2_000 });
}

/** The intent as a Kite user writes it with the SDK, following Kite's documentation (rupees, CNC, market protection). */
function sdkPlacement(intent: Extract<SdkIntent, { kind: 'place' }>): Record<string, unknown> {
  const kiteType = { market: 'MARKET', limit: 'LIMIT', stop: 'SL-M', stop_limit: 'SL' }[intent.type];
  const params: Record<string, unknown> = {
    tradingsymbol: intent.symbol,
    exchange: 'NSE',
    transaction_type: intent.side === 'buy' ? 'BUY' : 'SELL',
    order_type: kiteType,
    quantity: intent.quantity,
    product: 'CNC',
    validity: 'DAY',
    tag: intent.clientOrderId,
  };
  if (intent.limitPrice !== undefined) params.price = formatMinor(intent.limitPrice);
  if (intent.triggerPrice !== undefined) params.trigger_price = formatMinor(intent.triggerPrice);
  if (kiteType === 'MARKET' || kiteType === 'SL-M') params.market_protection = -1;
  return params;
}

function adapter(baseUrl: string): ZerodhaBroker {
  const settings = ZerodhaConfigSchema.parse({ api_url: baseUrl, ws_url: baseUrl.replace('http', 'ws'), timeout_ms: 2_000 });
  return new ZerodhaBroker({ settings, apiKey: API_KEY, accessToken: ACCESS_TOKEN, clock: new WallClock(), rateLimit: false });
}

const envelope = (data: unknown) => ({ status: 'success', data });
const order = { order_id: '2611220000001', status: 'OPEN', variety: 'regular', exchange: 'NSE', tradingsymbol: 'INFY', order_type: 'LIMIT', transaction_type: 'BUY', quantity: 3, price: 1500.1, filled_quantity: 0, tag: 'KITSDK1' };

/** The official `kiteconnect` package as the oracle of Kite's wire format. */
export const kiteSdkOracle: SdkOracle = {
  sdk: `kiteconnect@${sdkVersion}`,
  headers: ['x-kite-version', 'authorization'],
  ignoredFields: {
    variety: 'the SDK repeats the variety in the body or query; Kite reads it from the path, where both put it',
    order_id: 'the SDK repeats the order id in a modification or cancellation; Kite reads it from the path, where both put it',
  },
  cannedRoutes: [
    { method: 'POST', path: /^\/orders\/regular$/, body: envelope({ order_id: '2611220000001' }) },
    { method: 'PUT', path: /^\/orders\/regular\/\d+$/, body: envelope({ order_id: '2611220000001' }) },
    { method: 'DELETE', path: /^\/orders\/regular\/\d+$/, body: envelope({ order_id: '2611220000001' }) },
    { method: 'GET', path: /^\/orders\/\d+$/, body: envelope([order]) },
    { method: 'GET', path: /^\/orders$/, body: envelope([order]) },
    { method: 'GET', path: /^\/portfolio\/holdings$/, body: envelope([]) },
    { method: 'GET', path: /^\/portfolio\/positions$/, body: envelope({ net: [], day: [] }) },
    { method: 'GET', path: /^\/user\/margins$/, body: envelope({ equity: { enabled: true, net: 1000, available: { cash: 1000, live_balance: 1000 }, utilised: { debits: 0 } } }) },
  ],
  async perform(intent, baseUrl) {
    const kite = sdk(baseUrl);
    switch (intent.kind) {
      case 'place':
        await kite.placeOrder('regular', sdkPlacement(intent));
        return;
      case 'modify': {
        const params: Record<string, unknown> = {};
        if (intent.quantity !== undefined) params.quantity = intent.quantity;
        if (intent.limitPrice !== undefined) params.price = formatMinor(intent.limitPrice);
        await kite.modifyOrder('regular', intent.brokerOrderId, params);
        return;
      }
      case 'cancel':
        await kite.cancelOrder('regular', intent.brokerOrderId);
        return;
      case 'orders':
        await kite.getOrders();
        return;
      case 'holdings':
        await kite.getHoldings();
        return;
      case 'positions':
        await kite.getPositions();
        return;
      case 'funds':
        await kite.getMargins();
        return;
    }
  },
  performWithAdapter: (intent, baseUrl) => performWithBroker(adapter(baseUrl), intent),
};
