import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BrokerEvent } from '../../src/brokers/broker.js';
import { BrokerError, type BrokerErrorKind } from '../../src/domain/errors/broker-error.js';
import type { Exchange, Instrument } from '../../src/domain/instrument.js';
import type { OrderRequest, OrderType } from '../../src/domain/order.js';
import { INDIA_KIT_MARKET, type KitMarket } from './kit-market.js';
import type { ConformanceSubject, Venue, VenueAccount, VenueFaults } from './subject.js';

/**
 * Every case of the kit by name. A subject's `notApplicable` keys are these names (a key that
 * names no case fails the kit, so a typo cannot hide a case).
 */
export const CASES = [
  'session: good credentials log in',
  'session: bad credentials are refused with a clear auth error',
  'session: an expired session is reported as auth',
  'engine: an expired session stops the run resumably',
  'engine: every algorithm trades its leg through the adapter',
  'instruments: symbols map to broker keys, with lot and tick',
  'instruments: an unknown symbol is absent',
  'engine: an unknown symbol stops the plan with exit 2 before anything is sent',
  'snapshot: holdings with T+1, positions and funds in integer minor units',
  "snapshot: today's delivery buy shows in holdings or positions",
  "placement: our client id travels in the broker's reference field",
  'placement: every supported order type',
  'placement: an unsupported order type is refused before sending',
  "placement: a client id outside the broker's rules is refused before sending",
  'unknown outcome: an order booked before a reset is found by client id',
  'unknown outcome: a lost placement is absent, and sent again it is booked once',
  'status: every documented status maps to ours',
  'fills: partial fills add up and no trade is reported twice',
  "reject: the broker's reason is kept",
  'cancel: a working order is cancelled',
  'modify: quantity and price change',
  'stream: order and trade events arrive',
  'stream: a cut stream reconnects and resync brings the missed fills once',
  'stream: a gap is filled by resync exactly once',
  'stream: duplicate messages count no fill twice',
  'stream: out-of-order messages end in the right state',
  'rate limit: a rate-limit answer is backed off or surfaced as rate_limited',
  "rate limit: the limiter keeps under the broker's published order rate",
  'faults: server errors on reads are retried',
  'faults: a malformed body is a protocol error with a clear message',
  'faults: a hung read times out and is retried',
  'faults: a hung placement is an unknown outcome',
  'faults: the circuit breaker opens after repeated failures',
  'sdk oracle: requests agree with the official SDK',
] as const;

export type CaseName = (typeof CASES)[number];

/** The per-request timeout every venue of the kit runs with: hung calls end quickly. */
export const KIT_TIMEOUT_MS = 200;

/** Where a subject's cases trade: its own market, or India. */
export function kitMarket(subject: Pick<ConformanceSubject, 'market'>): KitMarket {
  return subject.market ?? INDIA_KIT_MARKET;
}

/** The account every venue of the kit starts with, in the market's minor units (a crore of paise, a million dollars). */
export function kitAccount(subject: Pick<ConformanceSubject, 'market'>, changes: Partial<VenueAccount> = {}): VenueAccount {
  const market = kitMarket(subject);
  return {
    cash: 100_000_000,
    holdings: [{ symbol: market.first, quantity: 10, t1Quantity: 5, averagePrice: market.holdingPrice }],
    partialFills: false,
    timeoutMs: KIT_TIMEOUT_MS,
    rateLimit: false,
    ...changes,
  };
}

/** The market each started venue trades in, so a case can price its instruments by role. */
const venueMarkets = new WeakMap<Venue, KitMarket>();

async function startVenue(subject: ConformanceSubject, account: VenueAccount): Promise<Venue> {
  const venue = await subject.start(account);
  venueMarkets.set(venue, kitMarket(subject));
  return venue;
}

/** What a case needs of the venue: a fault switch, the login, the resync call. */
export type Need = { fault: keyof VenueFaults } | { member: 'login' | 'resync' } | undefined;

/** A venue the case starts for itself and closes after: cases that break their venue, or wait on the broker's limits. */
export interface OwnVenue {
  own: VenueAccount;
}

/** Cases with a venue of their own, registered together by `registerOwnVenueCases` so they run side by side. */
const ownVenueCases: (() => void)[] = [];

/**
 * Registers one case. Where the subject names it not applicable, the case is skipped with the
 * reason in its name; where the venue lacks what the case needs and the subject gives no reason,
 * the case fails: nothing is skipped silently.
 */
export function kitCase(
  subject: ConformanceSubject,
  name: CaseName,
  need: Need | Need[],
  body: (venue: () => Venue) => Promise<void>,
  venue: (() => Venue) | OwnVenue,
  timeout = 15_000,
): void {
  const reason = subject.notApplicable?.[name];
  const checkNeeds = (v: () => Venue) => {
    const missing = [need].flat().some(Boolean) ? unmetNeed(subject, name, need, v()) : undefined;
    if (missing) throw new Error(missing);
  };
  if (typeof venue === 'function') {
    if (reason !== undefined) it.skip(`${name} — not applicable: ${reason}`, () => undefined);
    else
      it(
        name,
        async () => {
          checkNeeds(venue);
          await body(venue);
        },
        timeout,
      );
    return;
  }
  ownVenueCases.push(() => {
    if (reason !== undefined) it.skip(`${name} — not applicable: ${reason}`, () => undefined);
    else
      it.concurrent(
        name,
        () =>
          withVenue(subject, venue.own, async (v) => {
            checkNeeds(() => v);
            await body(() => v);
          }),
        timeout,
      );
  });
}

/** Why a case cannot run on this venue: a fault switch or member it needs is absent (the subject gave no reason, or the case would be skipped). */
export function unmetNeed(subject: Pick<ConformanceSubject, 'id'>, name: CaseName, need: Need | Need[], venue: Venue): string | undefined {
  for (const n of [need].flat()) {
    if (!n || ('fault' in n ? venue.faults[n.fault] !== undefined : venue[n.member] !== undefined)) continue;
    const what = 'fault' in n ? `faults.${n.fault}` : n.member;
    return `${subject.id} lacks ${what} and its notApplicable gives no reason for "${name}"`;
  }
  return undefined;
}

/** The `notApplicable` entries that name no case of the kit, or give no reason. */
export function badNotApplicable(subject: Pick<ConformanceSubject, 'notApplicable'>): string[] {
  const known = new Set<string>(CASES);
  return Object.entries(subject.notApplicable ?? {}).flatMap(([name, reason]) => [
    ...(known.has(name) ? [] : [`"${name}" is not a case of the kit`]),
    ...(reason.trim().length < 10 ? [`"${name}" gives no reason`] : []),
  ]);
}

/** Registers, side by side, the cases with a venue of their own that the groups declared. */
export function registerOwnVenueCases(): void {
  for (const register of ownVenueCases.splice(0)) register();
}

/** One venue for a group of cases that do not disturb each other. */
export function sharedVenue(subject: ConformanceSubject, account: VenueAccount = kitAccount(subject)): () => Venue {
  let venue: Venue | undefined;
  beforeAll(async () => {
    venue = await startVenue(subject, account);
  });
  afterAll(async () => {
    await venue?.close();
  });
  return () => {
    if (!venue) throw new Error(`${subject.id}: the venue did not start`);
    return venue;
  };
}

/** A venue of its own for each case that breaks it (an open circuit, an expired session). */
export async function withVenue<T>(subject: ConformanceSubject, account: VenueAccount, work: (venue: Venue) => Promise<T>): Promise<T> {
  const venue = await startVenue(subject, account);
  try {
    return await work(venue);
  } finally {
    await venue.close();
  }
}

/** Waits until `check` holds; the limit only turns a hang into a failure, no assertion depends on it. */
export async function until<T>(check: () => T | Promise<T>, what: string, limitMs = 5_000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The error a call throws (the case fails when it does not throw). */
export async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, it succeeded');
}

export function expectBrokerError(err: unknown, kind: BrokerErrorKind | BrokerErrorKind[]): asserts err is BrokerError {
  expect(err, String(err)).toBeInstanceOf(BrokerError);
  const kinds = Array.isArray(kind) ? kind : [kind];
  expect(kinds, (err as Error).message).toContain((err as BrokerError).kind);
}

let sequence = 0;

/** A client order id unique in this process and within every broker's rules (letters and digits, short). */
export function clientId(tag: string): string {
  sequence++;
  return `K${tag}${sequence.toString(36)}${(Date.now() % 1_000_000).toString(36)}`.slice(0, 18);
}

/** Rounds to the instrument's tick (towards the passive side for `down`). */
export function onTick(price: number, tick: number, down = true): number {
  return (down ? Math.floor(price / tick) : Math.ceil(price / tick)) * tick;
}

export interface Priced {
  instrument: Instrument;
  bid: number;
  ask: number;
  last: number;
}

const pricedByVenue = new WeakMap<Venue, Map<string, Promise<Priced>>>();

/** The market's `first` (held) or `second` instrument, and its quote, read once per venue (quotes have the tightest rate limits). */
export function priced(venue: Venue, role: 'first' | 'second'): Promise<Priced> {
  const market = venueMarkets.get(venue);
  if (!market) throw new Error('the venue was not started by the kit');
  const symbol = market[role];
  let known = pricedByVenue.get(venue);
  if (!known) pricedByVenue.set(venue, (known = new Map()));
  let found = known.get(symbol);
  if (!found) known.set(symbol, (found = readPriced(venue, { symbol, exchange: market.exchange })));
  return found;
}

async function readPriced(venue: Venue, ref: { symbol: string; exchange: Exchange }): Promise<Priced> {
  const [instrument] = await venue.broker.instruments([ref]);
  if (!instrument) throw new Error(`${venue.broker.id} does not know ${ref.exchange}:${ref.symbol}`);
  const [quote] = await venue.broker.quotes([ref]);
  if (!quote) throw new Error(`${venue.broker.id} has no quote for ${ref.exchange}:${ref.symbol}`);
  return { instrument, bid: quote.bid, ask: quote.ask, last: quote.last };
}

/**
 * A buy that rests in the book: a limit well below the market (or a stop well above it), so
 * nothing fills it until the test says so.
 */
export function restingBuy(p: Priced, clientOrderId: string, type: OrderType = 'limit', quantity = 4): OrderRequest {
  const tick = p.instrument.tickSize;
  const below = onTick(p.bid * 0.9, tick);
  const above = onTick(p.ask * 1.1, tick, false);
  const request: OrderRequest = {
    clientOrderId,
    symbol: p.instrument.symbol,
    exchange: p.instrument.exchange,
    side: 'buy',
    type,
    quantity,
    timeInForce: 'day',
    product: 'delivery',
  };
  if (type === 'limit') request.limitPrice = below;
  if (type === 'stop' || type === 'stop_limit') request.triggerPrice = above;
  if (type === 'stop_limit') request.limitPrice = above + 10 * tick;
  // A buy trailing stop 10 % above the market rests unless the price rises that far.
  if (type === 'trailing_stop') request.trail = { price: onTick(p.ask * 0.1, tick, false) };
  return request;
}

/** Places a resting buy and waits until the broker reports it working. */
export async function placeResting(venue: Venue, p: Priced, tag: string, quantity = 4): Promise<{ id: string; clientOrderId: string }> {
  const clientOrderId = clientId(tag);
  const { brokerOrderId } = await venue.broker.placeOrder(restingBuy(p, clientOrderId, 'limit', quantity));
  await until(async () => (await venue.broker.findOrderByClientId(clientOrderId))?.status === 'accepted', `${clientOrderId} working`);
  return { id: brokerOrderId, clientOrderId };
}

/** Every event the broker emits from now on. */
export function recordEvents(venue: Venue): { events: BrokerEvent[]; stop: () => void } {
  const events: BrokerEvent[] = [];
  const stop = venue.broker.subscribe((e) => events.push(e));
  return { events, stop };
}

/** The trades among `events` for one order. */
export function tradesOf(events: BrokerEvent[], brokerOrderId: string) {
  return events.flatMap((e) => (e.type === 'trade' && e.trade.brokerOrderId === brokerOrderId ? [e.trade] : []));
}
