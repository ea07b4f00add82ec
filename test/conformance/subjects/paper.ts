import type { OrderStatus } from '../../../src/domain/order.js';
import { openDatabase } from '../../../src/app/database.js';
import { brokerRegistration } from '../../../src/brokers/index.js';
import { createPaperBroker, resetPaperAccount, type PaperBroker } from '../../../src/brokers/paper/index.js';
import type { PaperInstrument } from '../../../src/brokers/paper/universe.js';
import type { PaperOrder } from '../../../src/brokers/paper/paper-records.js';
import type { PlacementFaults, CallFaults } from '../../../src/brokers/paper/faults.js';
import { WallClock } from '../../../src/engine/clock/index.js';
import { INDIA_KIT_MARKET, type KitMarket } from '../kit-market.js';
import { until } from '../kit.js';
import type { ConformanceSubject, Venue, VenueAccount } from '../subject.js';

/** The paper broker's words for its states (it reports our status directly; the word is kept for messages). */
const PAPER_STATUSES: { broker: string; ours: OrderStatus }[] = [
  { broker: 'OPEN', ours: 'accepted' },
  { broker: 'TRIGGER PENDING', ours: 'accepted' },
  { broker: 'COMPLETE', ours: 'filled' },
  { broker: 'CANCELLED', ours: 'cancelled' },
  { broker: 'REJECTED', ours: 'rejected' },
  { broker: 'EXPIRED', ours: 'expired' },
];

/**
 * The parts of the paper broker a test drives as the exchange would (its market fills and ends
 * orders), reached past its Broker face: the simulated market has no wire to drive it through.
 */
interface PaperInternals {
  book: { get(id: string): PaperOrder | undefined; remove(order: PaperOrder): void };
  index: { find(symbol: string, exchange?: string): PaperInstrument | undefined };
  guard: { write<T>(fn: () => T): T };
  records: { order(account: string, id: string): PaperOrder | undefined; updateOrder(order: PaperOrder): void; orderBook(account: string, day: string): PaperOrder[] };
  paperAccount: { today(): string };
  matching: {
    fill(order: PaperOrder, instrument: PaperInstrument, quantity: number, price: number, now: number): void;
    finish(order: PaperOrder, status: OrderStatus, brokerStatus: string, message: string): void;
  };
  faults: { placement(): PlacementFaults; call(): CallFaults; dropsUpdate(): boolean };
}

const WIRE = 'the paper broker is in-process: it has no HTTP answers, connection or order-update socket to break';

/** The built-in paper broker (src/brokers/paper) on the wall clock, with no latency and scripted faults, in one of its markets. */
export const paperSubjectIn = (market: KitMarket): ConformanceSubject => ({
  id: 'paper',
  market,
  registration: async () => brokerRegistration('paper')!,
  statuses: PAPER_STATUSES,
  instrumentKeys: Object.fromEntries([market.first, market.second].map((symbol) => [symbol, `${market.exchange}:${symbol}`])),
  notApplicable: {
    'session: good credentials log in': 'the paper broker has no login: its account lives in the local database',
    'session: bad credentials are refused with a clear auth error': 'the paper broker has no login: its account lives in the local database',
    'session: an expired session is reported as auth': 'the paper broker has no session to expire',
    'engine: an expired session stops the run resumably': 'the paper broker has no session to expire',
    'stream: a cut stream reconnects and resync brings the missed fills once': WIRE,
    'stream: a gap is filled by resync exactly once': 'the paper broker has no resync call: a lost update is re-read by the engine from orders() and trades()',
    'stream: duplicate messages count no fill twice': WIRE,
    'stream: out-of-order messages end in the right state': 'the paper broker delivers its updates in the order they happened, in-process',
    "rate limit: the limiter keeps under the broker's published order rate": 'the paper broker has no client-side limiter: nothing goes over a wire',
    'faults: server errors on reads are retried': 'the paper broker reads its own tables: reads meet no server errors (order calls do, see paper.faults)',
    'faults: a malformed body is a protocol error with a clear message': WIRE,
    'faults: a hung read times out and is retried': WIRE,
    'faults: a hung placement is an unknown outcome': 'covered by the lost placement: the paper broker times a placement out itself (paper.faults.timeoutMs)',
    'faults: the circuit breaker opens after repeated failures': 'the paper broker has no circuit breaker: its failures are drawn, not a failing API',
    'sdk oracle: requests agree with the official SDK': 'the paper broker has no wire format and no SDK',
  },
  async start(account: VenueAccount = {}): Promise<Venue> {
    const store = openDatabase(':memory:');
    const tables = store.brokerTables('paper');
    const clock = new WallClock();
    const holdings = account.holdings ?? [];
    resetPaperAccount(tables, {
      cash: account.cash,
      currency: market.currency,
      holdings: holdings.map((h) => ({ symbol: h.symbol, exchange: market.exchange, quantity: h.quantity, averagePrice: h.averagePrice })),
      reseedMarket: 7,
      now: clock.now(),
    });
    const broker: PaperBroker = createPaperBroker({ tables, clock, seed: 7, config: { latencyMs: 0 } });
    await broker.connect();
    const parts = broker as unknown as PaperInternals;

    // Faults on request instead of drawn: the next placement or call meets what the kit asked for.
    const script = { reset: 0, lose: 0, rateLimited: 0, dropped: 0 };
    const take = (key: keyof typeof script) => (script[key] > 0 ? (script[key]--, true) : false);
    parts.faults.placement = () => ({ rateLimited: take('rateLimited'), unavailable: false, lostBefore: take('lose'), reject: false, lostAfter: take('reset') });
    parts.faults.call = () => ({ rateLimited: take('rateLimited'), unavailable: false });
    parts.faults.dropsUpdate = () => take('dropped');
    Object.defineProperty(parts.faults, 'timeoutMs', { value: 1 });

    const order = (id: string) => parts.book.get(id) ?? parts.records.order(broker.account, id);

    // Today's trades are T+1 holdings at once: the T+1 part of the account is bought here.
    for (const h of holdings.filter((x) => x.t1Quantity > 0)) {
      await broker.placeOrder({ clientOrderId: `seed-${h.symbol}`, symbol: h.symbol, exchange: market.exchange, side: 'buy', type: 'market', quantity: h.t1Quantity, timeInForce: 'day', product: 'delivery' });
      await until(async () => (await broker.holdings()).some((x) => x.symbol === h.symbol && x.t1Quantity >= h.t1Quantity), `the T+1 seed of ${h.symbol}`);
    }

    const venue: Venue = {
      broker,
      market: {
        async fill(id, quantity) {
          const o = parts.book.get(id)!;
          const instrument = parts.index.find(o.symbol, o.exchange)!;
          parts.guard.write(() => parts.matching.fill(o, instrument, quantity, o.limitPrice ?? instrument.referencePrice, clock.now()));
        },
        async reject(id, reason) {
          parts.guard.write(() => parts.matching.finish(parts.book.get(id)!, 'rejected', 'REJECTED', reason));
        },
        async setStatus(id, word) {
          const ours = PAPER_STATUSES.find((s) => s.broker === word)?.ours;
          if (!ours) throw new Error(`the paper broker has no status "${word}"`);
          parts.guard.write(() => {
            const o = order(id)!;
            o.status = ours;
            o.brokerStatus = word;
            parts.records.updateOrder(o);
            if (ours !== 'accepted') parts.book.remove(o);
          });
        },
        bookedOrders: () => parts.records.orderBook(broker.account, parts.paperAccount.today()).length,
      },
      faults: {
        bookThenReset: () => void (script.reset = 1),
        loseNextPlacement: () => void (script.lose = 1),
        rateLimit: (n) => void (script.rateLimited = n),
        dropStreamMessages: (n) => void (script.dropped = n),
      },
      requests: () => [],
      async close() {
        await broker.close();
        store.close();
      },
    };
    return venue;
  },
});

/** The paper broker in the kit's default market (NSE, INR). */
export const paperSubject = paperSubjectIn(INDIA_KIT_MARKET);
