import { GrowwConfigSchema } from '../../../src/brokers/groww/config.js';
import { GrowwBroker } from '../../../src/brokers/groww/groww-broker.js';
import { brokerRegistration } from '../../../src/brokers/index.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { GROWW_EMULATOR_KEYS, startGrowwEmulator } from '../../emulators/groww/groww-emulator.js';
import { seededRandom } from '../../zerodha/harness.js';
import { serverFaults } from '../server-faults.js';
import type { ConformanceSubject, Venue, VenueAccount } from '../subject.js';

/**
 * Groww's Trading API against the strict Groww emulator (test/emulators/groww). Groww has no
 * order-update stream this client can use, so the adapter polls the order list: the kit's stream
 * faults are applied to that list (it fails for a while, answers from a frozen moment, lists
 * every order twice, alternates between a moment ago and now).
 */
export const growwSubject: ConformanceSubject = {
  id: 'groww',
  registration: async () => brokerRegistration('groww')!,
  // Every status Groww documents (annexures), each on an order with nothing filled yet.
  statuses: [
    { broker: 'NEW', ours: 'accepted' },
    { broker: 'ACKED', ours: 'accepted' },
    { broker: 'TRIGGER_PENDING', ours: 'accepted' },
    { broker: 'APPROVED', ours: 'accepted' },
    { broker: 'REJECTED', ours: 'rejected' },
    { broker: 'FAILED', ours: 'rejected' },
    { broker: 'EXECUTED', ours: 'filled' },
    { broker: 'DELIVERY_AWAITED', ours: 'filled' },
    { broker: 'CANCELLED', ours: 'cancelled' },
    { broker: 'CANCELLATION_REQUESTED', ours: 'pending_cancel' },
    { broker: 'MODIFICATION_REQUESTED', ours: 'pending_replace' },
    { broker: 'COMPLETED', ours: 'filled' },
  ],
  // Orders name Groww's trading symbol; the instrument master's groww_symbol is the broker key.
  instrumentKeys: { INFY: 'NSE-INFY', SBIN: 'NSE-SBIN' },
  notApplicable: {
    'sdk oracle: requests agree with the official SDK':
      "Groww's only official SDK is the Python package growwapi (no npm SDK); the adapter's paths, headers and bodies follow Groww's published API documentation instead",
  },
  async start(account: VenueAccount = {}): Promise<Venue> {
    const emu = await startGrowwEmulator({
      cash: account.cash,
      holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NSE' as const })),
      partialFills: account.partialFills ?? false,
      matchIntervalMs: 0,
      // The kit polls the books in tight loops to wait for states: with the adapter's limiter off,
      // only the order limit is enforced (as the Kite emulator does); with it on, all three classes.
      limits: account.rateLimit === false ? { orders: 10 } : undefined,
    });
    const settings = GrowwConfigSchema.parse({ api_url: emu.url, instruments_url: emu.instrumentsUrl, timeout_ms: account.timeoutMs ?? 2_000, poll_ms: 100 });
    const open = (accessToken: string) =>
      new GrowwBroker({
        settings,
        accessToken,
        clock: new WallClock(),
        random: seededRandom(),
        rateLimit: account.rateLimit ?? true,
        retryBaseMs: 10,
        circuit: { failureThreshold: 5, coolDownMs: 60_000 },
      });
    const venue: Venue = {
      broker: open(GROWW_EMULATOR_KEYS.accessToken),
      market: {
        async fill(id, quantity) {
          emu.exchange.accept(id);
          emu.exchange.fill(id, quantity);
        },
        async reject(id, reason) {
          emu.exchange.reject(id, reason);
        },
        async setStatus(id, status) {
          emu.exchange.override(id, status);
        },
        bookedOrders: () => emu.exchange.orders().length,
      },
      async login(good) {
        const login = await brokerRegistration('groww')!.login!({ api_url: emu.url, instruments_url: emu.instrumentsUrl, timeout_ms: settings.timeout_ms }, {}, new WallClock());
        const values = { api_key: GROWW_EMULATOR_KEYS.apiKey, totp_secret: good ? GROWW_EMULATOR_KEYS.totpSecret : 'GEZDGNBVGY3TQOJQ' };
        const session = await login.logIn(values, { info: () => undefined, ask: async () => '' });
        const previous = venue.broker;
        venue.broker = open(session.accessToken);
        await venue.broker.connect();
        await previous.close();
      },
      faults: {
        expireSession: () => emu.tokens.clear(),
        ...serverFaults(emu.server),
        // A whole polling pass fails (each read is tried three times).
        dropStream: () => emu.listFaults.fail(3),
        dropStreamMessages: (count) => emu.listFaults.freeze(count, emu.orderRows),
        duplicateStreamMessages: (on) => {
          emu.listFaults.duplicate = on;
        },
        reorderStreamMessages: (on) => emu.listFaults.reorder(on, emu.orderRows),
      },
      requests: () => emu.server.calls,
      resync: () => (venue.broker as GrowwBroker).resync('the conformance kit asked'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    return venue;
  },
};
