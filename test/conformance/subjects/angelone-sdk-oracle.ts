import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AngelOneBroker } from '../../../src/brokers/angelone/angelone-broker.js';
import { AngelOneConfigSchema } from '../../../src/brokers/angelone/config.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { performWithBroker } from '../sdk-intents.js';
import type { SdkIntent, SdkOracle } from '../subject.js';

const API_KEY = 'oracleapikey01';
const JWT = 'eyJoraclejwt0001';
const ORDER_ID = '2611220000001';
const MASTER_PATH = '/OpenAPI_File/files/OpenAPIScripMaster.json';

const require = createRequire(import.meta.url);
const sdkRoot = dirname(require.resolve('smartapi-javascript/package.json'));
const sdkVersion = (require('smartapi-javascript/package.json') as { version: string }).version;

/**
 * The SDK looks up the machine's public IP address over the network when it is constructed and
 * logs errors to ./error.log: both are replaced in the module cache (its own copies, resolved from
 * its folder) so the oracle stays offline and writes nothing. Nothing on the wire depends on them
 * but the X-Client address headers, which are not compared.
 */
function loadSdk(): new (params: Record<string, unknown>) => AngelSdk {
  const sdkRequire = createRequire(join(sdkRoot, 'lib', 'smartapi-connect.js'));
  const stub = (id: string, exports: unknown) => {
    const path = sdkRequire.resolve(id);
    require.cache[path] = { id: path, filename: path, loaded: true, exports } as NodeJS.Module;
  };
  stub('public-ip', { v4: async () => '203.0.113.7', v6: async () => '::1' });
  stub('./winston_log', { errorLogger: { error: () => undefined, info: () => undefined } });
  return sdkRequire('./smartapi-connect.js') as new (params: Record<string, unknown>) => AngelSdk;
}

interface AngelSdk {
  placeOrder(params: Record<string, string>): Promise<unknown>;
  modifyOrder(params: Record<string, string>): Promise<unknown>;
  cancelOrder(params: Record<string, string>): Promise<unknown>;
  getOrderBook(): Promise<unknown>;
  getHolding(): Promise<unknown>;
  getPosition(): Promise<unknown>;
  getRMS(): Promise<unknown>;
}

const rupees = (paise: number | undefined) => (paise === undefined ? '0' : (paise / 100).toFixed(2));
const TOKENS = { INFY: '1594', SBIN: '3045' } as const;

/** The intent as an Angel One user writes it with the SDK, following SmartAPI's documented placeOrder example (numbers as strings). */
function sdkPlacement(intent: Extract<SdkIntent, { kind: 'place' }>): Record<string, string> {
  const stop = intent.type === 'stop' || intent.type === 'stop_limit';
  return {
    variety: stop ? 'STOPLOSS' : 'NORMAL',
    tradingsymbol: `${intent.symbol}-EQ`,
    symboltoken: TOKENS[intent.symbol as keyof typeof TOKENS],
    transactiontype: intent.side === 'buy' ? 'BUY' : 'SELL',
    exchange: 'NSE',
    ordertype: { market: 'MARKET', limit: 'LIMIT', stop: 'STOPLOSS_MARKET', stop_limit: 'STOPLOSS_LIMIT' }[intent.type],
    producttype: 'DELIVERY',
    duration: 'DAY',
    price: intent.type === 'limit' || intent.type === 'stop_limit' ? rupees(intent.limitPrice) : '0',
    squareoff: '0',
    stoploss: '0',
    quantity: String(intent.quantity),
    ordertag: intent.clientOrderId,
    ...(stop ? { triggerprice: rupees(intent.triggerPrice) } : {}),
  };
}

/** The order the capture server's book holds, for the modify and cancel intents (a live INFY limit buy). */
const BOOKED = {
  variety: 'NORMAL',
  ordertype: 'LIMIT',
  producttype: 'DELIVERY',
  duration: 'DAY',
  price: 1500.1,
  triggerprice: 0,
  quantity: '3',
  tradingsymbol: 'INFY-EQ',
  transactiontype: 'BUY',
  exchange: 'NSE',
  symboltoken: TOKENS.INFY,
  ordertag: 'KITSDK1',
  averageprice: 0,
  filledshares: '0',
  unfilledshares: '3',
  orderid: ORDER_ID,
  text: '',
  status: 'open',
  orderstatus: 'open',
  updatetime: '03-Dec-2026 10:00:00',
  uniqueorderid: 'b7e2a3c4-0000-4000-8000-000000000001',
};

function adapter(baseUrl: string): AngelOneBroker {
  const settings = AngelOneConfigSchema.parse({ api_url: baseUrl, instruments_url: `${baseUrl}${MASTER_PATH}`, timeout_ms: 2_000, rate_limit: false });
  return new AngelOneBroker({ settings, apiKey: API_KEY, jwt: JWT, clock: new WallClock(), rateLimit: false, readAttempts: 1 });
}

const ok = (data: unknown) => ({ status: true, message: 'SUCCESS', errorcode: '', data });

/** The official `smartapi-javascript` package as the oracle of SmartAPI's wire format (paths, methods, headers, JSON bodies with strings for numbers). */
export const angelOneSdkOracle: SdkOracle = {
  sdk: `smartapi-javascript@${sdkVersion}`,
  headers: ['authorization', 'x-privatekey', 'x-usertype', 'x-sourceid', 'accept'],
  cannedRoutes: [
    { method: 'POST', path: /^\/rest\/secure\/angelbroking\/order\/v1\/placeOrder$/, body: ok({ script: 'INFY-EQ', orderid: ORDER_ID, uniqueorderid: BOOKED.uniqueorderid }) },
    { method: 'POST', path: /^\/rest\/secure\/angelbroking\/order\/v1\/modifyOrder$/, body: ok({ orderid: ORDER_ID, uniqueorderid: BOOKED.uniqueorderid }) },
    { method: 'POST', path: /^\/rest\/secure\/angelbroking\/order\/v1\/cancelOrder$/, body: ok({ orderid: ORDER_ID, uniqueorderid: BOOKED.uniqueorderid }) },
    { method: 'GET', path: /^\/rest\/secure\/angelbroking\/order\/v1\/getOrderBook$/, body: ok([BOOKED]) },
    { method: 'GET', path: /^\/rest\/secure\/angelbroking\/portfolio\/v1\/getHolding$/, body: ok([]) },
    { method: 'GET', path: /^\/rest\/secure\/angelbroking\/order\/v1\/getPosition$/, body: ok([]) },
    { method: 'GET', path: /^\/rest\/secure\/angelbroking\/user\/v1\/getRMS$/, body: ok({ net: '1000.00', availablecash: '1000.00', utiliseddebits: '0.00' }) },
    {
      method: 'GET',
      path: new RegExp(`^${MASTER_PATH}$`),
      body: [
        { token: TOKENS.INFY, symbol: 'INFY-EQ', name: 'INFY', expiry: '', strike: '-1.000000', lotsize: '1', instrumenttype: '', exch_seg: 'NSE', tick_size: '10.000000' },
        { token: TOKENS.SBIN, symbol: 'SBIN-EQ', name: 'SBIN', expiry: '', strike: '-1.000000', lotsize: '1', instrumenttype: '', exch_seg: 'NSE', tick_size: '5.000000' },
      ],
    },
  ],
  async perform(intent, baseUrl) {
    const SmartAPI = loadSdk();
    const sdk = new SmartAPI({ api_key: API_KEY, access_token: JWT, root: baseUrl });
    switch (intent.kind) {
      case 'place':
        return void (await sdk.placeOrder(sdkPlacement(intent)));
      case 'modify':
        return void (await sdk.modifyOrder({
          variety: 'NORMAL',
          orderid: intent.brokerOrderId,
          ordertype: 'LIMIT',
          producttype: 'DELIVERY',
          duration: 'DAY',
          price: rupees(intent.limitPrice),
          quantity: String(intent.quantity),
          tradingsymbol: 'INFY-EQ',
          symboltoken: TOKENS.INFY,
          exchange: 'NSE',
        }));
      case 'cancel':
        return void (await sdk.cancelOrder({ variety: 'NORMAL', orderid: intent.brokerOrderId }));
      case 'orders':
        return void (await sdk.getOrderBook());
      case 'holdings':
        return void (await sdk.getHolding());
      case 'positions':
        return void (await sdk.getPosition());
      case 'funds':
        return void (await sdk.getRMS());
    }
  },
  performWithAdapter: (intent, baseUrl) => performWithBroker(adapter(baseUrl), intent),
};
