import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instrumentKey } from '../../src/domain/instrument.js';
import { toMinor } from '../../src/domain/money.js';
import { checkPlan, type RiskConfig } from '../../src/engine/risk/index.js';
import { config, plan, snapshot, type InstrumentSpec, type LegSpec } from './fixtures.js';

/**
 * Over random plans, accounts and limits: every leg the gate lets through (pass or warn),
 * taken together with all the other legs it lets through, respects every configured limit.
 */
const SYMBOLS = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'FFF'];
const SECTORS = ['IT', 'Banks', 'Energy'];

const scenario = fc
  .record({
    instruments: fc.tuple(
      ...SYMBOLS.map((symbol) =>
        fc.record({
          symbol: fc.constant(symbol),
          price: fc.integer({ min: 20, max: 100_000 }).map((t) => t * 5),
          adv: fc.option(fc.integer({ min: 1_000, max: 10_000_000 }), { nil: undefined }),
          sector: fc.option(fc.constantFrom(...SECTORS), { nil: undefined }),
          lotSize: fc.constantFrom(1, 1, 5, 25),
        }),
      ),
    ),
    held: fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 500 })), { maxLength: 6 }),
    legs: fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 5 }),
        side: fc.constantFrom('buy' as const, 'sell' as const),
        lots: fc.integer({ min: 1, max: 4_000 }),
        drift: fc.integer({ min: -80, max: 80 }),
        limit: fc.boolean(),
      }),
      { maxLength: 25 },
    ),
    cash: fc.integer({ min: 0, max: 2_000_000_000 }),
    limits: fc.record({
      maxQuantity: fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null }),
      maxValue: fc.option(fc.integer({ min: 1_000, max: 20_000_000 }), { nil: null }),
      bandPct: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
      advPct: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
      positionPct: fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }),
      groupPct: fc.option(fc.integer({ min: 5, max: 80 }), { nil: null }),
      turnoverPct: fc.option(fc.integer({ min: 1, max: 300 }), { nil: null }),
      maxOrders: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
      chargesBps: fc.integer({ min: 0, max: 50 }),
      useProceeds: fc.boolean(),
      restricted: fc.subarray(SYMBOLS, { maxLength: 2 }),
    }),
  })
  .map((s) => {
    const instruments: InstrumentSpec[] = s.instruments.map((i) => ({ ...i }));
    const holdings = new Map<string, { quantity: number; t1Quantity: number }>();
    for (const [at, q, t1] of s.held) holdings.set(SYMBOLS[at]!, { quantity: q, t1Quantity: t1 });
    const legs: LegSpec[] = s.legs.map((l) => {
      const inst = instruments[l.at]!;
      const price = Math.max(5, Math.round((inst.price * (1000 + l.drift)) / 1000 / 5) * 5);
      const current = (holdings.get(inst.symbol)?.quantity ?? 0) + (holdings.get(inst.symbol)?.t1Quantity ?? 0);
      return { symbol: inst.symbol, side: l.side, quantity: l.lots * (inst.lotSize ?? 1), price, current, limitPrice: l.limit ? price : undefined };
    });
    const holdingsValue = [...holdings].reduce((sum, [symbol, h]) => sum + (h.quantity + h.t1Quantity) * instruments.find((i) => i.symbol === symbol)!.price, 0);
    const cfg: RiskConfig = config({
      order: { max_quantity: s.limits.maxQuantity, max_value: s.limits.maxValue },
      price_band: { max_pct: s.limits.bandPct },
      liquidity: { max_adv_pct: s.limits.advPct, when_adv_unknown: 'warn' },
      concentration: { max_position_pct: s.limits.positionPct, max_group_pct: s.limits.groupPct },
      run: { max_turnover_pct: s.limits.turnoverPct, max_orders: s.limits.maxOrders },
      buying_power: { charges_bps: s.limits.chargesBps, buffer_pct: 1, use_sell_proceeds: s.limits.useProceeds },
      lists: { restricted: s.limits.restricted },
      duplicates: { window_seconds: 0 },
    });
    return { instruments, holdings, legs, cash: s.cash, accountValue: s.cash + holdingsValue, cfg };
  });

describe('checkPlan properties', () => {
  it('no passing leg violates a configured limit', () => {
    fc.assert(
      fc.property(scenario, ({ instruments, holdings, legs, cash, accountValue, cfg }) => {
        const holdingList = [...holdings].map(([symbol, h]) => ({ symbol, ...h }));
        const p = plan(legs, accountValue, cash);
        const snap = snapshot(instruments, holdingList, cash);
        const result = checkPlan(p, snap, { config: cfg, now: 0 });
        const passing = p.legs.filter((_, i) => result.legs[i]!.verdict !== 'block');
        const inst = new Map(instruments.map((i) => [i.symbol, i]));

        let turnover = 0;
        let buys = 0;
        let sells = 0;
        const sold = new Map<string, number>();
        for (const leg of passing) {
          const i = inst.get(leg.symbol)!;
          expect(cfg.lists.restricted).not.toContain(leg.symbol);
          if (cfg.order.max_quantity !== null) expect(leg.quantity).toBeLessThanOrEqual(cfg.order.max_quantity);
          if (cfg.order.max_value !== null) expect(leg.estimatedValue).toBeLessThanOrEqual(toMinor(cfg.order.max_value));
          expect(leg.quantity % (i.lotSize ?? 1)).toBe(0);
          const aggressiveDiff = leg.side === 'buy' ? leg.estimatedPrice - i.price : i.price - leg.estimatedPrice;
          if (cfg.price_band.max_pct !== null) expect(aggressiveDiff * 100).toBeLessThanOrEqual(cfg.price_band.max_pct * i.price);
          if (cfg.liquidity.max_adv_pct !== null && i.adv) expect(leg.quantity * 100).toBeLessThanOrEqual(cfg.liquidity.max_adv_pct * i.adv);
          if (leg.side === 'buy' && cfg.concentration.max_position_pct !== null) {
            expect((leg.current + leg.quantity) * leg.estimatedPrice * 100).toBeLessThanOrEqual(cfg.concentration.max_position_pct * accountValue);
          }
          if (leg.side === 'sell') {
            sold.set(leg.symbol, (sold.get(leg.symbol) ?? 0) + leg.quantity);
            sells += leg.estimatedValue;
          } else buys += leg.estimatedValue;
          turnover += leg.estimatedValue;
        }
        for (const [symbol, q] of sold) {
          const h = holdings.get(symbol);
          expect(q).toBeLessThanOrEqual((h?.quantity ?? 0) + (h?.t1Quantity ?? 0));
        }
        if (cfg.run.max_orders !== null) expect(passing.length).toBeLessThanOrEqual(cfg.run.max_orders);
        if (cfg.run.max_turnover_pct !== null) expect(turnover * 100).toBeLessThanOrEqual(cfg.run.max_turnover_pct * accountValue);
        if (buys > 0) {
          const available = cash + (cfg.buying_power.use_sell_proceeds ? sells : 0);
          expect(buys + Math.ceil((turnover * cfg.buying_power.charges_bps) / 10_000)).toBeLessThanOrEqual(available);
        }
        if (cfg.concentration.max_group_pct !== null) {
          const legPrice = new Map(p.legs.map((l) => [l.symbol, l.estimatedPrice]));
          const groupValue = new Map<string, number>();
          const add = (symbol: string, value: number) => {
            const sector = inst.get(symbol)!.sector;
            if (sector) groupValue.set(sector, (groupValue.get(sector) ?? 0) + value);
          };
          for (const [symbol, h] of holdings) add(symbol, (h.quantity + h.t1Quantity) * (legPrice.get(symbol) ?? snap.quotes.get(instrumentKey('NSE', symbol))!.last));
          for (const leg of passing) add(leg.symbol, leg.side === 'buy' ? leg.estimatedValue : -leg.quantity * leg.estimatedPrice);
          for (const leg of passing) {
            const sector = inst.get(leg.symbol)!.sector;
            if (leg.side === 'buy' && sector) expect(groupValue.get(sector)! * 100).toBeLessThanOrEqual(cfg.concentration.max_group_pct * accountValue);
          }
        }
      }),
      { seed: 20260105, numRuns: 400 },
    );
  });

  it('the verdict of a leg is block exactly when it has a blocking reason', () => {
    fc.assert(
      fc.property(scenario, ({ instruments, holdings, legs, cash, accountValue, cfg }) => {
        const result = checkPlan(plan(legs, accountValue, cash), snapshot(instruments, [...holdings].map(([symbol, h]) => ({ symbol, ...h })), cash), { config: cfg, now: 0 });
        for (const leg of result.legs) expect(leg.verdict === 'block').toBe(leg.reasons.some((r) => r.level === 'block'));
        expect(result.counts.pass + result.counts.warn + result.counts.block).toBe(legs.length);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
