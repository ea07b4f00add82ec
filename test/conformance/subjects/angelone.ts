import { AngelOneBroker } from '../../../src/brokers/angelone/angelone-broker.js';
import { AngelOneConfigSchema } from '../../../src/brokers/angelone/config.js';
import { angelOneLogin } from '../../../src/brokers/angelone/login.js';
import { ANGEL_STATUSES } from '../../../src/brokers/angelone/mapping.js';
import { brokerRegistration } from '../../../src/brokers/registry.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { ANGEL_EMULATOR_DEFAULTS, startAngelEmulator } from '../../emulators/angelone/angel-emulator.js';
import { angelOneSdkOracle } from './angelone-sdk-oracle.js';
import { serverFaults } from '../server-faults.js';
import type { ConformanceSubject, Venue, VenueAccount } from '../subject.js';

/**
 * Angel One SmartAPI for the conformance kit: the adapter against its strict emulator. SmartAPI's
 * order updates are polled from the order book (the order-update WebSocket's message format could
 * not be confirmed), so the stream faults do not apply. The official SDK (smartapi-javascript) is
 * the oracle of the wire format, kept offline (see angelone-sdk-oracle.ts).
 */
export const angelOneSubject: ConformanceSubject = {
  id: 'angelone',
  registration: async () => {
    await import('../../../src/brokers/angelone/index.js');
    return brokerRegistration('angelone')!;
  },
  statuses: ANGEL_STATUSES,
  sdkOracle: angelOneSdkOracle,
  // SmartAPI names an instrument by its `symboltoken` (with the exchange; `tradingsymbol` "INFY-EQ" goes along on orders).
  instrumentKeys: { INFY: '1594', SBIN: '3045' },
  notApplicable: {
    'stream: a cut stream reconnects and resync brings the missed fills once': 'updates are polled from the order book (the order-update WebSocket is not used): there is no stream to cut',
    'stream: a gap is filled by resync exactly once': 'updates are polled from the order book: each poll reads the whole book, so no message can go missing',
    'stream: duplicate messages count no fill twice': 'updates are polled from the order book: no stream message can arrive twice',
    'stream: out-of-order messages end in the right state': 'updates are polled from the order book: no stream message can arrive out of order',
  },
  async start(account: VenueAccount = {}): Promise<Venue> {
    const emu = await startAngelEmulator({
      matchIntervalMs: 0,
      cash: account.cash,
      holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NSE' as const })),
      partialFills: account.partialFills ?? false,
      // SmartAPI's published limits where the adapter is asked to keep them (see below).
      limits: account.rateLimit === true ? undefined : {},
    });
    const clock = new WallClock();
    // The order book is polled quickly: the emulator has no 1/s limit unless pacing is asked for.
    const settings = AngelOneConfigSchema.parse({ api_url: emu.url, instruments_url: emu.masterUrl, timeout_ms: account.timeoutMs ?? 2_000, poll_ms: 50 });
    // SmartAPI allows one order-book read a second: paced, the kit's cases would spend their time
    // waiting. Unless a case asks for pacing (then against the strict server), the adapter is
    // unpaced and the emulator unlimited. Pacing of the books is tested in test/angelone/adapter.test.ts.
    const open = (jwt: string) => new AngelOneBroker({ settings, apiKey: emu.options.apiKey, jwt, clock, rateLimit: account.rateLimit === true, readAttempts: 2, retryBaseMs: 20 });
    const broker = open(ANGEL_EMULATOR_DEFAULTS.jwt);
    await broker.connect();
    const venue: Venue = {
      broker,
      market: {
        fill: async (id, quantity) => void emu.exchange.fill(id, quantity),
        reject: async (id, reason) => emu.exchange.reject(id, reason),
        setStatus: async (id, word) => emu.exchange.override(id, word),
        bookedOrders: () => emu.exchange.orders().length,
      },
      async login(good) {
        const login = angelOneLogin({ api_url: emu.url, instruments_url: emu.masterUrl }, {}, clock);
        const values = { api_key: emu.options.apiKey, client_code: emu.options.clientCode, pin: good ? emu.options.pin : '0000', totp_secret: emu.options.totpSecret };
        const session = await login.logIn(values, { info: () => undefined, ask: async () => emu.currentTotp() });
        const previous = venue.broker;
        venue.broker = open(session.accessToken);
        await venue.broker.connect();
        await previous.close();
      },
      faults: {
        expireSession: () => emu.expireSessions(),
        ...serverFaults(emu.server),
      },
      requests: () => emu.server.calls,
      resync: () => (venue.broker as AngelOneBroker).resync('asked by the kit'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    return venue;
  },
};
