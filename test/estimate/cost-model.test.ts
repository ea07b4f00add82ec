import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCostModel } from '../../src/app/loaders/cost-model.js';
import { chooseAlgorithm } from '../../src/engine/estimate/auto-choice.js';
import type { CostModel } from '../../src/engine/estimate/cost-model.js';
import { executionStyle } from '../../src/engine/estimate/execution-style.js';
import { expectedHorizonMs } from '../../src/engine/estimate/horizon.js';
import { estimateLegCost, totalCost } from '../../src/engine/estimate/leg-estimate.js';
import { horizonVolumeShare, sessionClock, type MarketFacts } from '../../src/engine/estimate/market-facts.js';

const shipped: CostModel = parseCostModel(readFileSync(new URL('../../data/estimate/cost-model.json', import.meta.url), 'utf8'), 'shipped');
const model: CostModel = { ...shipped, temporary_impact: 0.5, permanent_impact: 0.1 };
const HOUR = 3_600_000;
/** σ_daily = 0.02 exactly; a flat volume profile over a 6-hour session, at the open. */
const facts: MarketFacts = {
  price: 10_000,
  spread: 10,
  adv: 1_000_000,
  volatility: 0.02 * Math.sqrt(252),
  sessionLengthMs: 6 * HOUR,
  sessionPosition: 0,
  sessionRemainingMs: 6 * HOUR,
  volumeProfile: (s) => Math.min(1, Math.max(0, s)),
};

describe('the pre-trade cost of a leg (hand-computed)', () => {
  it('half spread + η·σ·√(Q/V_h) + ½·γ·σ·Q/ADV, and σ·√(T/3) of price risk, in bps and minor units', () => {
    // 50,000 shares = 5% of ADV over 3 h = half the day's volume → 10% participation.
    const e = estimateLegCost({ quantity: 50_000, decisionPrice: 10_000, horizonMs: 3 * HOUR }, facts, model);
    expect(e.advPct).toBeCloseTo(5, 10);
    expect(e.horizonVolumePct).toBeCloseTo(10, 10);
    expect(e.halfSpreadBps).toBeCloseTo(5, 10);
    expect(e.temporaryImpactBps).toBeCloseTo(0.5 * 0.02 * Math.sqrt(0.1) * 10_000, 8); // 31.623
    expect(e.permanentImpactBps).toBeCloseTo(1, 8);
    expect(e.costBps).toBeCloseTo(5 + 31.6227766 + 0.5, 5);
    expect(e.stdBps).toBeCloseTo(0.02 * Math.sqrt(0.5 / 3) * 10_000, 8); // 81.65
    // Value 50,000 × ₹100.00 = 5e8 paise; 37.1228 bps of it.
    expect(e.costMinor).toBe(1_856_139);
    expect(e.stdMinor).toBe(Math.round(81.6496580927726 * 5e4));
    expect(e.defaulted).toEqual([]);
  });

  it('a leg whose orders rest at the touch pays the passive share of the half spread and the passive η', () => {
    const passive = { ...model, passive: { spread_paid: -0.5, temporary_impact: 0.1 } };
    const e = estimateLegCost({ quantity: 50_000, decisionPrice: 10_000, horizonMs: 3 * HOUR, style: 'passive' }, facts, passive);
    expect(e.style).toBe('passive');
    expect(e.halfSpreadBps).toBeCloseTo(5, 10);
    expect(e.spreadCostBps).toBeCloseTo(-2.5, 10);
    expect(e.temporaryImpactBps).toBeCloseTo(0.1 * 0.02 * Math.sqrt(0.1) * 10_000, 8); // 6.325
    expect(e.costBps).toBeCloseTo(-2.5 + 6.32455532 + 0.5, 5);
    // Without a passive section every leg is priced as taking.
    const { passive: _shipped, ...takingOnly } = model;
    expect(estimateLegCost({ quantity: 50_000, decisionPrice: 10_000, horizonMs: 3 * HOUR, style: 'passive' }, facts, takingOnly).costBps).toBeCloseTo(5 + 31.6227766 + 0.5, 5);
  });

  it('the style of a leg: limit children at or behind the touch rest, market orders and children take, so do limits priced past the touch', () => {
    const spec = (algo: string, orderType: 'market' | 'limit', params: Record<string, string | number> = {}) => ({ algo, orderType, params });
    expect(executionStyle(spec('twap', 'limit'))).toBe('passive');
    expect(executionStyle(spec('vwap', 'limit', { offset_bps: -2 }))).toBe('passive');
    expect(executionStyle(spec('limit', 'limit'))).toBe('passive');
    expect(executionStyle(spec('twap', 'limit', { offset_bps: 3 }))).toBe('taking');
    expect(executionStyle(spec('twap', 'limit', { child_type: 'market' }))).toBe('taking');
    expect(executionStyle(spec('market', 'market'))).toBe('taking');
  });

  it('what the broker does not give comes from the defaults, and without ADV there is no impact estimate', () => {
    const e = estimateLegCost({ quantity: 1_000, decisionPrice: 10_000, horizonMs: HOUR }, { ...facts, spread: undefined, volatility: undefined, adv: undefined }, model);
    expect(e.defaulted).toEqual(['spread', 'volatility', 'adv']);
    expect(e.halfSpreadBps).toBe(model.defaults.spread_bps / 2);
    expect([e.advPct, e.horizonVolumePct, e.temporaryImpactBps, e.permanentImpactBps]).toEqual([null, null, 0, 0]);
    expect(e.stdBps).toBeCloseTo((model.defaults.volatility / Math.sqrt(252)) * Math.sqrt(1 / 6 / 3) * 10_000, 8);
  });

  it('the run total adds costs and adds standard deviations in quadrature', () => {
    const leg = (costMinor: number, stdMinor: number) => ({ estimate: { costMinor, stdMinor } as never, value: 1_000_000 });
    const t = totalCost([leg(300, 3_000), leg(100, 4_000)]);
    expect([t.costMinor, t.stdMinor, t.valueMinor]).toEqual([400, 5_000, 2_000_000]);
    expect([t.costBps, t.stdBps]).toEqual([2, 25]);
  });

  it('the volume of a horizon follows the profile and carries on past the close into the next session', () => {
    const u = { ...facts, volumeProfile: (s: number) => s * s, sessionPosition: 0.5 };
    expect(horizonVolumeShare(u, 1.5 * HOUR)).toBeCloseTo(0.75 ** 2 - 0.25, 10);
    expect(horizonVolumeShare(u, 6 * HOUR)).toBeCloseTo(1 - 0.25 + 0.25, 10);
  });

  it('a leg trades for its duration, a market order for a minute, POV until the market traded Q/ρ', () => {
    const spec = (algo: string, params: Record<string, string | number> = {}) => ({ algo, orderType: algo === 'market' ? ('market' as const) : ('limit' as const), params });
    expect(expectedHorizonMs(spec('market'), 100, facts)).toBe(60_000);
    expect(expectedHorizonMs(spec('twap', { duration: '2h' }), 100, facts)).toBe(2 * HOUR);
    expect(expectedHorizonMs(spec('vwap'), 100, facts)).toBe(30 * 60_000);
    // 10,000 shares at 10% → 100,000 of market volume = 10% of the day = 36 minutes (flat profile).
    expect(expectedHorizonMs(spec('pov', { rate: 0.1 }), 10_000, facts)).toBe(36 * 60_000);
  });

  it('the session: a real market before the open has the whole session ahead; a simulated one runs back-to-back sessions', () => {
    const open = Date.UTC(2026, 0, 5, 3, 45); // 09:15 IST
    const length = (6 * 60 + 15) * 60_000;
    expect(sessionClock('NSE', open + HOUR, false)).toEqual({ sessionLengthMs: length, sessionPosition: HOUR / length, sessionRemainingMs: length - HOUR });
    expect(sessionClock('NSE', open - HOUR, false).sessionRemainingMs).toBe(length);
    expect(sessionClock('NSE', open + length + HOUR, true).sessionRemainingMs).toBe(length - HOUR);
  });
});

/** `--algo auto`: one row per rule of auto-choice.ts, first match wins. */
describe('--algo auto chooses by size, spread, volatility and the session left', () => {
  const rows: { why: string; quantity: number; facts?: Partial<MarketFacts>; algo: string; params: Record<string, unknown>; reason: RegExp }[] = [
    { why: 'no ADV', quantity: 5_000, facts: { adv: undefined }, algo: 'twap', params: { duration: '30m', slices: 6 }, reason: /no average daily volume/ },
    { why: 'tiny and narrow spread', quantity: 10, facts: { spread: 2 }, algo: 'market', params: {}, reason: /0\.001% of ADV, spread 2\.0 bps: a market order/ },
    // The shortest horizon is 5 minutes: the reason says what share of its volume the leg then is, not the 10% aimed at.
    { why: 'small, but a market order over a minute costs more than waiting', quantity: 100, algo: 'twap', params: { duration: '5m', slices: 4 }, reason: /0\.010% of ADV is [0-9.]+% of the volume in 5m \(the shortest horizon\): TWAP/ },
    { why: 'tiny but a wide spread', quantity: 100, facts: { spread: 50 }, algo: 'twap', params: { duration: '5m', slices: 4 }, reason: /TWAP/ },
    { why: 'fits, calm, short', quantity: 10_000, algo: 'twap', params: { duration: '36m', slices: 7 }, reason: /1\.00% of ADV is 10\.0% of the volume in 36m: TWAP/ },
    { why: 'fits, volatile', quantity: 10_000, facts: { volatility: 0.5 }, algo: 'is', params: { duration: '36m', slices: 7 }, reason: /IS front-loads/ },
    { why: 'fits, half a session or more', quantity: 50_000, algo: 'vwap', params: { duration: '3h', slices: 36 }, reason: /VWAP follows the volume curve/ },
    { why: 'does not fit, ≤ 25% of what is left', quantity: 30_000, facts: { sessionPosition: 0.75, sessionRemainingMs: 1.5 * HOUR }, algo: 'vwap', params: { duration: '1h30m', slices: 18 }, reason: /VWAP to the close at 12\.0%/ },
    { why: 'does not fit at all', quantity: 100_000, facts: { sessionPosition: 0.75, sessionRemainingMs: 1.5 * HOUR }, algo: 'pov', params: { rate: 0.25, duration: '2h24m', cleanup: 'market' }, reason: /POV at 25\.0%, past the close/ },
  ];
  for (const row of rows) {
    it(`${row.why} → ${row.algo}`, () => {
      const chosen = chooseAlgorithm(row.quantity, { ...facts, ...row.facts }, model);
      expect(chosen.execution).toEqual({ algo: row.algo, orderType: row.algo === 'market' ? 'market' : 'limit', params: row.params });
      expect(chosen.reason).toMatch(row.reason);
    });
  }

  it("the run's parameters reach the chosen algorithm when it takes them; its own choice of horizon wins", () => {
    const chosen = chooseAlgorithm(10_000, facts, model, { child_type: 'market', display_qty: 10, duration: '9h' });
    expect(chosen.execution.params).toEqual({ child_type: 'market', duration: '36m', slices: 7 });
  });
});
