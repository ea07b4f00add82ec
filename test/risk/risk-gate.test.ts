import { describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../src/domain/order.js';
import type { Leg } from '../../src/domain/plan.js';
import type { OrderGuard } from '../../src/engine/runtime/guards.js';
import { RISK_CHECKED, RiskGate, type HaltReader, type HaltStatus, type RiskRule } from '../../src/engine/risk/index.js';
import { config } from './fixtures.js';

/** Tuesday 10 June 2025, 10:00 IST: NSE is open. */
const OPEN = Date.parse('2025-06-10T10:00:00+05:30');
const INSTRUMENT = { tickSize: 5, lotSize: 1 };
const QUOTE = { bid: 99_995, ask: 100_005, last: 100_000 };

function request(overrides: Partial<OrderRequest> = {}): OrderRequest {
  return { clientOrderId: 'c1', symbol: 'DEEP', exchange: 'NSE', side: 'buy', type: 'limit', quantity: 10, limitPrice: 100_000, timeInForce: 'day', product: 'delivery', ...overrides };
}

function gate(cfg = config(), options: { broker?: string; perSecond?: number; perMinute?: number; halt?: HaltReader } = {}): RiskGate {
  return new RiskGate({
    config: cfg,
    broker: {
      id: options.broker ?? 'zerodha',
      account: 'AB1234',
      capabilities: { orderRate: { perSecond: options.perSecond ?? 1000, perMinute: options.perMinute }, simulatedMarket: options.broker === 'paper' },
    },
    currency: 'INR',
    halt: options.halt,
  });
}

function blocked(result: { reasons: { rule: RiskRule; level: string }[] }, rule: RiskRule): boolean {
  return result.reasons.some((r) => r.rule === rule && r.level === 'block');
}

describe('RiskGate.checkOrder at each boundary', () => {
  it('per-child quantity and value', () => {
    const g = gate(config({ child: { max_quantity: 10, max_value: 10_000 } })); // ₹10,000
    expect(g.checkOrder(request({ quantity: 10 }), { now: OPEN, instrument: INSTRUMENT, quote: QUOTE }).verdict).toBe('pass');
    expect(blocked(g.checkOrder(request({ quantity: 11 }), { now: OPEN, instrument: INSTRUMENT, quote: QUOTE }), 'order_quantity')).toBe(true);
    expect(blocked(g.checkOrder(request({ quantity: 10, limitPrice: 100_005 }), { now: OPEN, instrument: INSTRUMENT, quote: QUOTE }), 'order_value')).toBe(true);
  });

  it('price band against the current quote, for limits and market orders', () => {
    const g = gate(config({ price_band: { max_pct: 5, warn_pct: null } }));
    const ctx = { now: OPEN, instrument: INSTRUMENT, quote: QUOTE };
    expect(g.checkOrder(request({ limitPrice: 105_000 }), ctx).verdict).toBe('pass');
    expect(blocked(g.checkOrder(request({ limitPrice: 105_005 }), ctx), 'price_band')).toBe(true);
    // A market buy is priced at the ask: a wide book is caught.
    const market = request({ type: 'market', limitPrice: undefined });
    expect(g.checkOrder(market, { ...ctx, quote: { bid: 95_000, ask: 105_000, last: 100_000 } }).verdict).toBe('pass');
    expect(blocked(g.checkOrder(market, { ...ctx, quote: { bid: 95_000, ask: 105_005, last: 100_000 } }), 'price_band')).toBe(true);
    expect(blocked(g.checkOrder(market, { now: OPEN, instrument: INSTRUMENT }), 'no_quote')).toBe(true);
  });

  it('restricted list, lot and tick', () => {
    const ctx = { now: OPEN, instrument: { tickSize: 5, lotSize: 5 }, quote: QUOTE };
    expect(blocked(gate(config({ lists: { restricted: ['DEEP'] } })).checkOrder(request(), ctx), 'restricted')).toBe(true);
    expect(gate().checkOrder(request({ quantity: 5 }), ctx).verdict).toBe('pass');
    expect(blocked(gate().checkOrder(request({ quantity: 6 }), ctx), 'lot_size')).toBe(true);
    expect(blocked(gate().checkOrder(request({ quantity: 5, limitPrice: 100_001 }), ctx), 'tick_size')).toBe(true);
  });

  it('trading session: open at 09:15:00 IST, closed a millisecond before, after-market orders pass', () => {
    const g = gate();
    const open = Date.parse('2025-06-10T09:15:00+05:30');
    expect(g.checkOrder(request(), { now: open, instrument: INSTRUMENT, quote: QUOTE }).verdict).toBe('pass');
    expect(blocked(g.checkOrder(request(), { now: open - 1, instrument: INSTRUMENT, quote: QUOTE }), 'session')).toBe(true);
    expect(g.checkOrder(request({ afterMarket: true }), { now: open - 1, instrument: INSTRUMENT, quote: QUOTE }).verdict).toBe('pass');
    const holi = Date.parse('2025-03-14T10:00:00+05:30');
    const onHoliday = g.checkOrder(request(), { now: holi, instrument: INSTRUMENT, quote: QUOTE });
    expect(onHoliday.reasons[0]!.message).toContain('Holi');
    expect(gate(config({ session: { allow_pre_open: true } })).checkOrder(request(), { now: Date.parse('2025-06-10T09:00:00+05:30'), instrument: INSTRUMENT, quote: QUOTE }).verdict).toBe('pass');
  });

  it('the paper broker keeps its own session unless told to follow the exchange', () => {
    const night = Date.parse('2025-06-10T23:00:00+05:30');
    expect(gate(config(), { broker: 'paper' }).checkOrder(request(), { now: night, instrument: INSTRUMENT, quote: QUOTE }).verdict).toBe('pass');
    const following = gate(config({ session: { paper_follows_exchange: true } }), { broker: 'paper' });
    expect(blocked(following.checkOrder(request(), { now: night, instrument: INSTRUMENT, quote: QUOTE }), 'session')).toBe(true);
  });

  it('order rate: per second and per minute, from the broker limits', () => {
    const g = gate(config({ rate: { use_pct: 100 } }), { perSecond: 10, perMinute: 15 });
    const ctx = { now: OPEN, instrument: INSTRUMENT, quote: QUOTE };
    for (let i = 0; i < 10; i++) expect(g.checkOrder(request({ clientOrderId: `c${i}` }), ctx).verdict).toBe('pass');
    const limited = g.checkOrder(request({ clientOrderId: 'c10' }), ctx);
    expect(blocked(limited, 'order_rate')).toBe(true);
    expect(limited.retryAt).toBe(OPEN + 100);
    expect(g.checkOrder(request(), { ...ctx, now: OPEN + 100 }).verdict).toBe('pass');
    // 11 sent; the minute bucket (15) allows 4 more even when the second bucket refills.
    for (let i = 0; i < 4; i++) expect(g.checkOrder(request(), { ...ctx, now: OPEN + 1000 }).verdict).toBe('pass');
    const perMinute = g.checkOrder(request(), { ...ctx, now: OPEN + 1000 });
    expect(blocked(perMinute, 'order_rate')).toBe(true);
    expect(perMinute.retryAt).toBeGreaterThan(OPEN + 1000);
  });

  it('uses only the configured share of the broker limit', () => {
    const g = gate(config({ rate: { use_pct: 80 } }), { perSecond: 10 });
    const ctx = { now: OPEN, instrument: INSTRUMENT, quote: QUOTE };
    for (let i = 0; i < 8; i++) expect(g.checkOrder(request(), ctx).verdict).toBe('pass');
    expect(blocked(g.checkOrder(request(), ctx), 'order_rate')).toBe(true);
  });

  it('blocked orders do not use rate tokens', () => {
    const g = gate(config({ rate: { use_pct: 100 }, lists: { restricted: ['BAD'] } }), { perSecond: 1 });
    const ctx = { now: OPEN, instrument: INSTRUMENT, quote: QUOTE };
    expect(g.checkOrder(request({ symbol: 'BAD' }), ctx).verdict).toBe('block');
    expect(g.checkOrder(request(), ctx).verdict).toBe('pass');
  });

  it('maximum child orders per run', () => {
    const g = gate(config({ run: { max_child_orders: 3 } }));
    const ctx = { now: OPEN, runId: 'r1', instrument: INSTRUMENT, quote: QUOTE };
    for (let i = 0; i < 3; i++) expect(g.checkOrder(request(), ctx).verdict).toBe('pass');
    const over = g.checkOrder(request(), ctx);
    expect(blocked(over, 'run_orders')).toBe(true);
    expect(over.reasons.find((r) => r.rule === 'run_orders')!.message).toMatch(/raise risk\.run\.max_child_orders \(null: no limit\) in the risk section of config\.json or a --risk file/);
    expect(g.checkOrder(request(), { ...ctx, runId: 'r2' }).verdict).toBe('pass');
  });

  it('kill switch blocks everything while halted', () => {
    let status: HaltStatus = { halted: false, cancelOpen: false };
    const g = gate(config(), { halt: { isHalted: () => status } });
    const ctx = { now: OPEN, instrument: INSTRUMENT, quote: QUOTE };
    expect(g.checkOrder(request(), ctx).verdict).toBe('pass');
    status = { halted: true, reason: 'wrong file', at: OPEN, cancelOpen: false };
    const result = g.checkOrder(request(), ctx);
    expect(result.verdict).toBe('block');
    expect(result.reasons[0]).toMatchObject({ rule: 'kill_switch', level: 'block' });
    expect(result.reasons[0]!.message).toContain('wrong file');
  });
});

describe("RiskGate as the runtime's order guard", () => {
  it('fits the runtime interface and returns the audit event to append with the order', () => {
    const guard: OrderGuard = gate(config({ lists: { restricted: ['BAD'] } }));
    const leg = { index: 4 } as Leg;
    const instrument = { symbol: 'BAD', exchange: 'NSE' as const, name: 'BAD', currency: 'INR' as const, tickSize: 5, lotSize: 1 };
    const result = guard.checkOrder(request({ clientOrderId: 'r1-4-7', symbol: 'BAD' }), { runId: 'r1', parentId: 'r1L4', leg, instrument, quote: { ...QUOTE, symbol: 'BAD', exchange: 'NSE', volume: 0, ts: OPEN }, now: OPEN });
    expect(result.verdict).toBe('block');
    expect(result.events).toEqual([
      {
        runId: 'r1',
        type: RISK_CHECKED,
        marketTs: OPEN,
        payload: {
          scope: 'order',
          actor: 'gate',
          leg: 4,
          parentId: 'r1L4',
          clientOrderId: 'r1-4-7',
          symbol: 'BAD',
          exchange: 'NSE',
          side: 'buy',
          quantity: 10,
          verdict: 'block',
          reasons: [{ rule: 'restricted', level: 'block', message: 'NSE:BAD is on the restricted list (risk.lists.restricted)' }],
        },
      },
    ]);
  });
});
