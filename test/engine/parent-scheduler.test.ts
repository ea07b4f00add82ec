import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/brokers/broker.js';
import { newEvent, type NewEvent } from '../../src/domain/events/index.js';
import type { Instrument, Quote } from '../../src/domain/instrument.js';
import type { Leg } from '../../src/domain/plan.js';
import { VirtualClock } from '../../src/engine/clock/index.js';
import { MarketSampler } from '../../src/engine/runtime/market-sampler.js';
import { ParentScheduler } from '../../src/engine/runtime/parent-scheduler.js';
import { QuoteCache } from '../../src/engine/runtime/quote-cache.js';
import type { Message, RuntimeContext, RuntimeParts } from '../../src/engine/runtime/runtime-context.js';
import { DEFAULT_RUNTIME_OPTIONS } from '../../src/engine/runtime/runtime-options.js';
import { RunState } from '../../src/engine/runtime/runtime-state.js';

const T0 = Date.UTC(2026, 0, 5, 4, 30, 0);
const MIN = 60_000;
const ITC: Instrument = { symbol: 'ITC', exchange: 'NSE', name: 'ITC', currency: 'INR', tickSize: 5, lotSize: 1 };
const QUOTE: Quote = { symbol: 'ITC', exchange: 'NSE', bid: 42_000, ask: 42_005, last: 42_000, volume: 1_000_000, ts: T0 };
/** A limit buy far below the market with a 10-minute horizon: it never fills, so its deadline ends it. */
const LEG: Leg = {
  index: 0, symbol: 'ITC', exchange: 'NSE', side: 'buy', quantity: 100, current: 0, target: 100, limitPrice: 10_000,
  decisionPrice: 42_000, estimatedPrice: 42_005, estimatedValue: 4_200_500,
  execution: { algo: 'limit', orderType: 'limit', params: { duration: '10m' } }, notes: [],
};

/**
 * The leg schedules on their own, without a broker or a store: the scheduler's messages are
 * handled as the runtime's loop would; its children are taken as sent and working, and a
 * cancel as confirmed at once.
 */
function scheduler() {
  const clock = new VirtualClock(T0);
  const events: NewEvent[] = [];
  const cancels: string[] = [];
  const parts = {} as RuntimeParts;
  const broker = { id: 'paper', account: 'TEST', capabilities: { clientOrderId: { maxLength: 40 } }, quotes: async () => [QUOTE] } as unknown as Broker;
  const ctx: RuntimeContext = {
    runId: 'R1', broker, clock, options: DEFAULT_RUNTIME_OPTIONS, run: new RunState(), parts,
    record: (e) => events.push(...e),
    event: (type, payload) => newEvent('R1', type, payload, clock.now()),
    alert: () => undefined, dispatch: () => undefined, begin: () => undefined, settle: () => undefined, failpoint: () => undefined,
    post: (m: Message) => {
      if (m.kind === 'deadline') legs.onDeadline(m.parentId);
      if (m.kind === 'wake') legs.onWake(m.parentId, m.reason);
    },
  };
  const quotes = new QuoteCache(broker, clock, 60 * MIN);
  const legs = new ParentScheduler(ctx, quotes, new MarketSampler(ctx, 5_000), new Map([['NSE:ITC', ITC]]));
  parts.legs = legs;
  parts.sends = { enqueue: (_p, child) => void (child.status = 'accepted'), holds: () => false };
  parts.breakers = { pausedLeg: () => false };
  parts.cancels = {
    cancel: (child, reason) => {
      cancels.push(`${child.clientOrderId}: ${reason}`);
      child.status = 'cancelled';
    },
  };
  const ends = () => events.filter((e) => e.type === 'order.status' && ['expired', 'filled', 'cancelled'].includes((e.payload as { to: string }).to));
  return { clock, ctx, legs, quotes, events, cancels, ends };
}

describe('a leg\'s deadline across pauses', () => {
  it('moves by the time the leg was paused; a pause cancels the deadline timer, so the old one never fires', async () => {
    const s = scheduler();
    await s.quotes.get(ITC);
    s.ctx.record(s.legs.start(LEG, QUOTE));
    const parent = s.ctx.run.parents.get('R1L0')!;
    s.legs.wake(parent, 'start');
    expect(parent.children.map((c) => c.status)).toEqual(['accepted']);

    await s.clock.advance(3 * MIN);
    s.legs.pause(parent);
    await s.clock.advance(2 * MIN);
    s.legs.resume(parent);
    await s.clock.advance(4 * MIN);
    s.legs.pause(parent);
    await s.clock.advance(3 * MIN);
    s.legs.resume(parent);
    const resumed = s.events.filter((e) => e.type === 'leg.resumed').map((e) => e.payload);
    expect(resumed).toEqual([
      { leg: 0, clientOrderId: 'R1L0', pausedMs: 2 * MIN, totalPausedMs: 2 * MIN, deadline: T0 + 12 * MIN },
      { leg: 0, clientOrderId: 'R1L0', pausedMs: 3 * MIN, totalPausedMs: 5 * MIN, deadline: T0 + 15 * MIN },
    ]);
    // Resuming does not place the working order again.
    expect(parent.children).toHaveLength(1);

    // The horizon without pauses (10 min) and the first moved deadline (12 min) pass unnoticed.
    await s.clock.advance(15 * MIN - 12 * MIN - 1);
    expect(s.ends()).toEqual([]);
    await s.clock.advance(1);
    expect(s.cancels).toEqual(['R1L0C1: horizon reached']);
    expect(s.ends().map((e) => [e.marketTs, e.payload])).toEqual([[T0 + 15 * MIN, { clientOrderId: 'R1L0', from: 'accepted', to: 'expired', reason: expect.stringMatching(/^horizon reached with 100 of 100 unfilled: the leg's limit price 100\.00 is below the ask \d+\.\d\d$/) }]]);
  });

  it('a paused leg is not ended by a deadline message already on its way', async () => {
    const s = scheduler();
    await s.quotes.get(ITC);
    s.ctx.record(s.legs.start(LEG, QUOTE));
    const parent = s.ctx.run.parents.get('R1L0')!;
    s.legs.wake(parent, 'start');
    // The deadline and a pause arrive in one step, the pause handled first.
    await s.clock.advance(10 * MIN - 1);
    s.legs.pause(parent);
    s.legs.onDeadline('R1L0');
    expect([s.cancels, s.ends()]).toEqual([[], []]);
  });
});
