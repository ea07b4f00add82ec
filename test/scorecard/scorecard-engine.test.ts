import { describe, expect, it } from 'vitest';
import { nearestRank } from '../../src/engine/scorecard/percentile.js';
import { executionQuality } from '../../src/engine/scorecard/quality.js';
import { scorecard, scorecards } from '../../src/engine/scorecard/scorecard.js';
import type { ScorecardChild, ScorecardFill, ScorecardLeg } from '../../src/engine/scorecard/types.js';

const leg = (over: Partial<ScorecardLeg>): ScorecardLeg => ({ broker: 'b', account: 'A', runId: 'r1', exchange: 'NSE', side: 'buy', ordered: 100, filled: 100, filledValue: 0, arrivalPrice: null, ...over });
const child = (status: string, sentAt: number, acknowledgedAt: number | null, over: Partial<ScorecardChild> = {}): ScorecardChild => ({ broker: 'b', account: 'A', status, sentAt, acknowledgedAt, unknownOutcome: false, ...over });
const fill = (exchange: string, quantity: number, price: number, charges: number | null): ScorecardFill => ({ broker: 'b', account: 'A', exchange, quantity, price, charges });

describe('a scorecard, worked by hand (minor units; positive = cost)', () => {
  const legs = [
    // Buy 100, all filled at P̄ 1002.00 against arrival 1000.00: +20 bps on a value of 100,000.00.
    leg({ side: 'buy', ordered: 100, filled: 100, filledValue: 100 * 100_200, arrivalPrice: 100_000 }),
    // Sell 300, 200 filled at P̄ 498.00 against arrival 500.00: s = −1, −1·200·(498 − 500) = +400.00 on 100,000.00: +40 bps.
    leg({ runId: 'r2', side: 'sell', ordered: 300, filled: 200, filledValue: 200 * 49_800, arrivalPrice: 50_000 }),
    // Nothing filled: counts in the fill rate, not in slippage.
    leg({ runId: 'r2', side: 'buy', ordered: 100, filled: 0, filledValue: 0, arrivalPrice: 20_000 }),
    // No arrival price recorded: no slippage for it.
    leg({ runId: 'r2', side: 'buy', ordered: 50, filled: 50, filledValue: 50 * 10_000, arrivalPrice: null }),
    // USD: buy 10 at 99.50 against 100.00, a gain of −50 bps, never mixed with the rupees.
    leg({ runId: 'r3', exchange: 'NASDAQ', side: 'buy', ordered: 10, filled: 10, filledValue: 10 * 9_950, arrivalPrice: 10_000 }),
  ];
  const children = [child('filled', 1_000, 1_010), child('filled', 2_000, 2_030), child('rejected', 3_000, null), child('cancelled', 4_000, 4_020), child('filled', 5_000, 5_200, { unknownOutcome: true }), child('unknown', 6_000, null, { unknownOutcome: true })];
  const fills = [fill('NSE', 100, 100_200, 2_004), fill('NSE', 200, 49_800, null), fill('NSE', 50, 10_000, 500), fill('NASDAQ', 10, 9_950, 10)];
  const card = scorecard('b', 'A', legs, children, fills);

  it('counts legs, runs, the fill rate over shares and the rates over the child orders sent', () => {
    expect(card).toMatchObject({ runs: 3, legs: 5, ordered: 560, filled: 360, childOrders: 6, rejected: 1, cancelled: 1, unknownOutcomes: 2, unresolved: 1 });
    expect(card.fillRate).toBeCloseTo(360 / 560, 12);
    expect(card.rejectRate).toBeCloseTo(1 / 6, 12);
    expect(card.cancelRate).toBeCloseTo(1 / 6, 12);
  });

  it('measures latency over the directly acknowledged sends: 10, 20, 30 and 200 ms', () => {
    expect(card.latency).toEqual({ measured: 4, p50Ms: 20, p95Ms: 200 });
  });

  it('weighs slippage by the arrival value of what filled, one currency at a time', () => {
    const [inr, usd] = card.currencies;
    // (+20,000 + 40,000) paise of cost on 10,000,000 + 10,000,000 paise at arrival = +30 bps.
    expect(inr).toMatchObject({ currency: 'INR', legs: 4, slippageLegs: 2, fills: 3, tradedValue: 100 * 100_200 + 200 * 49_800 + 50 * 10_000 });
    expect(inr!.slippageBps).toBeCloseTo(30, 10);
    // Charges: 2,004 + 500 on the 10,020,000 + 500,000 they were booked on; the fill without charges is left out of the base.
    expect(inr).toMatchObject({ charges: 2_504, chargedValue: 10_520_000 });
    expect(inr!.chargesBps).toBeCloseTo((2_504 / 10_520_000) * 10_000, 10);
    expect(usd).toMatchObject({ currency: 'USD', legs: 1, tradedValue: 99_500, charges: 10 });
    expect(usd!.slippageBps).toBeCloseTo(-50, 10);
  });

  it('gives the router its ExecutionQuality: per currency, or weighted by legs across currencies', () => {
    expect(executionQuality(card, 'INR')).toEqual({ legs: 5, slippageBps: expect.closeTo(30, 10), fillRate: card.fillRate, rejectRate: card.rejectRate, latencyMs: 20 });
    expect(executionQuality(card, 'USD')!.slippageBps).toBeCloseTo(-50, 10);
    // 2 INR legs at +30 and 1 USD leg at −50: (60 − 50) / 3.
    expect(executionQuality(card)!.slippageBps).toBeCloseTo(10 / 3, 10);
    expect(executionQuality(scorecard('b', 'A', [], [], []))).toBeUndefined();
    const unfilled = scorecard('b', 'A', [leg({ filled: 0 })], [child('rejected', 1, null)], []);
    expect(executionQuality(unfilled)).toEqual({ legs: 1, slippageBps: 0, fillRate: 0, rejectRate: 1 });
  });

  it('keeps each account apart and totals a broker over its accounts', () => {
    const rows = {
      legs: [leg({ account: 'A', ordered: 10, filled: 10 }), leg({ account: 'B', ordered: 30, filled: 0 }), leg({ broker: 'c', account: 'X', ordered: 5, filled: 5 })],
      children: [child('filled', 0, 5, { account: 'B' })],
      fills: [],
    };
    const { accounts, brokers } = scorecards(rows);
    expect(accounts.map((a) => [a.broker, a.account, a.legs, a.fillRate, a.childOrders])).toEqual([
      ['b', 'A', 1, 1, 0],
      ['b', 'B', 1, 0, 1],
      ['c', 'X', 1, 1, 0],
    ]);
    expect(brokers.map((b) => [b.broker, b.account, b.legs, b.fillRate])).toEqual([
      ['b', null, 2, 10 / 40],
      ['c', null, 1, 1],
    ]);
  });
});

describe('nearest-rank percentiles', () => {
  it('is always a value of the sample', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank([7], 95)).toBe(7);
    expect(nearestRank([1, 2, 3, 4], 50)).toBe(2);
    expect(nearestRank(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(nearestRank(Array.from({ length: 20 }, (_, i) => i + 1), 95)).toBe(19);
  });
});
