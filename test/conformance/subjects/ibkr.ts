import '../../../src/brokers/index.js';
import { brokerRegistration } from '../../../src/brokers/registry.js';
import { IbkrBroker } from '../../../src/brokers/ibkr/ibkr-broker.js';
import { ibkrLogin } from '../../../src/brokers/ibkr/login.js';
import { IBKR_STATUSES } from '../../../src/brokers/ibkr/wire-facts.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { startIbkrEmulator } from '../../emulators/ibkr/index.js';
import { ibkrSettings } from '../../ibkr/harness.js';
import { seededRandom } from '../../zerodha/harness.js';
import { US_KIT_MARKET } from '../kit-market.js';
import { serverFaults, streamFaults } from '../server-faults.js';
import type { ConformanceSubject, Venue } from '../subject.js';

/**
 * IBKR's Client Portal Web API against its emulated gateway, in US equities. The gateway's own
 * limits (10 requests a second, one read of each book per 5 s) are kept where the kit turns the
 * adapter's limiter on; elsewhere the kit polls the books faster than IBKR allows, so the
 * emulator leaves them unlimited and the adapter reads the books every time.
 */
export const ibkrSubject: ConformanceSubject = {
  id: 'ibkr',
  market: US_KIT_MARKET,
  registration: async () => brokerRegistration('ibkr')!,
  statuses: Object.entries(IBKR_STATUSES).map(([broker, ours]) => ({ broker, ours })),
  instrumentKeys: { AAPL: '265598', MSFT: '272093' },
  notApplicable: {
    'sdk oracle: requests agree with the official SDK': 'IBKR publishes no SDK for the Client Portal Web API (only the gateway and its documentation); there is none on npm to compare requests with',
  },
  async start(account = {}): Promise<Venue> {
    const paced = account.rateLimit ?? true;
    const emu = await startIbkrEmulator({
      cash: account.cash,
      holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NASDAQ' as const })),
      partialFills: account.partialFills,
      perSecond: paced ? 10 : null,
    });
    const open = () =>
      new IbkrBroker({
        settings: ibkrSettings(emu, { timeout_ms: account.timeoutMs ?? 2_000, snapshot_retry_ms: 0 }),
        clock: new WallClock(),
        random: seededRandom(),
        rateLimit: paced,
        reconnect: { baseMs: 20, maxMs: 100 },
      });
    const venue: Venue = {
      broker: open(),
      market: {
        fill: async (id, quantity) => void emu.exchange.fill(id, quantity),
        reject: async (id, reason) => emu.exchange.reject(id, reason),
        setStatus: async (id, word) => emu.setStatus(id, word),
        bookedOrders: () => emu.exchange.orders().length,
      },
      async login(good) {
        emu.browserLogin(good);
        const login = ibkrLogin({ api_url: emu.url, reauth_wait_ms: 20 }, {}, new WallClock());
        await login.logIn({}, { info: () => undefined, ask: async () => '' });
        const previous = venue.broker;
        venue.broker = open();
        await venue.broker.connect();
        await previous.close();
      },
      faults: {
        expireSession: () => emu.expireSession(),
        ...serverFaults(emu.server),
        ...streamFaults(emu.server),
      },
      requests: () => emu.server.calls,
      resync: () => (venue.broker as IbkrBroker).resync('the conformance kit asked'),
      async close() {
        if (process.env.IBKR_TRACE) { const t0 = emu.server.calls[0]?.at ?? 0; console.log(emu.server.calls.map((c) => `${c.at - t0} ${c.method} ${c.path} ${c.status}`).join('\n')); }
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    return venue;
  },
};
