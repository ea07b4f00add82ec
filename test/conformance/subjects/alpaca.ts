import '../../../src/brokers/index.js';
import { AlpacaBroker } from '../../../src/brokers/alpaca/alpaca-broker.js';
import { alpacaLogin } from '../../../src/brokers/alpaca/login.js';
import { ALPACA_STATUSES } from '../../../src/brokers/alpaca/wire-facts.js';
import { brokerRegistration } from '../../../src/brokers/registry.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { emulatorSettings } from '../../alpaca/harness.js';
import { startAlpacaEmulator } from '../../emulators/alpaca/index.js';
import { seededRandom } from '../../zerodha/harness.js';
import { US_KIT_MARKET } from '../kit-market.js';
import { serverFaults, streamFaults } from '../server-faults.js';
import type { ConformanceSubject, Venue } from '../subject.js';
import { alpacaSdkOracle } from './alpaca-sdk-oracle.js';

export const alpacaSubject: ConformanceSubject = {
  id: 'alpaca',
  registration: async () => brokerRegistration('alpaca')!,
  market: US_KIT_MARKET,
  statuses: Object.entries(ALPACA_STATUSES).map(([broker, ours]) => ({ broker, ours })),
  // Alpaca names US equities by their ticker.
  instrumentKeys: { AAPL: 'AAPL', MSFT: 'MSFT' },
  notApplicable: {
    "reject: the broker's reason is kept":
      "Alpaca's order object and trade_updates carry no rejection reason (alpaca-py's Order has no such field); a refusal at placement (403/422) keeps Alpaca's message in the error (test/alpaca/adapter.test.ts)",
  },
  async start(account = {}): Promise<Venue> {
    // The kit polls the books every few milliseconds: the emulator's 200-a-minute limit would answer it 429 (the rate-limit cases inject their own).
    const emu = await startAlpacaEmulator({ cash: account.cash, holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NASDAQ' as const })), partialFills: account.partialFills, matchIntervalMs: 0, requestsPerMinute: 1_000_000 });
    const open = (keyId: string, secretKey: string) =>
      new AlpacaBroker({
        settings: emulatorSettings(emu, { timeout_ms: account.timeoutMs ?? 2_000 }),
        keyId,
        secretKey,
        clock: new WallClock(),
        random: seededRandom(),
        rateLimit: account.rateLimit ?? true,
        reconnect: { baseMs: 20, maxMs: 100 },
      });
    const venue: Venue = {
      broker: open(emu.keyId, emu.secretKey),
      market: {
        fill: async (id, quantity) => void emu.exchange.fill(id, quantity),
        reject: async (id, reason) => emu.exchange.reject(id, reason),
        setStatus: async (id, word) => emu.setStatus(id, word),
        bookedOrders: () => emu.exchange.orders().length,
      },
      async login(good) {
        const login = alpacaLogin({}, { PTEXEC_ALPACA_URL: emu.url }, new WallClock());
        const values = { api_key: emu.keyId, api_secret: good ? emu.secretKey : 'not-the-secret' };
        await login.logIn(values, { info: () => undefined, ask: async () => '' });
        const previous = venue.broker;
        venue.broker = open(values.api_key, values.api_secret);
        await venue.broker.connect();
        await previous.close();
      },
      faults: {
        // A key pair does not expire; it stops working when it is regenerated on the dashboard.
        expireSession: () => emu.revokeKeys(),
        ...serverFaults(emu.server),
        ...streamFaults(emu.server),
      },
      requests: () => emu.server.calls,
      resync: () => (venue.broker as AlpacaBroker).resync('the conformance kit asked'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    return venue;
  },
  sdkOracle: alpacaSdkOracle,
};
