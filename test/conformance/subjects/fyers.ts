import type { BrokerLogin } from '../../../src/brokers/registry.js';
import { FyersBroker } from '../../../src/brokers/fyers/fyers-broker.js';
import { FYERS_STATUS } from '../../../src/brokers/fyers/wire-facts.js';
import { brokerRegistration } from '../../../src/brokers/index.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { startFyersEmulator } from '../../emulators/fyers/fyers-emulator.js';
import { emulatorSettings } from '../../fyers/harness.js';
import { seededRandom } from '../../zerodha/harness.js';
import { until } from '../kit.js';
import { serverFaults, streamFaults } from '../server-faults.js';
import type { ConformanceSubject, Venue, VenueAccount } from '../subject.js';
import { fyersSdkOracle } from './fyers-sdk-oracle.js';

const codeOf = (word: string) => Object.entries(FYERS_STATUS).find(([, s]) => s.word === word)![0];

/** Fyers API v3 against the strict Fyers emulator (test/emulators/fyers). */
export const fyersSubject: ConformanceSubject = {
  id: 'fyers',
  registration: async () => brokerRegistration('fyers')!,
  // Every order status code Fyers documents (wire-facts.ts), by the word ptexec shows for it.
  statuses: [
    { broker: 'transit', ours: 'accepted' },
    { broker: 'pending', ours: 'accepted' },
    { broker: 'traded', ours: 'filled' },
    { broker: 'cancelled', ours: 'cancelled' },
    { broker: 'rejected', ours: 'rejected' },
    { broker: 'expired', ours: 'expired' },
  ],
  instrumentKeys: { INFY: 'NSE:INFY-EQ', SBIN: 'NSE:SBIN-EQ' },
  sdkOracle: fyersSdkOracle,
  async start(account: VenueAccount = {}): Promise<Venue> {
    const emu = await startFyersEmulator({
      cash: account.cash,
      holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NSE' as const })),
      partialFills: account.partialFills ?? false,
      // The kit fills orders itself: no matcher moves an order it is driving.
      matchIntervalMs: 0,
      // Fyers counts every call against one 10/s: with the adapter's limiter off, the kit's polling
      // (every few ms) would meet it in every case; with it on, the emulator enforces the real figure.
      perSecond: account.rateLimit === false ? 10_000 : 10,
    });
    const settings = emulatorSettings(emu, { timeout_ms: account.timeoutMs ?? 2_000, ws_silence_ms: 1_000 });
    const clock = new WallClock();
    const open = (accessToken: string) =>
      new FyersBroker({
        settings,
        appId: emu.appId,
        accessToken,
        secrets: [emu.appSecret, emu.pin],
        clock,
        random: seededRandom(),
        rateLimit: account.rateLimit ?? true,
        reconnect: { baseMs: 20, maxMs: 80 },
        retryBaseMs: 10,
        circuit: { failureThreshold: 5, coolDownMs: 60_000 },
      });
    let login: BrokerLogin | undefined;
    const venue: Venue = {
      broker: open(emu.accessToken),
      market: {
        async fill(id, quantity) {
          emu.exchange.fill(id, quantity);
        },
        async reject(id, reason) {
          emu.exchange.reject(id, reason);
        },
        async setStatus(id, status) {
          emu.exchange.override(id, codeOf(status));
        },
        bookedOrders: () => emu.exchange.orders().length,
      },
      async login(good) {
        login ??= await brokerRegistration('fyers')!.login!({ api_url: emu.apiUrl, timeout_ms: settings.timeout_ms }, {}, clock);
        const session = await login.logIn(
          { api_key: emu.appId, api_secret: good ? emu.appSecret : 'not-the-secret' },
          { info: () => undefined, ask: async () => emu.issueAuthCode() },
        );
        const previous = venue.broker;
        venue.broker = open(session.accessToken);
        await venue.broker.connect();
        await previous.close();
      },
      faults: {
        expireSession: () => emu.expireSession(),
        ...serverFaults(emu.server),
        ...streamFaults(emu.server),
        // A Fyers envelope cut short, rather than a page that is not Fyers'.
        malformedBodies: (count) => emu.cutShortBodies(count),
      },
      requests: () => emu.server.calls,
      resync: () => (venue.broker as FyersBroker).resync('the conformance kit asked'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    // The order socket is up before the kit acts: updates sent while it connects would be lost to it.
    venue.broker.subscribe(() => undefined);
    await until(() => emu.subscriptions().length > 0, 'the order socket subscription');
    return venue;
  },
};
