import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY, routeLegs, type RoutingPolicy } from '../../../src/engine/routing/index.js';
import { account, leg, venue } from './routing-fixtures.js';

/** Which account and venue take a leg, and the `why` line that says so. */

const rich = 10_00_00_000_00;
const policy = DEFAULT_ROUTING_POLICY;

describe('the account', () => {
  it('a sell goes where the shares are, and the cheaper broker wins between holders', () => {
    const accounts = [account({ alias: 'main', broker: 'zerodha', role: 'primary', holds: { INFY: 1200 }, flat: 1800 }), account({ alias: 'spouse', broker: 'upstox', holds: { INFY: 1500 }, flat: 4000 })];
    const [d] = routeLegs([leg({ quantity: 1200, side: 'sell' })], accounts, policy);
    expect(d!.parts.map((p) => [p.account, p.exchange, p.quantity, p.charges])).toEqual([['main', 'NSE', 1200, 1800]]);
    expect(d!.why).toBe('main (zerodha) — holds 1,200; ₹18 charges vs ₹40 at spouse; NSE: tighter spread 0.07% vs 0.13%');
  });

  it('equal charges: the better measured quality wins, and says so', () => {
    const accounts = [
      account({ alias: 'main', role: 'primary', cash: rich, quality: { legs: 40, slippageBps: 9, fillRate: 0.99, rejectRate: 0 } }),
      account({ alias: 'spouse', cash: rich, quality: { legs: 40, slippageBps: 2, fillRate: 0.99, rejectRate: 0 } }),
    ];
    const [d] = routeLegs([leg({ quantity: 100 })], accounts, policy);
    expect(d!.parts[0]!.account).toBe('spouse');
    expect(d!.why).toBe('spouse (paper) — slippage 2.0 bps vs 9.0 bps at main; NSE: tighter spread 0.07% vs 0.13%');
  });

  it('recent errors and latency weigh against an account', () => {
    const errors = [account({ alias: 'main', role: 'primary', cash: rich, health: { errorRate: 0.2 } }), account({ alias: 'spouse', cash: rich })];
    expect(routeLegs([leg({ quantity: 100 })], errors, policy)[0]!.why).toBe('spouse (paper) — error rate 0% vs 20% at main; NSE: tighter spread 0.07% vs 0.13%');
    const slow = [account({ alias: 'main', role: 'primary', cash: rich, health: { latencyMs: 900 } }), account({ alias: 'spouse', cash: rich, health: { latencyMs: 100 } })];
    expect(routeLegs([leg({ quantity: 100 })], slow, policy)[0]!.why).toBe('spouse (paper) — latency 100 ms vs 900 ms at main; NSE: tighter spread 0.07% vs 0.13%');
  });

  it('a factor that outweighs higher charges says so', () => {
    const accounts = [
      account({ alias: 'main', role: 'primary', cash: rich, flat: 2000, quality: { legs: 40, slippageBps: 1, fillRate: 1, rejectRate: 0 } }),
      account({ alias: 'spouse', cash: rich, flat: 1000, quality: { legs: 40, slippageBps: 20, fillRate: 1, rejectRate: 0 } }),
    ];
    expect(routeLegs([leg({ quantity: 100 })], accounts, policy)[0]!.why).toBe('main (paper) — slippage 1.0 bps vs 20.0 bps at spouse, despite ₹20 charges vs ₹10 at spouse; NSE: tighter spread 0.07% vs 0.13%');
  });

  it('the one account the hard rules leave says so', () => {
    const accounts = [account({ alias: 'main', cash: rich }), account({ alias: 'spouse', cash: rich, health: { breaker: 'open' } })];
    const d = routeLegs([leg({ quantity: 100 })], accounts, policy)[0]!;
    expect(d.why).toBe('main (paper) — the only eligible account; NSE: tighter spread 0.07% vs 0.13%');
    expect(d.excluded).toEqual([{ account: 'spouse', reason: 'circuit breaker open' }]);
  });

  it('a tie goes to the primary account, then by alias', () => {
    const byRole = [account({ alias: 'alpha', cash: rich }), account({ alias: 'zeta', role: 'primary', cash: rich })];
    expect(routeLegs([leg({ quantity: 10 })], byRole, policy)[0]!.why).toBe('zeta (paper) — tie with alpha (paper): primary first; NSE: tighter spread 0.07% vs 0.13%');
    const byAlias = [account({ alias: 'zeta', cash: rich }), account({ alias: 'alpha', cash: rich })];
    expect(routeLegs([leg({ quantity: 10 })], byAlias, policy)[0]!.parts[0]!.account).toBe('alpha');
  });

  it('an account’s buys may use the proceeds of its own sells in the plan, never more', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: 0, holds: { INFY: 100 }, flat: 0 }), account({ alias: 'spouse', cash: 0, flat: 0 })];
    const tcs = (quantity: number) => leg({ key: `TCS-${quantity}`, symbol: 'TCS', quantity, price: 1000_00, venues: [venue('NSE', 1000_00, 1000_00)] });
    // The buy is listed first: sells are routed first all the same. INFY sells at the NSE bid, ₹1,499.50.
    const decisions = routeLegs([tcs(149), leg({ quantity: 100, side: 'sell' }), tcs(1)], accounts, policy);
    expect(decisions.map((d) => d.parts.map((p) => `${p.account} ${p.quantity}`))).toEqual([['main 149'], ['main 100'], []]);
    expect(decisions[2]!.excluded).toContainEqual({ account: 'main', reason: 'cash ₹950 short of ₹1,000' });
  });
});

describe('the venue', () => {
  it('the tighter spread wins; equal spreads, the deeper book', () => {
    const accounts = [account({ alias: 'main', cash: rich })];
    const bseTighter = leg({ quantity: 100, venues: [venue('NSE', 1499_00, 1501_00), venue('BSE', 1499_80, 1500_20)] });
    expect(routeLegs([bseTighter], accounts, policy)[0]!.why).toBe('main (paper) — BSE: tighter spread 0.03% vs 0.13%');
    const bseDeeper = leg({ quantity: 100, venues: [venue('NSE', 1499_50, 1500_50, 500), venue('BSE', 1499_50, 1500_50, 5000)] });
    expect(routeLegs([bseDeeper], accounts, policy)[0]!.why).toBe('main (paper) — BSE: deeper book 5,000 vs 500');
  });

  it('a venue without a two-sided quote is used only when it must be', () => {
    const accounts = [account({ alias: 'main', cash: rich })];
    const d = routeLegs([leg({ quantity: 100, venues: [venue('NSE', 0, 0, 0), venue('BSE', 1499_00, 1501_00)] })], accounts, policy)[0]!;
    expect(d.why).toBe('main (paper) — BSE: quoted, NSE has no two-sided quote');
    const only = routeLegs([leg({ quantity: 100, venues: [venue('NSE', 0, 0, 0)] })], accounts, policy)[0]!;
    expect(only.parts.map((p) => [p.exchange, p.halfSpread])).toEqual([['NSE', 37_500]]);
  });

  it('an account restricted to one exchange uses it; a one-venue leg names no venue', () => {
    const bseOnly = [account({ alias: 'main', cash: rich, permissions: { exchanges: ['BSE'] } })];
    expect(routeLegs([leg({ quantity: 10 })], bseOnly, policy)[0]!.why).toBe('main (paper) — BSE: the only one of NSE, BSE main trades');
    const us = [account({ alias: 'ira', cash: rich, capabilities: { exchanges: ['NASDAQ'] } })];
    const d = routeLegs([leg({ quantity: 10, symbol: 'AAPL', venues: [venue('NASDAQ', 190_00, 190_02)] })], us, policy)[0]!;
    expect(d.parts.map((p) => p.exchange)).toEqual(['NASDAQ']);
    expect(d.why).toBe('ira (paper) — the only account');
  });
});

describe('splitting', () => {
  const big = (depthNse: number, depthBse: number, quantity = 30_000) => leg({ quantity, venues: [venue('NSE', 1499_50, 1500_50, depthNse), venue('BSE', 1499_00, 1501_00, depthBse)] });

  it('a leg larger than the displayed depth is split across venues when that lowers expected cost', () => {
    const d = routeLegs([big(20_000, 8_000)], [account({ alias: 'main', cash: rich, flat: 2000 })], policy)[0]!;
    expect(d.parts.map((p) => [p.exchange, p.quantity])).toEqual([['NSE', 20_625], ['BSE', 9_375]]);
    expect(d.why).toBe('split 2 ways: main (paper) 20,625 NSE + 9,375 BSE — lower expected cost ₹29,373.11 vs ₹1,15,242.97 in one order (main on NSE)');
  });

  it('a leg larger than the depth of its one venue is not split across accounts that cost the same: the impact is the venue\'s', () => {
    // Two accounts with the same proportional charges on one venue: a split saves nothing, and it would cost a second order.
    const nseOnly = { exchanges: ['NSE' as const] };
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich, flat: 0, bps: 3, capabilities: nseOnly }), account({ alias: 'spouse', cash: rich, flat: 0, bps: 3, capabilities: nseOnly })];
    for (const quantity of [1_239, 3_777, 12_345, 30_000]) {
      const d = routeLegs([leg({ quantity, venues: [venue('NSE', 1499_50, 1500_50, 1_000)] })], accounts, policy)[0]!;
      expect(d.parts.map((p) => [p.account, p.quantity]), String(quantity)).toEqual([['main', quantity]]);
    }
  });

  it('a sell larger than any one holding is split across the holders', () => {
    const accounts = [account({ alias: 'main', role: 'primary', holds: { INFY: 800 } }), account({ alias: 'spouse', holds: { INFY: 500 }, flat: 4000 })];
    const d = routeLegs([leg({ quantity: 1200, side: 'sell' })], accounts, policy)[0]!;
    expect(d.parts.map((p) => [p.account, p.quantity])).toEqual([['main', 800], ['spouse', 400]]);
    expect(d.why).toBe('split 2 ways: main (paper) 800 NSE, spouse (paper) 400 NSE — no single account holds 1,200 INFY');
  });

  it('parts are whole lots and never below the minimum part', () => {
    const accounts = [account({ alias: 'main', holds: { INFY: 950 } }), account({ alias: 'spouse', holds: { INFY: 1000 } })];
    const strict: RoutingPolicy = { ...policy, split: { enabled: true, minQuantity: 300 } };
    const d = routeLegs([leg({ quantity: 1200, side: 'sell', lotSize: 50 })], accounts, strict)[0]!;
    expect(d.parts.reduce((s, p) => s + p.quantity, 0)).toBe(1200);
    for (const p of d.parts) {
      expect(p.quantity % 50).toBe(0);
      expect(p.quantity).toBeGreaterThanOrEqual(300);
    }
  });

  it('a leg that is not whole lots is never split: no single account, no route', () => {
    const accounts = [account({ alias: 'main', holds: { INFY: 600 } }), account({ alias: 'spouse', holds: { INFY: 600 } })];
    const d = routeLegs([leg({ quantity: 1010, side: 'sell', lotSize: 25 })], accounts, policy)[0]!;
    expect(d.parts).toEqual([]);
    expect(d.why).toBe('refused: no single account can take 1,010, and it is not whole lots of 25 to split — main: holds 600 of 1,010 INFY; spouse: holds 600 of 1,010 INFY');
  });

  it('max-share spreads a leg over accounts', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich }), account({ alias: 'spouse', cash: rich })];
    const capped: RoutingPolicy = { ...policy, rules: [{ kind: 'max-share', account: 'main', share: 0.6 }] };
    const d = routeLegs([leg({ quantity: 1000 })], accounts, capped)[0]!;
    expect(d.parts.map((p) => [p.account, p.quantity])).toEqual([['spouse', 1000]]);
    const bothCapped: RoutingPolicy = { ...policy, rules: [{ kind: 'max-share', account: 'main', share: 0.6 }, { kind: 'max-share', account: 'spouse', share: 0.5 }] };
    const split = routeLegs([leg({ quantity: 1000 })], accounts, bothCapped)[0]!;
    expect(split.parts.map((p) => [p.account, p.quantity])).toEqual([['main', 600], ['spouse', 400]]);
    expect(split.why).toContain('max-share rules keep each account below 1,000');
  });
});
