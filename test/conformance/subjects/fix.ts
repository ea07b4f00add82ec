import '../../../src/brokers/index.js';
import type { FixBroker } from '../../../src/brokers/fix/fix-broker.js';
import { FIX_STATUSES } from '../../../src/brokers/fix/wire-facts.js';
import { brokerRegistration } from '../../../src/brokers/registry.js';
import { startFixEmulator } from '../../emulators/fix/index.js';
import { emulatorBroker } from '../../fix/harness.js';
import type { ConformanceSubject, Venue } from '../subject.js';

const WIRE_ONLY = 'FIX has no HTTP status answers: a failing counterparty drops the session or rejects a message (3, j), both covered by the FIX session tests';

/** FIX 4.4 against its acceptor emulator, on NSE in INR (the session's market is configured, not the protocol's). */
export const fixSubject: ConformanceSubject = {
  id: 'fix',
  registration: async () => brokerRegistration('fix')!,
  statuses: Object.entries(FIX_STATUSES).map(([broker, ours]) => ({ broker, ours })),
  instrumentKeys: { INFY: 'INFY', SBIN: 'SBIN' },
  notApplicable: {
    'rate limit: a rate-limit answer is backed off or surfaced as rate_limited': 'FIX 4.4 has no rate-limit answer; a counterparty throttle refuses with a BusinessMessageReject (j), kept as the rejection reason',
    'faults: server errors on reads are retried': WIRE_ONLY,
    'faults: a malformed body is a protocol error with a clear message': 'a garbled FIX message ends the connection (BodyLength/CheckSum checked), then the session reconnects and resends: covered by the FIX session tests',
    'faults: a hung read times out and is retried': 'FIX reads are request/answer messages on one ordered session: a query unanswered in time is unavailable, and the session is tested by TestRequest instead',
    'faults: the circuit breaker opens after repeated failures': `${WIRE_ONLY}; a session that is down refuses every message unsent`,
    'sdk oracle: requests agree with the official SDK': 'FIX counterparties publish rules of engagement, not an SDK; the emulator checks framing, CompIDs, sequence numbers and required tags instead',
  },
  async start(account = {}): Promise<Venue> {
    const emu = await startFixEmulator({ cash: account.cash, holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NSE' as const })), partialFills: account.partialFills, matchIntervalMs: 0 });
    const cash = (account.cash ?? 100_000_000) / 100;
    // A login opens a new session from scratch: it resets the sequence numbers on its Logon.
    const open = (password: string, fresh = false) => emulatorBroker(emu, { password, rateLimit: account.rateLimit ?? true, settings: { cash, timeout_ms: account.timeoutMs ?? 2_000, reset_on_logon: fresh } });
    const venue: Venue = {
      broker: open(emu.password),
      market: {
        fill: async (id, quantity) => void emu.exchange.fill(id, quantity),
        reject: async (id, reason) => emu.exchange.reject(id, reason),
        setStatus: async (id, word) => emu.setStatus(id, word),
        bookedOrders: () => emu.exchange.orders().length,
      },
      async login(good) {
        // One connection per session: the logged-on one logs out first, as a second Logon of the same CompIDs would be refused.
        await venue.broker.close();
        if (good) emu.faults.renewPassword();
        venue.broker = open(good ? emu.password : 'not-the-password', true);
        try {
          await venue.broker.connect();
        } catch (err) {
          await venue.broker.close();
          venue.broker = open(emu.password, true);
          await venue.broker.connect();
          throw err;
        }
      },
      faults: {
        expireSession: () => emu.faults.expirePassword(),
        bookThenReset: () => emu.faults.bookThenReset(),
        loseNextPlacement: () => emu.faults.hang(1),
        hang: (count) => emu.faults.hang(count),
        dropStream: () => emu.faults.disconnect(),
        dropStreamMessages: (count) => emu.faults.gap(count),
        duplicateStreamMessages: (on) => emu.faults.duplicate(on),
        reorderStreamMessages: (on) => emu.faults.reorder(on),
      },
      requests: () => emu.calls,
      resync: () => (venue.broker as FixBroker).resync('the conformance kit asked'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    return venue;
  },
};
