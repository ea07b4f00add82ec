import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY, routeLegs, type RoutingPolicy, type RoutingRule } from '../../../src/engine/routing/index.js';
import { account, leg, venue, type AccountSpec } from './routing-fixtures.js';

/** Every hard rule and every reason an account is left out, each shown in the decision as a PM reads it. */

const rich = 10_00_00_000_00;

function route(spec: Partial<AccountSpec>, legOverrides: Parameters<typeof leg>[0] = { quantity: 100 }, rules: RoutingRule[] = []) {
  const policy: RoutingPolicy = { ...DEFAULT_ROUTING_POLICY, rules };
  const accounts = [account({ role: 'primary', cash: rich, holds: { INFY: 1000 }, ...spec, alias: 'main' }), account({ alias: 'spare', cash: rich, holds: { INFY: 1000 }, flat: 9900 })];
  return routeLegs([leg(legOverrides)], accounts, policy)[0]!;
}

describe('an account left out, with its reason', () => {
  const cases: [string, Partial<AccountSpec>, Parameters<typeof leg>[0], RoutingRule[], string][] = [
    ['circuit breaker open', { health: { breaker: 'open' } }, { quantity: 100 }, [], 'circuit breaker open'],
    ['session unusable', { health: { sessionUsable: false } }, { quantity: 100 }, [], 'session not usable (log in)'],
    ['no orders left', { ordersLeftToday: 0 }, { quantity: 100 }, [], 'no orders left today (rate limit)'],
    ['may not buy', { permissions: { buy: false } }, { quantity: 100 }, [], 'not permitted to buy'],
    ['may not sell', { permissions: { sell: false } }, { quantity: 100, side: 'sell' }, [], 'not permitted to sell'],
    ['order type not permitted', { permissions: { orderTypes: ['market'] } }, { quantity: 100 }, [], 'limit orders not permitted'],
    ['order type not offered', { capabilities: { orderTypes: ['market'] } }, { quantity: 100 }, [], 'broker has no limit orders'],
    ['order class not offered', {}, { quantity: 100, orderClass: 'bracket' }, [], 'broker has no bracket orders'],
    ['no native iceberg', {}, { quantity: 100, nativeIceberg: true }, [], 'broker has no native iceberg'],
    ['no after-market orders', {}, { quantity: 100, afterMarket: true }, [], 'broker takes no after-market orders'],
    ['exchange not traded', { capabilities: { exchanges: ['NYSE'] } }, { quantity: 100 }, [], 'broker trades none of NSE, BSE'],
    ['exchange not permitted', { permissions: { exchanges: ['NYSE'] } }, { quantity: 100 }, [], 'not permitted on NSE, BSE'],
    ['only rule', {}, { quantity: 100 }, [{ kind: 'only', accounts: ['spare'] }], 'not allowed by routing rule only spare'],
    ['never rule for the symbol', {}, { quantity: 100 }, [{ kind: 'never', symbols: ['INFY'], accounts: ['main'] }], 'excluded by routing rule never main for INFY'],
    ['max-share 0', {}, { quantity: 100 }, [{ kind: 'max-share', account: 'main', share: 0 }], 'routing rule max-share 0'],
    ['no shares', { holds: {} }, { quantity: 100, side: 'sell' }, [], 'holds no INFY to sell'],
    ['too few shares', { holds: { INFY: 40 } }, { quantity: 100, side: 'sell' }, [], 'holds 40 of 100 INFY'],
    ['too little cash', { cash: 10_000_00 }, { quantity: 100 }, [], 'cash ₹10,000 short of ₹1,50,070'],
    ['max-share cap', {}, { quantity: 100 }, [{ kind: 'max-share', account: 'main', share: 0.25 }], 'routing rule max-share 25%: at most 25 of 100'],
  ];
  it.each(cases)('%s', (_name, spec, legSpec, rules, reason) => {
    const d = route(spec, legSpec, rules);
    expect(d.excluded).toContainEqual({ account: 'main', reason });
    expect(d.parts.every((p) => p.account === 'spare')).toBe(true);
  });

  it('a rule for other symbols leaves the leg alone', () => {
    const d = route({}, { quantity: 100 }, [{ kind: 'never', symbols: ['TCS'], accounts: ['main'] }]);
    expect(d.parts.map((p) => p.account)).toEqual(['main']);
    expect(d.excluded).toEqual([]);
  });
});

describe('a sell whose charges exceed its proceeds', () => {
  it('goes only to an account whose cash pays the difference', () => {
    // 1 share at ₹5 with ₹20 charges: selling it costs ₹15 of cash.
    const tiny = leg({ quantity: 1, side: 'sell', price: 5_00, venues: [venue('NSE', 5_00, 5_05)] });
    const accounts = [account({ alias: 'main', role: 'primary', cash: 0, holds: { INFY: 1 } }), account({ alias: 'spouse', cash: 10_00, holds: { INFY: 1 } })];
    const refused = routeLegs([tiny], accounts, DEFAULT_ROUTING_POLICY)[0]!;
    expect(refused.parts).toEqual([]);
    expect(refused.why).toBe('refused: no account can take it — main: charges ₹20 exceed the proceeds ₹5 and cash ₹0; spouse: charges ₹20 exceed the proceeds ₹5 and cash ₹10');
    const paid = routeLegs([tiny], [accounts[0]!, account({ alias: 'spouse', cash: 15_00, holds: { INFY: 1 } })], DEFAULT_ROUTING_POLICY)[0]!;
    expect(paid.parts.map((p) => p.account)).toEqual(['spouse']);
  });
});

describe('a leg no account can take', () => {
  it('gets no parts and a why that names each account and its reason', () => {
    const accounts = [account({ alias: 'main', holds: {}, cash: rich }), account({ alias: 'spouse', health: { breaker: 'open' }, holds: { INFY: 500 } })];
    const d = routeLegs([leg({ quantity: 100, side: 'sell' })], accounts, DEFAULT_ROUTING_POLICY)[0]!;
    expect(d.parts).toEqual([]);
    expect(d.why).toBe('refused: no account can take it — spouse: circuit breaker open; main: holds no INFY to sell');
  });

  it('a per-account leg goes only to its account, or is refused with that account’s reason', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich }), account({ alias: 'spouse', cash: rich, health: { sessionUsable: false } })];
    const ok = routeLegs([leg({ quantity: 10, account: 'main' })], accounts, DEFAULT_ROUTING_POLICY)[0]!;
    expect(ok.parts.map((p) => p.account)).toEqual(['main']);
    const refused = routeLegs([leg({ quantity: 10, account: 'spouse' })], accounts, DEFAULT_ROUTING_POLICY)[0]!;
    expect(refused.parts).toEqual([]);
    expect(refused.excluded).toEqual([{ account: 'spouse', reason: 'session not usable (log in)' }]);
    expect(refused.why).toBe('refused: spouse cannot take it — spouse: session not usable (log in)');
    const unknown = routeLegs([leg({ quantity: 10, account: 'nobody' })], accounts, DEFAULT_ROUTING_POLICY)[0]!;
    expect(unknown.why).toBe('refused: account nobody is not among the accounts routed to');
  });

  it('without splitting, a leg no single account can take is refused and says so', () => {
    const accounts = [account({ alias: 'main', holds: { INFY: 600 } }), account({ alias: 'spouse', holds: { INFY: 600 } })];
    const policy = { ...DEFAULT_ROUTING_POLICY, split: { enabled: false, minQuantity: 1 } };
    const d = routeLegs([leg({ quantity: 1000, side: 'sell' })], accounts, policy)[0]!;
    expect(d.parts).toEqual([]);
    expect(d.why).toBe('refused: no single account can take 1,000 and splitting is off (routing.split.enabled) — main: holds 600 of 1,000 INFY; spouse: holds 600 of 1,000 INFY');
  });

  it('a quantity that is not a positive whole number is refused', () => {
    const d = routeLegs([leg({ quantity: 0 })], [account({ alias: 'main', cash: rich })], DEFAULT_ROUTING_POLICY)[0]!;
    expect(d.why).toBe('refused: quantity 0 is not a positive whole number of shares');
  });
});
