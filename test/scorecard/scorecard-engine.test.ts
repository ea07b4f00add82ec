import { describe, expect, it } from 'vitest';
import { nearestRank } from '../../src/engine/scorecard/percentile.js';
import { executionQuality } from '../../src/engine/scorecard/quality.js';
import { scorecard, scorecards } from '../../src/engine/scorecard/scorecard.js';
import type { ChildTotals, FillTotals, LegTotals, ScorecardRows } from '../../src/engine/scorecard/types.js';

const keyed = { broker: 'b', account: 'A' };
const legs = (over: Partial<LegTotals>): LegTotals => ({ ...keyed, runId: 'r1', exchange: 'NSE', side: 'buy', legs: 1, ordered: 100, filled: 100, slippageLegs: 0, paidOverArrival: 0, arrivalValue: 0, ...over });
const sent = (over: Partial<ChildTotals>): ChildTotals => ({ ...keyed, latencyMs: null, sent: 0, rejected: 0, cancelled: 0, cancelledOnRequest: 0, unknownOutcomes: 0, unresolved: 0, ...over });
/** `count` sends acknowledged `latencyMs` after they were recorded. */
const acked = (latencyMs: number, count: number, over: Partial<ChildTotals> = {}): ChildTotals => sent({ latencyMs, sent: count, ...over });
const fills = (exchange: string, over: Partial<FillTotals>): FillTotals => ({ ...keyed, exchange, fills: 1, tradedValue: 0, charges: 0, chargedValue: 0, ...over });
const rows = (over: Partial<ScorecardRows>): ScorecardRows => ({ legs: [], children: [], fills: [], ...over });

describe('a scorecard, worked by hand (minor units; positive = cost)', () => {
  const card = scorecard(
    'b',
    'A',
    rows({
      legs: [
        // Buy 100, all filled at P̄ 1002.00 against arrival 1000.00: paid 20,000 paise over 10,000,000 at arrival (+20 bps).
        legs({ side: 'buy', ordered: 100, filled: 100, slippageLegs: 1, paidOverArrival: 100 * (100_200 - 100_000), arrivalValue: 100 * 100_000 }),
        // Two sells of run r2: 300 ordered, 200 filled at 498.00 against 500.00 (−40,000 paid over arrival: +40 bps for a sell), and
        // one of 100 with nothing filled (fill rate only).
        legs({ runId: 'r2', side: 'sell', legs: 2, ordered: 400, filled: 200, slippageLegs: 1, paidOverArrival: 200 * (49_800 - 50_000), arrivalValue: 200 * 50_000 }),
        // USD: buy 10 at 99.50 against 100.00, a gain (−50 bps), never mixed with the rupees.
        legs({ runId: 'r3', exchange: 'NASDAQ', side: 'buy', ordered: 10, filled: 10, slippageLegs: 1, paidOverArrival: 10 * (9_950 - 10_000), arrivalValue: 10 * 10_000 }),
      ],
      // Six sends: two never acknowledged directly (one rejected, one still unknown), one of the four acknowledged later cancelled.
      children: [sent({ sent: 2, rejected: 1, unknownOutcomes: 2, unresolved: 1 }), acked(30, 1, { cancelled: 1, cancelledOnRequest: 1 }), acked(10, 1), acked(200, 1), acked(20, 1)],
      fills: [fills('NSE', { fills: 3, tradedValue: 20_520_000, charges: 2_504, chargedValue: 10_520_000 }), fills('NASDAQ', { tradedValue: 99_500, charges: 10, chargedValue: 99_500 })],
    }),
  );

  it('counts legs, runs, the fill rate over shares and the rates over the child orders sent', () => {
    expect(card).toMatchObject({ runs: 3, legs: 4, ordered: 510, filled: 310, childOrders: 6, rejected: 1, cancelled: 1, cancelledOnRequest: 1, unknownOutcomes: 2, unresolved: 1 });
    expect(card.fillRate).toBeCloseTo(310 / 510, 12);
    expect(card.rejectRate).toBeCloseTo(1 / 6, 12);
    expect(card.cancelRate).toBeCloseTo(1 / 6, 12);
  });

  it('takes latency percentiles over the directly acknowledged sends: 10, 20, 30 and 200 ms', () => {
    expect(card.latency).toEqual({ measured: 4, p50Ms: 20, p95Ms: 200 });
  });

  it('weighs slippage by the arrival value of what filled, one currency at a time', () => {
    const [inr, usd] = card.currencies;
    // (+20,000 + 40,000) paise of cost on 10,000,000 + 10,000,000 paise at arrival = +30 bps.
    expect(inr).toMatchObject({ currency: 'INR', legs: 3, slippageLegs: 2, fills: 3, tradedValue: 20_520_000, charges: 2_504, chargedValue: 10_520_000 });
    expect(inr!.slippageBps).toBeCloseTo(30, 10);
    // Charges are in bps of the value they were booked on, not of fills with none booked.
    expect(inr!.chargesBps).toBeCloseTo((2_504 / 10_520_000) * 10_000, 10);
    expect(usd).toMatchObject({ currency: 'USD', legs: 1, tradedValue: 99_500, charges: 10 });
    expect(usd!.slippageBps).toBeCloseTo(-50, 10);
  });

  it('gives the router its ExecutionQuality: per currency, or weighted by legs across currencies', () => {
    expect(executionQuality(card, 'INR')).toEqual({ legs: 4, slippageBps: expect.closeTo(30, 10), fillRate: card.fillRate, rejectRate: card.rejectRate, latencyMs: 20 });
    expect(executionQuality(card, 'USD')!.slippageBps).toBeCloseTo(-50, 10);
    // 2 INR legs at +30 and 1 USD leg at −50: (60 − 50) / 3.
    expect(executionQuality(card)!.slippageBps).toBeCloseTo(10 / 3, 10);
    expect(executionQuality(scorecard('b', 'A', rows({})))).toBeUndefined();
    const unfilled = scorecard('b', 'A', rows({ legs: [legs({ filled: 0 })], children: [sent({ sent: 1, rejected: 1 })] }));
    expect(executionQuality(unfilled)).toEqual({ legs: 1, slippageBps: 0, fillRate: 0, rejectRate: 1 });
  });

  it('keeps each account apart and totals a broker over its accounts', () => {
    const { accounts, brokers } = scorecards(
      rows({
        legs: [legs({ account: 'A', ordered: 10, filled: 10 }), legs({ account: 'B', ordered: 30, filled: 0 }), legs({ broker: 'c', account: 'X', ordered: 5, filled: 5 })],
        children: [acked(5, 1, { account: 'B' }), acked(7, 2, { account: 'A' })],
      }),
    );
    expect(accounts.map((a) => [a.broker, a.account, a.runs, a.legs, a.fillRate, a.childOrders, a.latency.p50Ms])).toEqual([
      ['b', 'A', 1, 1, 1, 2, 7],
      ['b', 'B', 1, 1, 0, 1, 5],
      ['c', 'X', 1, 1, 1, 0, null],
    ]);
    // The same run id in two accounts is two runs.
    expect(brokers.map((b) => [b.broker, b.account, b.runs, b.legs, b.fillRate, b.latency])).toEqual([
      ['b', null, 2, 2, 10 / 40, { measured: 3, p50Ms: 7, p95Ms: 7 }],
      ['c', null, 1, 1, 1, { measured: 0, p50Ms: null, p95Ms: null }],
    ]);
  });
});

describe('nearest-rank percentiles over counts per value', () => {
  const sample = (values: number[]) => values.map((value) => ({ value, count: 1 }));
  it('is always a value of the sample', () => {
    expect(nearestRank([], 50)).toBeNull();
    expect(nearestRank(sample([7]), 95)).toBe(7);
    expect(nearestRank(sample([1, 2, 3, 4]), 50)).toBe(2);
    expect(nearestRank(sample(Array.from({ length: 100 }, (_, i) => i + 1)), 95)).toBe(95);
    expect(nearestRank(sample(Array.from({ length: 20 }, (_, i) => i + 1)), 95)).toBe(19);
    // 90 sends at 3 ms and 10 at 50 ms: the median is 3, the 95th 50.
    expect([50, 90, 91, 95].map((p) => nearestRank([{ value: 3, count: 90 }, { value: 50, count: 10 }], p))).toEqual([3, 3, 50, 50]);
  });
});
