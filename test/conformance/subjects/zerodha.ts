import { ZerodhaConfigSchema } from '../../../src/brokers/zerodha/config.js';
import { ZerodhaBroker } from '../../../src/brokers/zerodha/zerodha-broker.js';
import { brokerRegistration } from '../../../src/brokers/index.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { startKiteEmulator } from '../../emulators/kite/index.js';
import { seededRandom } from '../../zerodha/harness.js';
import { until } from '../kit.js';
import type { ConformanceSubject, Venue, VenueAccount } from '../subject.js';
import { kiteSdkOracle } from './zerodha-sdk-oracle.js';

/** Zerodha Kite Connect v3 against the strict Kite emulator (test/emulators/kite). */
export const zerodhaSubject: ConformanceSubject = {
  id: 'zerodha',
  registration: async () => brokerRegistration('zerodha')!,
  // Every status Kite documents (BROKERS.md), each on an order with nothing filled yet.
  statuses: [
    { broker: 'PUT ORDER REQ RECEIVED', ours: 'accepted' },
    { broker: 'VALIDATION PENDING', ours: 'accepted' },
    { broker: 'OPEN PENDING', ours: 'accepted' },
    { broker: 'AMO REQ RECEIVED', ours: 'accepted' },
    { broker: 'OPEN', ours: 'accepted' },
    { broker: 'TRIGGER PENDING', ours: 'accepted' },
    { broker: 'UPDATE', ours: 'accepted' },
    { broker: 'MODIFY VALIDATION PENDING', ours: 'pending_replace' },
    { broker: 'MODIFY PENDING', ours: 'pending_replace' },
    { broker: 'MODIFIED', ours: 'accepted' },
    { broker: 'NOT MODIFIED', ours: 'accepted' },
    { broker: 'CANCEL PENDING', ours: 'pending_cancel' },
    { broker: 'COMPLETE', ours: 'filled' },
    { broker: 'CANCELLED', ours: 'cancelled' },
    { broker: 'CANCELLED AMO', ours: 'cancelled' },
    { broker: 'REJECTED', ours: 'rejected' },
    { broker: 'LAPSED', ours: 'expired' },
    { broker: 'EXPIRED', ours: 'expired' },
  ],
  instrumentKeys: { INFY: 'NSE:INFY', SBIN: 'NSE:SBIN' },
  sdkOracle: kiteSdkOracle,
  async start(account: VenueAccount = {}): Promise<Venue> {
    const emu = await startKiteEmulator({
      cash: account.cash,
      holdings: account.holdings?.map((h) => ({ ...h, exchange: 'NSE' as const })),
      partialFills: account.partialFills ?? false,
      // The kit fills orders itself: no matcher, and no timer moves an order it is driving.
      matchIntervalMs: 0,
      heartbeatMs: 50,
      statusStepMs: 0,
      // Kite's one quote call a second is met by the adapter's limiter; with it off (the kit's default), the server does not count quotes either.
      ...(account.rateLimit === true ? {} : { quotesPerSecond: 1_000 }),
    });
    const settings = ZerodhaConfigSchema.parse({ api_url: emu.url, ws_url: emu.wsUrl, login_url: emu.loginUrl, timeout_ms: account.timeoutMs ?? 2_000, ws_silence_ms: 1_000 });
    const open = (accessToken: string) =>
      new ZerodhaBroker({
        settings,
        apiKey: emu.apiKey,
        apiSecret: emu.apiSecret,
        accessToken,
        clock: new WallClock(),
        random: seededRandom(),
        rateLimit: account.rateLimit ?? true,
        reconnect: { baseMs: 20, maxMs: 80 },
        retryBaseMs: 10,
        circuit: { failureThreshold: 5, coolDownMs: 60_000 },
      });
    const venue: Venue = {
      broker: open('emuaccesstoken0001'),
      market: {
        async fill(id, quantity) {
          emu.state.exchange.completeAcceptance(id);
          const order = emu.state.exchange.order(id)!;
          emu.state.exchange.fill(id, quantity, Math.round(order.price * 100) || emu.state.exchange.instrument(order.exchange, order.tradingsymbol)!.ask);
        },
        async reject(id, reason) {
          emu.state.exchange.completeAcceptance(id);
          emu.state.exchange.putInStatus(id, 'REJECTED', reason);
        },
        async setStatus(id, status) {
          emu.state.exchange.completeAcceptance(id);
          emu.state.exchange.putInStatus(id, status);
        },
        bookedOrders: () => emu.state.exchange.orders().length,
      },
      async login(good) {
        const login = await (await brokerRegistration('zerodha')!.login!)({ api_url: emu.url, login_url: emu.loginUrl, timeout_ms: settings.timeout_ms }, {}, new WallClock());
        const requestToken = emu.state.issueRequestToken();
        const session = await login.logIn({ api_key: emu.apiKey, api_secret: good ? emu.apiSecret : 'not-the-secret' }, { info: () => {}, ask: async () => requestToken });
        const previous = venue.broker;
        venue.broker = open(session.accessToken);
        await venue.broker.connect();
        await previous.close();
      },
      faults: {
        expireSession: () => emu.state.expireTokens(),
        bookThenReset: () => emu.faults.bookThenReset(),
        loseNextPlacement: () => emu.faults.losePlacements(1),
        serverErrors: (count) => emu.faults.serverErrors(count),
        malformedBodies: (count) => emu.faults.malformedBodies(count),
        hang: (count) => emu.faults.hang(count),
        rateLimit: (count) => emu.faults.rateLimit(count),
        dropStream: () => emu.faults.dropWebSocket(),
        dropStreamMessages: (count) => emu.faults.dropWsMessages(count),
        duplicateStreamMessages: (on) => emu.faults.duplicateWsMessages(on),
        reorderStreamMessages: (on) => emu.faults.reorderWsMessages(on),
      },
      requests: () => emu.state.requests,
      resync: () => (venue.broker as ZerodhaBroker).resync('the conformance kit asked'),
      async close() {
        await venue.broker.close();
        await emu.close();
      },
    };
    await venue.broker.connect();
    // The order-update stream is up before the kit acts: updates sent while it connects would be lost to it.
    venue.broker.subscribe(() => undefined);
    await until(() => emu.state.wsClients() > 0, 'the order-update stream');
    return venue;
  },
};
