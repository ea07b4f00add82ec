import { AngelOneBroker } from '../../../src/brokers/angelone/angelone-broker.js';
import { AngelOneConfigSchema } from '../../../src/brokers/angelone/config.js';
import { angelOneLogin } from '../../../src/brokers/angelone/login.js';
import { ANGEL_STATUSES } from '../../../src/brokers/angelone/mapping.js';
import { brokerRegistration } from '../../../src/brokers/registry.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { ANGEL_EMULATOR_DEFAULTS, startAngelEmulator } from '../../emulators/angelone/angel-emulator.js';
import type { ConformanceSubject, Venue, VenueAccount } from '../subject.js';

/**
 * Angel One SmartAPI for the conformance kit: the adapter against its strict emulator. SmartAPI's
 * order updates are polled from the order book (the order-update WebSocket's message format could
 * not be confirmed), so the stream faults do not apply. The official SDK (smartapi-javascript) is
 * not driven as an oracle: constructing it looks up the machine's public IP address over the
 * network, which offline tests cannot allow; its source was read instead (see wire.ts).
 */
export const angelOneSubject: ConformanceSubject = {
  id: 'angelone',
  registration: async () => {
    await import('../../../src/brokers/angelone/index.js');
    return brokerRegistration('angelone')!;
  },
  statuses: ANGEL_STATUSES,
  instrumentKeys: { INFY: 'INFY-EQ', SBIN: 'SBIN-EQ' },
  notApplicable: {
    'order-update stream': 'Angel One updates are polled from the order book (1/s); no stream is used',
    'sdk oracle': 'smartapi-javascript looks up the public IP address over the network when constructed',
  },
  async start(account: VenueAccount = {}): Promise<Venue> {
    const emu = await startAngelEmulator({
      matchIntervalMs: 0,
      cash: account.cash,
      holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NSE' as const })),
      partialFills: account.partialFills ?? false,
      // SmartAPI's published limits, unless neither side is asked to keep them (see below).
      limits: account.rateLimit === undefined ? {} : undefined,
    });
    const clock = new WallClock();
    const settings = AngelOneConfigSchema.parse({ api_url: emu.url, instruments_url: emu.masterUrl, timeout_ms: account.timeoutMs ?? 2_000 });
    // SmartAPI allows one order-book read a second: with its pacing on, the kit's cases would spend
    // their time waiting. Unless a case asks (rateLimit true: paced against the strict server;
    // false: unpaced against it), the adapter is unpaced and the emulator unlimited. Pacing itself
    // is tested in test/angelone/adapter.test.ts.
    const broker = new AngelOneBroker({ settings, apiKey: emu.options.apiKey, jwt: ANGEL_EMULATOR_DEFAULTS.jwt, clock, rateLimit: account.rateLimit === true, readAttempts: 2 });
    await broker.connect();
    const { faults } = emu.server;
    return {
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
        await login.logIn(values, { info: () => undefined, ask: async () => emu.currentTotp() });
      },
      faults: {
        expireSession: () => emu.expireSessions(),
        bookThenReset: () => faults.bookThenReset(),
        loseNextPlacement: () => faults.loseNextPlacement(),
        serverErrors: (n) => faults.serverErrors(n),
        malformedBodies: (n) => faults.malformedBodies(n),
        hang: (n) => faults.hang(n),
        rateLimit: (n) => faults.rateLimit(n),
      },
      requests: () => emu.server.calls.map((c) => ({ method: c.method, path: c.path, query: c.query, headers: c.headers, body: c.body, status: c.status })),
      async close() {
        await broker.close();
        await emu.close();
      },
    };
  },
};
