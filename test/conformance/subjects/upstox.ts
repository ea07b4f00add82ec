import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../../src/brokers/index.js';
import { brokerRegistration } from '../../../src/brokers/registry.js';
import { upstoxLogin } from '../../../src/brokers/upstox/login.js';
import { UpstoxBroker } from '../../../src/brokers/upstox/upstox-broker.js';
import { UPSTOX_STATUSES } from '../../../src/brokers/upstox/wire-facts.js';
import { toMajor } from '../../../src/domain/money.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { tradingDate } from '../../../src/market/exchange-time.js';
import { SIM_INSTRUMENTS } from '../../emulators/exchange/sim-exchange.js';
import { startUpstoxEmulator } from '../../emulators/upstox/index.js';
import { emulatorSettings } from '../../upstox/harness.js';
import { seededRandom } from '../../zerodha/harness.js';
import { performWithBroker } from '../sdk-intents.js';
import { serverFaults, streamFaults } from '../server-faults.js';
import type { ConformanceSubject, SdkIntent, SdkOracle, Venue } from '../subject.js';

const TOKEN = 'upstox-emu-token-0001';
const envelope = (data: unknown) => ({ status: 'success', data });
const CANNED_ORDER = { order_id: '251203000001', status: 'open', exchange: 'NSE', trading_symbol: 'INFY', tradingsymbol: 'INFY', instrument_token: 'NSE_EQ|INE009A01021', order_type: 'LIMIT', validity: 'DAY', transaction_type: 'BUY', product: 'D', quantity: 3, price: 1500.1, trigger_price: 0, disclosed_quantity: 0, filled_quantity: 0, average_price: 0, tag: 'UPSDK1', is_amo: false };
const KEYS = { INFY: 'NSE_EQ|INE009A01021', SBIN: 'NSE_EQ|INE062A01020' } as const;

/** A day's instrument master already in the adapter's cache, so an adapter pointed at a capture server needs no download. */
function cachedMaster(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ptexec-upstox-master-'));
  const records = SIM_INSTRUMENTS.filter((i) => i.exchange === 'NSE').map((i) => ({ segment: 'NSE_EQ', exchange: 'NSE', instrument_type: 'EQ', instrument_key: `NSE_EQ|${i.isin}`, trading_symbol: i.symbol, name: i.name, isin: i.isin, lot_size: i.lot, tick_size: i.tick }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `upstox-instruments-${tradingDate('NSE', Date.now())}.json`), JSON.stringify(records));
  return dir;
}

interface Sdk {
  ApiClient: { instance: { basePath: string; orderBasePath: string; authentications: { OAUTH2: { accessToken?: string } } } };
  OrderApiV3: new () => { placeOrder(body: object, opts: object, cb: Callback): void; cancelOrder(id: string, cb: Callback): void; modifyOrder(body: object, cb: Callback): void };
  OrderApi: new () => { getOrderBook(v: string, cb: Callback): void };
  PortfolioApi: new () => { getHoldings(v: string, cb: Callback): void; getPositions(v: string, cb: Callback): void };
  UserApi: new () => { getUserFundMargin(v: string, opts: object, cb: Callback): void };
}
type Callback = (error: unknown, data: unknown) => void;

/** `upstox-js-sdk` drives the same intents; its requests are the reference for ours. */
const sdkOracle: SdkOracle = {
  sdk: 'upstox-js-sdk@2.31.0',
  async perform(intent: SdkIntent, baseUrl: string) {
    const sdk = createRequire(import.meta.url)('upstox-js-sdk') as Sdk;
    const client = sdk.ApiClient.instance;
    client.basePath = baseUrl;
    client.orderBasePath = baseUrl;
    client.authentications.OAUTH2.accessToken = TOKEN;
    // The SDK's answer parsing is not under test: only the request it sends.
    await new Promise<void>((resolve) => {
      const done: Callback = () => resolve();
      switch (intent.kind) {
        case 'place': {
          const needsPrice = intent.type === 'limit' || intent.type === 'stop_limit';
          const needsTrigger = intent.type === 'stop' || intent.type === 'stop_limit';
          const orderType = { market: 'MARKET', limit: 'LIMIT', stop: 'SL-M', stop_limit: 'SL' }[intent.type];
          const body = { quantity: intent.quantity, product: 'D', validity: 'DAY', price: needsPrice ? toMajor(intent.limitPrice!) : 0, tag: intent.clientOrderId, instrumentToken: KEYS[intent.symbol as keyof typeof KEYS], orderType, transactionType: intent.side === 'buy' ? 'BUY' : 'SELL', disclosedQuantity: 0, triggerPrice: needsTrigger ? toMajor(intent.triggerPrice!) : 0, isAmo: false, slice: false };
          return new sdk.OrderApiV3().placeOrder(body, {}, done);
        }
        case 'cancel':
          return new sdk.OrderApiV3().cancelOrder(intent.brokerOrderId, done);
        case 'modify':
          // Upstox's modify restates the order's terms: those of the canned order unless the intent changes them.
          return new sdk.OrderApiV3().modifyOrder({ orderId: intent.brokerOrderId, quantity: intent.quantity ?? CANNED_ORDER.quantity, validity: 'DAY', price: intent.limitPrice !== undefined ? toMajor(intent.limitPrice) : CANNED_ORDER.price, orderType: 'LIMIT', disclosedQuantity: 0, triggerPrice: 0 }, done);
        case 'orders':
          return new sdk.OrderApi().getOrderBook('2.0', done);
        case 'holdings':
          return new sdk.PortfolioApi().getHoldings('2.0', done);
        case 'positions':
          return new sdk.PortfolioApi().getPositions('2.0', done);
        case 'funds':
          return new sdk.UserApi().getUserFundMargin('2.0', { segment: 'SEC' }, done);
      }
    });
  },
  async performWithAdapter(intent: SdkIntent, baseUrl: string) {
    const settings = { api_url: baseUrl, order_url: baseUrl, ws_url: baseUrl.replace(/^http/, 'ws'), login_url: `${baseUrl}/login`, instruments_url: `${baseUrl}/master.json.gz`, delivery_product: 'D' as const, timeout_ms: 2_000, quote_batch: 500, ws_silence_ms: 30_000 };
    const broker = new UpstoxBroker({ settings, accessToken: TOKEN, clock: new WallClock(), rateLimit: false, readAttempts: 1, instrumentCacheDir: cachedMaster() });
    // The capture server's answers are not Upstox's: only the request matters here.
    await performWithBroker(broker, intent).catch(() => undefined);
  },
  headers: ['authorization', 'api-version'],
  cannedRoutes: [
    { method: 'POST', path: /^\/v3\/order\/place$/, body: { status: 'success', data: { order_ids: [CANNED_ORDER.order_id] }, metadata: { latency: 1 } } },
    { method: 'PUT', path: /^\/v3\/order\/modify$/, body: { status: 'success', data: { order_id: CANNED_ORDER.order_id }, metadata: { latency: 1 } } },
    { method: 'DELETE', path: /^\/v3\/order\/cancel$/, body: { status: 'success', data: { order_id: CANNED_ORDER.order_id }, metadata: { latency: 1 } } },
    { method: 'GET', path: /^\/v2\/order\/details$/, body: envelope(CANNED_ORDER) },
    { method: 'GET', path: /^\/v2\/order\/retrieve-all$/, body: envelope([CANNED_ORDER]) },
    { method: 'GET', path: /^\/v2\/portfolio\/long-term-holdings$/, body: envelope([]) },
    { method: 'GET', path: /^\/v2\/portfolio\/short-term-positions$/, body: envelope([]) },
    { method: 'GET', path: /^\/v2\/user\/get-funds-and-margin$/, body: envelope({ equity: { used_margin: 0, payin_amount: 0, span_margin: 0, adhoc_margin: 0, notional_cash: 0, available_margin: 1000, exposure_margin: 0 } }) },
  ],
};

export const upstoxSubject: ConformanceSubject = {
  id: 'upstox',
  registration: async () => brokerRegistration('upstox')!,
  statuses: Object.entries(UPSTOX_STATUSES).map(([broker, ours]) => ({ broker, ours })),
  instrumentKeys: KEYS,
  async start(account = {}): Promise<Venue> {
    const emu = await startUpstoxEmulator({ cash: account.cash, holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NSE' as const })), partialFills: account.partialFills, matchIntervalMs: 0 });
    const open = (token: string) =>
      new UpstoxBroker({
        settings: emulatorSettings(emu, { timeout_ms: account.timeoutMs ?? 2_000 }),
        accessToken: token,
        clock: new WallClock(),
        random: seededRandom(),
        rateLimit: account.rateLimit ?? true,
        reconnect: { baseMs: 20, maxMs: 100 },
      });
    const venue: Venue = {
      broker: open(TOKEN),
      market: {
        fill: async (id, quantity) => void emu.exchange.fill(id, quantity),
        reject: async (id, reason) => emu.exchange.reject(id, reason),
        setStatus: async (id, word) => emu.setStatus(id, word),
        bookedOrders: () => emu.exchange.orders().length,
      },
      async login(good) {
        const login = upstoxLogin({ api_url: emu.url, login_url: emu.loginUrl, redirect_uri: emu.redirectUri }, {}, new WallClock());
        const session = await login.logIn({ api_key: emu.apiKey, api_secret: good ? emu.apiSecret : 'not-the-secret' }, { info: () => undefined, ask: async () => `${emu.redirectUri}?code=${emu.issueCode()}` });
        const previous = venue.broker;
        venue.broker = open(session.accessToken);
        await venue.broker.connect();
        await previous.close();
      },
      faults: {
        expireSession: () => emu.expireTokens(),
        ...serverFaults(emu.server),
        ...streamFaults(emu.server),
      },
      requests: () => emu.server.calls,
      resync: () => (venue.broker as UpstoxBroker).resync('the conformance kit asked'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    return venue;
  },
  sdkOracle,
};
