import { brokerRegistration } from '../../../src/brokers/index.js';
import { SchwabConfigSchema, schwabUrlsAt } from '../../../src/brokers/schwab/config.js';
import { SchwabBroker } from '../../../src/brokers/schwab/schwab-broker.js';
import { SCHWAB_STATUSES } from '../../../src/brokers/schwab/wire-facts.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { SCHWAB_EMULATOR_KEYS, startSchwabEmulator } from '../../emulators/schwab/schwab-emulator.js';
import { seededRandom } from '../../zerodha/harness.js';
import { US_KIT_MARKET } from '../kit-market.js';
import { serverFaults } from '../server-faults.js';
import type { ConformanceSubject, Venue, VenueAccount } from '../subject.js';

/**
 * Schwab's Trader API against the strict Schwab emulator (test/emulators/schwab), trading US
 * equities in cents. Schwab's order stream is not used (see wire-facts.ts), so the adapter polls
 * the order list: the kit's stream faults are applied to that list, as for Groww.
 */
export const schwabSubject: ConformanceSubject = {
  id: 'schwab',
  registration: async () => brokerRegistration('schwab')!,
  market: US_KIT_MARKET,
  statuses: Object.entries(SCHWAB_STATUSES).map(([broker, ours]) => ({ broker, ours })),
  // Schwab names a US equity by its ticker alone.
  instrumentKeys: { AAPL: 'AAPL', MSFT: 'MSFT' },
  notApplicable: {
    "placement: our client id travels in the broker's reference field":
      "Schwab's order request has no client order id or reference field (OpenAPI OrderRequest): the adapter's placement journal binds our id to the order id of the 201's Location, and test/schwab/adapter.test.ts checks the look-ups by our id",
    'modify: quantity and price change':
      "Schwab cannot change an order in place: its replace (PUT …/orders/{id}) cancels the order and creates another under a new id, so the adapter declares modify: false and the engine cancels and places a new order itself",
    'sdk oracle: requests agree with the official SDK':
      'Schwab publishes no SDK (on npm or elsewhere) for its Trader API; the adapter follows the published OpenAPI models, and the community clients (schwab-py) only as a secondary source',
  },
  async start(account: VenueAccount = {}): Promise<Venue> {
    const emu = await startSchwabEmulator({
      cash: account.cash,
      holdings: account.holdings?.map((h) => ({ ...h, exchange: US_KIT_MARKET.exchange })),
      partialFills: account.partialFills ?? false,
      matchIntervalMs: 0,
      // The kit polls the books in tight loops to wait for states: with the adapter's limiter off,
      // only the order limit is enforced; with it on, the reads' too.
      limits: account.rateLimit === false ? { orders: { limit: 120, windowMs: 60_000 } } : undefined,
    });
    const settings = SchwabConfigSchema.parse({ ...schwabUrlsAt(emu.url), redirect_uri: SCHWAB_EMULATOR_KEYS.redirectUri, timeout_ms: account.timeoutMs ?? 2_000, poll_ms: 100 });
    const open = (accessToken: string) =>
      new SchwabBroker({
        settings,
        accessToken,
        clock: new WallClock(),
        random: seededRandom(),
        rateLimit: account.rateLimit ?? true,
        retryBaseMs: 10,
        circuit: { failureThreshold: 5, coolDownMs: 60_000 },
      });
    const venue: Venue = {
      broker: open(SCHWAB_EMULATOR_KEYS.accessToken),
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
        const login = await brokerRegistration('schwab')!.login!({ ...schwabUrlsAt(emu.url), redirect_uri: SCHWAB_EMULATOR_KEYS.redirectUri, timeout_ms: settings.timeout_ms }, {}, new WallClock());
        const values = { api_key: SCHWAB_EMULATOR_KEYS.apiKey, api_secret: good ? SCHWAB_EMULATOR_KEYS.apiSecret : 'WrongSecret' };
        const callback = `${SCHWAB_EMULATOR_KEYS.redirectUri}/?code=${encodeURIComponent(emu.issueCode())}&session=emu`;
        const session = await login.logIn(values, { info: () => undefined, ask: async () => callback });
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
      resync: () => (venue.broker as SchwabBroker).resync('the conformance kit asked'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    return venue;
  },
};
