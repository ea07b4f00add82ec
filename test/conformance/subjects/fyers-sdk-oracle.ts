import { createRequire } from 'node:module';
import { FyersConfigSchema } from '../../../src/brokers/fyers/config.js';
import { FyersBroker } from '../../../src/brokers/fyers/fyers-broker.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { symbolMasterCsv } from '../../emulators/fyers/fyers-emulator.js';
import { performWithBroker } from '../sdk-intents.js';
import type { SdkIntent, SdkOracle } from '../subject.js';

const APP_ID = 'ORACLEAPP1-100';
const ACCESS_TOKEN = 'eyJoracleaccesstoken01';

interface FyersSdk {
  setAppId(id: string): void;
  setAccessToken(token: string): void;
  place_order(body: Record<string, unknown>): Promise<unknown>;
  modify_order(body: Record<string, unknown>): Promise<unknown>;
  cancel_order(body: Record<string, unknown>): Promise<unknown>;
  get_orders(): Promise<unknown>;
  get_holdings(): Promise<unknown>;
  get_positions(): Promise<unknown>;
  get_funds(): Promise<unknown>;
}

const require = createRequire(import.meta.url);
const sdkVersion = (require('fyers-api-v3/package.json') as { version: string }).version;
/** The SDK's base URLs are one shared object (config/config.js); pointing it at the capture server redirects every call. */
const sdkConfig = (require('fyers-api-v3/config/config.js') as { Config: Record<string, string> }).Config;

function sdk(baseUrl: string): FyersSdk {
  sdkConfig.SYNC_API = `${baseUrl}/api/v3`;
  sdkConfig.data_Api1 = `${baseUrl}/data`;
  const { fyersModel } = require('fyers-api-v3') as { fyersModel: new (params: Record<string, unknown>) => FyersSdk };
  const fyers = new fyersModel({ enableLogging: false });
  fyers.setAppId(APP_ID);
  fyers.setAccessToken(ACCESS_TOKEN);
  return fyers;
}

/** The intent as a Fyers user writes it with the SDK, following the documentation's example (rupees, numeric type and side, CNC). */
function sdkPlacement(intent: Extract<SdkIntent, { kind: 'place' }>): Record<string, unknown> {
  const rupees = (paise: number | undefined) => (paise === undefined ? 0 : paise / 100);
  return {
    symbol: `NSE:${intent.symbol}-EQ`,
    qty: intent.quantity,
    type: { limit: 1, market: 2, stop: 3, stop_limit: 4 }[intent.type],
    side: intent.side === 'buy' ? 1 : -1,
    productType: 'CNC',
    limitPrice: rupees(intent.limitPrice),
    stopPrice: rupees(intent.triggerPrice),
    validity: 'DAY',
    disclosedQty: 0,
    offlineOrder: false,
    stopLoss: 0,
    takeProfit: 0,
    orderTag: intent.clientOrderId,
  };
}

function adapter(baseUrl: string): FyersBroker {
  const settings = FyersConfigSchema.parse({ api_url: `${baseUrl}/api/v3`, data_url: `${baseUrl}/data`, symbols_url: `${baseUrl}/sym_details`, ws_url: baseUrl.replace('http', 'ws'), timeout_ms: 2_000 });
  return new FyersBroker({ settings, appId: APP_ID, accessToken: ACCESS_TOKEN, clock: new WallClock(), rateLimit: false });
}

const ok = (fields: Record<string, unknown>) => ({ s: 'ok', code: 200, message: '', ...fields });

/** The official `fyers-api-v3` package as the oracle of Fyers' wire format (paths, methods, headers, JSON bodies). */
export const fyersSdkOracle: SdkOracle = {
  sdk: `fyers-api-v3@${sdkVersion}`,
  headers: ['authorization', 'version'],
  cannedRoutes: [
    { method: 'POST', path: /^\/api\/v3\/orders\/sync$/, body: ok({ code: 1101, id: '2611220000001' }) },
    { method: 'PATCH', path: /^\/api\/v3\/orders\/sync$/, body: ok({ code: 1102, id: '2611220000001' }) },
    { method: 'DELETE', path: /^\/api\/v3\/orders\/sync$/, body: ok({ code: 1103, id: '2611220000001' }) },
    { method: 'GET', path: /^\/api\/v3\/orders$/, body: ok({ orderBook: [] }) },
    { method: 'GET', path: /^\/api\/v3\/holdings$/, body: ok({ holdings: [], overall: {} }) },
    { method: 'GET', path: /^\/api\/v3\/positions$/, body: ok({ netPositions: [], overall: {} }) },
    { method: 'GET', path: /^\/api\/v3\/funds$/, body: ok({ fund_limit: [{ id: 2, title: 'Utilized Amount', equityAmount: 0 }, { id: 10, title: 'Available Balance', equityAmount: 1000 }] }) },
    { method: 'GET', path: /^\/sym_details\/NSE_CM\.csv$/, contentType: 'text/csv', body: symbolMasterCsv('NSE') },
    { method: 'GET', path: /^\/sym_details\/BSE_CM\.csv$/, contentType: 'text/csv', body: symbolMasterCsv('BSE') },
  ],
  async perform(intent, baseUrl) {
    const fyers = sdk(baseUrl);
    switch (intent.kind) {
      case 'place':
        await fyers.place_order(sdkPlacement(intent));
        return;
      case 'modify': {
        const body: Record<string, unknown> = { id: intent.brokerOrderId };
        if (intent.quantity !== undefined) body.qty = intent.quantity;
        if (intent.limitPrice !== undefined) body.limitPrice = intent.limitPrice / 100;
        await fyers.modify_order(body);
        return;
      }
      case 'cancel':
        await fyers.cancel_order({ id: intent.brokerOrderId });
        return;
      case 'orders':
        await fyers.get_orders();
        return;
      case 'holdings':
        await fyers.get_holdings();
        return;
      case 'positions':
        await fyers.get_positions();
        return;
      case 'funds':
        await fyers.get_funds();
        return;
    }
  },
  performWithAdapter: (intent, baseUrl) => performWithBroker(adapter(baseUrl), intent),
};
