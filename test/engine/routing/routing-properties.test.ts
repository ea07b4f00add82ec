import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../src/domain/instrument.js';
import type { OrderType } from '../../../src/domain/order.js';
import { routeLegs, sellableKey, type RoutableAccount, type RoutableLeg, type RouteDecision, type RoutingPolicy, type RoutingRule } from '../../../src/engine/routing/index.js';

/**
 * The router's promises, over random plans and accounts: a sell only where the shares are, no
 * account's buys beyond its cash plus its own sells' proceeds, never an account lacking the order
 * type, class, exchange or permission, parts that add up to the leg (or a refusal with reasons),
 * the hard rules kept, and the same decisions for the same input in any order of accounts.
 * Cash is reckoned as the router documents it: a buy at the higher of the reference price and the
 * venue's ask plus charges, a sell at the lower of the reference price and the bid less charges.
 */

const SYMBOLS = ['INFY', 'TCS', 'SBIN'];
const ALIASES = ['main', 'spouse', 'huf', 'kid', 'trust'];
const TYPES: OrderType[] = ['market', 'limit', 'stop', 'stop_limit'];

/** True one time in `n`. */
function rarely(n: number): fc.Arbitrary<boolean> {
  return fc.integer({ min: 1, max: n }).map((x) => x === 1);
}

function mostly(n: number): fc.Arbitrary<boolean> {
  return rarely(n).map((b) => !b);
}

/** Defined one time in `n`, else undefined. */
function sometimes<T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: n - 1 }, { arbitrary: arb, weight: 1 });
}

/** Mostly `usual`, sometimes a random narrower choice: most accounts can take most legs. */
function often<T>(usual: readonly T[], other: fc.Arbitrary<readonly T[]>): fc.Arbitrary<readonly T[]> {
  return fc.oneof({ arbitrary: fc.constant<readonly T[]>(usual), weight: 4 }, { arbitrary: other, weight: 1 });
}

const accountArb = (alias: string) =>
  fc
    .record({
      role: fc.constantFrom('primary', 'secondary', 'backup'),
      cash: fc.oneof(fc.integer({ min: 0, max: 5_000_000_00 }), fc.integer({ min: 0, max: 50_000_000_00 })),
      holds: fc.array(fc.tuple(fc.constantFrom(...SYMBOLS), fc.constantFrom<Exchange>('NSE', 'BSE'), fc.integer({ min: 0, max: 2_000 })), { minLength: 1, maxLength: 6 }),
      flat: fc.integer({ min: 0, max: 5_000 }),
      bps: fc.integer({ min: 0, max: 30 }),
      buy: mostly(10),
      sell: mostly(10),
      permittedTypes: sometimes(fc.subarray(TYPES, { minLength: 1 }), 5),
      offeredTypes: often(TYPES, fc.subarray(TYPES, { minLength: 1 })),
      classes: often<'bracket' | 'oco'>(['bracket', 'oco'], fc.subarray(['bracket', 'oco'] as const)),
      iceberg: mostly(4),
      amo: mostly(4),
      exchanges: often<Exchange>(['NSE', 'BSE'], fc.subarray<Exchange>(['NSE', 'BSE'], { minLength: 1 })),
      permittedExchanges: sometimes(fc.subarray<Exchange>(['NSE', 'BSE'], { minLength: 1 }), 3),
      ordersLeft: fc.oneof({ arbitrary: fc.constant(Infinity), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 6 }), weight: 1 }),
      breaker: fc.constantFrom('closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'half-open', 'open'),
      sessionUsable: mostly(12),
      errorRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
      latencyMs: fc.option(fc.integer({ min: 10, max: 2_000 }), { nil: undefined }),
      quality: fc.option(fc.record({ legs: fc.integer({ min: 0, max: 100 }), slippageBps: fc.double({ min: -5, max: 30, noNaN: true }), fillRate: fc.double({ min: 0.5, max: 1, noNaN: true }), rejectRate: fc.double({ min: 0, max: 0.2, noNaN: true }) }), { nil: undefined }),
    })
    .map(
      (a): RoutableAccount => ({
        definition: { alias, broker: `b-${alias}`, role: a.role, permissions: { buy: a.buy, sell: a.sell, ...(a.permittedTypes ? { orderTypes: a.permittedTypes } : {}), ...(a.permittedExchanges ? { exchanges: a.permittedExchanges } : {}) } },
        currency: 'INR',
        cash: a.cash,
        sellable: new Map(a.holds.map(([s, e, q]) => [sellableKey(s, e), q])),
        capabilities: { orderTypes: a.offeredTypes, orderClasses: a.classes, nativeIceberg: a.iceberg, afterMarketOrders: a.amo, exchanges: a.exchanges },
        charges: ({ quantity, price }) => a.flat + Math.round((quantity * price * a.bps) / 10_000),
        ordersLeftToday: a.ordersLeft,
        health: { breaker: a.breaker, sessionUsable: a.sessionUsable, errorRate: a.errorRate, ...(a.latencyMs !== undefined ? { latencyMs: a.latencyMs } : {}) },
        ...(a.quality ? { quality: a.quality } : {}),
      }),
    );

const venueArb = (exchange: Exchange, price: number) =>
  fc.record({ half: fc.integer({ min: 0, max: 40 }), quoted: mostly(8), bidDepth: fc.integer({ min: 0, max: 3_000 }), askDepth: fc.integer({ min: 0, max: 3_000 }) }).map((v) => ({
    exchange,
    bid: v.quoted ? price - v.half * 5 : 0,
    ask: v.quoted ? price + v.half * 5 : 0,
    bidDepth: v.bidDepth,
    askDepth: v.askDepth,
  }));

const legArb = (i: number) =>
  fc
    .record({ symbol: fc.constantFrom(...SYMBOLS), side: fc.constantFrom('buy', 'sell'), price: fc.integer({ min: 100, max: 50_000 }).map((p) => p * 5), lot: fc.constantFrom(1, 1, 1, 25), lots: fc.integer({ min: 1, max: 2_500 }), orderType: fc.constantFrom<OrderType>('limit', 'limit', 'market', 'market', 'stop', 'stop_limit'), orderClass: sometimes(fc.constantFrom('bracket', 'oco'), 8), iceberg: rarely(8), amo: rarely(8), account: sometimes(fc.constantFrom(...ALIASES), 5), exchanges: fc.subarray<Exchange>(['NSE', 'BSE'], { minLength: 1 }), adv: fc.option(fc.integer({ min: 10_000, max: 5_000_000 }), { nil: undefined }) })
    .chain((l) => fc.tuple(...l.exchanges.map((e) => venueArb(e, l.price))).map((venues) => ({ l, venues })))
    .map(({ l, venues }): RoutableLeg => ({
      key: `leg-${i}`,
      symbol: l.symbol,
      side: l.side,
      quantity: l.lot === 1 ? l.lots : Math.ceil(l.lots / 25) * 25,
      price: l.price,
      orderType: l.orderType,
      ...(l.orderClass ? { orderClass: l.orderClass } : {}),
      ...(l.iceberg ? { nativeIceberg: true } : {}),
      ...(l.amo ? { afterMarket: true } : {}),
      ...(l.account ? { account: l.account } : {}),
      ...(l.lot > 1 ? { lotSize: l.lot } : {}),
      ...(l.adv ? { adv: l.adv } : {}),
      venues,
    }));

const ruleArb: fc.Arbitrary<RoutingRule> = fc.oneof(
  fc.record({ kind: fc.constant('only' as const), accounts: fc.subarray(ALIASES, { minLength: 1 }), symbols: fc.option(fc.subarray(SYMBOLS, { minLength: 1 }), { nil: undefined }) }).map((r) => (r.symbols ? r : { kind: r.kind, accounts: r.accounts })),
  fc.record({ kind: fc.constant('never' as const), accounts: fc.subarray(ALIASES, { minLength: 1 }), symbols: fc.option(fc.subarray(SYMBOLS, { minLength: 1 }), { nil: undefined }) }).map((r) => (r.symbols ? r : { kind: r.kind, accounts: r.accounts })),
  fc.record({ kind: fc.constant('max-share' as const), account: fc.constantFrom(...ALIASES), share: fc.double({ min: 0, max: 1, noNaN: true }) }),
);

const policyArb: fc.Arbitrary<RoutingPolicy> = fc.record({
  weights: fc.record({ cost: fc.double({ min: 0, max: 2, noNaN: true }), quality: fc.double({ min: 0, max: 2, noNaN: true }), liquidity: fc.double({ min: 0, max: 2, noNaN: true }), health: fc.double({ min: 0, max: 2, noNaN: true }), latency: fc.double({ min: 0, max: 2, noNaN: true }) }),
  split: fc.record({ enabled: mostly(4), minQuantity: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 400 })) }),
  rules: fc.oneof({ arbitrary: fc.constant([]), weight: 2 }, { arbitrary: fc.array(ruleArb, { maxLength: 2 }), weight: 1 }),
});

const scenario = fc.record({
  accounts: fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(...ALIASES.slice(0, n).map(accountArb))),
  legs: fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => legArb(i)))),
  policy: policyArb,
});

function venueOf(leg: RoutableLeg, exchange: Exchange) {
  return leg.venues.find((v) => v.exchange === exchange)!;
}

function cashFlows(legs: readonly RoutableLeg[], accounts: readonly RoutableAccount[], decisions: readonly RouteDecision[]): Map<string, number> {
  const cash = new Map(accounts.map((a) => [a.definition.alias, a.cash]));
  decisions.forEach((d, i) => {
    const leg = legs[i]!;
    for (const p of d.parts) {
      const v = venueOf(leg, p.exchange);
      const quoted = v.bid > 0 && v.ask > 0 && v.ask >= v.bid;
      const price = leg.side === 'buy' ? Math.max(leg.price, quoted ? v.ask : 0) : Math.min(leg.price, quoted ? v.bid : leg.price);
      const a = accounts.find((x) => x.definition.alias === p.account)!;
      const charges = a.charges({ symbol: leg.symbol, exchange: p.exchange, side: leg.side, quantity: p.quantity, price });
      cash.set(p.account, cash.get(p.account)! + (leg.side === 'buy' ? -(p.quantity * price + charges) : p.quantity * price - charges));
    }
  });
  return cash;
}

function checkPart(leg: RoutableLeg, a: RoutableAccount, exchange: Exchange, policy: RoutingPolicy): void {
  const perm = a.definition.permissions;
  expect(leg.side === 'buy' ? perm.buy : perm.sell).toBe(true);
  expect(a.capabilities.orderTypes).toContain(leg.orderType);
  if (perm.orderTypes) expect(perm.orderTypes).toContain(leg.orderType);
  if (leg.orderClass) expect(a.capabilities.orderClasses).toContain(leg.orderClass);
  if (leg.nativeIceberg) expect(a.capabilities.nativeIceberg).toBe(true);
  if (leg.afterMarket) expect(a.capabilities.afterMarketOrders).toBe(true);
  expect(a.capabilities.exchanges).toContain(exchange);
  if (perm.exchanges) expect(perm.exchanges).toContain(exchange);
  expect(a.health.breaker).not.toBe('open');
  expect(a.health.sessionUsable).toBe(true);
  if (leg.account) expect(a.definition.alias).toBe(leg.account);
  for (const rule of policy.rules) {
    if (rule.kind === 'max-share' || (rule.symbols && !rule.symbols.includes(leg.symbol))) continue;
    expect(rule.accounts.includes(a.definition.alias)).toBe(rule.kind === 'only');
  }
}

/** Every promise the router makes about its decisions (the module comment), for one set of inputs. */
function checkPromises(accounts: readonly RoutableAccount[], legs: readonly RoutableLeg[], policy: RoutingPolicy, decisions: readonly RouteDecision[]): void {
  expect(decisions.map((d) => d.legKey)).toEqual(legs.map((l) => l.key));
  const sold = new Map<string, number>();
  const orders = new Map<string, number>();
  decisions.forEach((d, i) => {
    const leg = legs[i]!;
    if (d.parts.length === 0) {
      expect(d.why).toMatch(/^refused: \S/);
      return;
    }
    expect(d.parts.reduce((s, p) => s + p.quantity, 0)).toBe(leg.quantity);
    const lot = leg.lotSize ?? 1;
    for (const p of d.parts) {
      const a = accounts.find((x) => x.definition.alias === p.account)!;
      checkPart(leg, a, p.exchange, policy);
      expect(p.quantity % lot).toBe(0);
      if (d.parts.length > 1) expect(p.quantity).toBeGreaterThanOrEqual(policy.split.minQuantity);
      orders.set(p.account, (orders.get(p.account) ?? 0) + 1);
      if (leg.side === 'sell') sold.set(`${p.account} ${leg.symbol}`, (sold.get(`${p.account} ${leg.symbol}`) ?? 0) + p.quantity);
    }
    for (const rule of policy.rules) {
      if (rule.kind !== 'max-share') continue;
      const taken = d.parts.filter((p) => p.account === rule.account).reduce((s, p) => s + p.quantity, 0);
      expect(taken).toBeLessThanOrEqual(rule.share * leg.quantity + 1e-6);
    }
  });
  for (const a of accounts) {
    const alias = a.definition.alias;
    expect(orders.get(alias) ?? 0).toBeLessThanOrEqual(a.ordersLeftToday);
    for (const symbol of SYMBOLS) {
      const held = (['NSE', 'BSE'] as const).reduce((s, e) => s + (a.sellable.get(sellableKey(symbol, e)) ?? 0), 0);
      expect(sold.get(`${alias} ${symbol}`) ?? 0).toBeLessThanOrEqual(held);
    }
  }
  for (const [, left] of cashFlows(legs, accounts, decisions)) expect(left).toBeGreaterThanOrEqual(0);
}

/**
 * The same random plans over accounts of which some declare a share of the household (the shares
 * adding up to 1 or less, as the accounts config allows), with shares owned but still settling
 * (T+1) on top of the sellable ones, and legs that carry the household's target of their line.
 */
const sharedScenario = scenario.chain(({ accounts, legs, policy }) =>
  fc
    .record({
      shares: fc.tuple(...accounts.map(() => sometimes(fc.integer({ min: 0, max: 100 }), 2))),
      settling: fc.tuple(...accounts.map(() => fc.integer({ min: 0, max: 500 }))),
      beyond: fc.tuple(...legs.map(() => fc.integer({ min: 0, max: 3_000 }))),
    })
    .map(({ shares, settling, beyond }) => {
      const declared = shares.reduce<number>((s, x) => s + (x ?? 0), 0);
      const everyone = shares.every((x) => x !== undefined);
      const scale = everyone && declared > 0 ? declared : Math.max(100, declared);
      const shared = accounts.map((a, i): RoutableAccount => {
        const owned = new Map<string, number>();
        for (const [key, q] of a.sellable) owned.set(key.split('@')[0]!, (owned.get(key.split('@')[0]!) ?? 0) + q);
        for (const symbol of SYMBOLS) owned.set(symbol, (owned.get(symbol) ?? 0) + settling[i]!);
        const share = shares[i];
        return { ...a, definition: { ...a.definition, ...(share !== undefined ? { share: share / scale } : {}) }, holdings: owned };
      });
      const targeted = legs.map((l, i): RoutableLeg => ({ ...l, householdTarget: l.side === 'buy' ? l.quantity + beyond[i]! : beyond[i]! }));
      return { accounts: shared, legs: targeted, policy };
    }),
);

describe('routing properties', () => {
  it('keeps every promise over random plans', () => {
    fc.assert(
      fc.property(scenario, ({ accounts, legs, policy }) => checkPromises(accounts, legs, policy, routeLegs(legs, accounts, policy))),
      { seed: 20261204, numRuns: 400 },
    );
  });

  it('keeps every promise when accounts declare shares of a household target', () => {
    fc.assert(
      fc.property(sharedScenario, ({ accounts, legs, policy }) => checkPromises(accounts, legs, policy, routeLegs(legs, accounts, policy))),
      { seed: 20261218, numRuns: 400 },
    );
  });

  it('gives the same decisions for the same input, in whatever order the accounts come, shares or not', () => {
    fc.assert(
      fc.property(fc.oneof(scenario, sharedScenario), fc.integer({ min: 0, max: 1000 }), ({ accounts, legs, policy }, turn) => {
        const once = routeLegs(legs, accounts, policy);
        expect(routeLegs(legs, accounts, policy)).toEqual(once);
        const k = turn % accounts.length;
        expect(routeLegs(legs, [...accounts.slice(k), ...accounts.slice(0, k)].reverse(), policy)).toEqual(once);
      }),
      { seed: 18, numRuns: 200 },
    );
  });

  it('a sell of no more than the eligible accounts hold together is routed in full when splitting is on', () => {
    const household = fc.record({
      holdings: fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 2, maxLength: 5 }),
      flats: fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 5, maxLength: 5 }),
      depth: fc.integer({ min: 0, max: 5_000 }),
      share: fc.double({ min: 0.05, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(household, ({ holdings, flats, depth, share }) => {
        const total = holdings.reduce((s, h) => s + h, 0);
        fc.pre(total > 0);
        const quantity = Math.max(1, Math.floor(total * share));
        const accounts = holdings.map((held, i) => ({ ...fullyCapable(ALIASES[i]!, flats[i]!), sellable: new Map([[sellableKey('INFY', i % 2 ? 'BSE' : 'NSE'), held]]) }));
        const legs: RoutableLeg[] = [{ key: 'sell', symbol: 'INFY', side: 'sell', quantity, price: 1500_00, orderType: 'limit', venues: [{ exchange: 'NSE', bid: 1499_50, ask: 1500_50, bidDepth: depth, askDepth: depth }, { exchange: 'BSE', bid: 1499_00, ask: 1501_00, bidDepth: depth, askDepth: depth }] }];
        const [d] = routeLegs(legs, accounts, { weights: { cost: 1, quality: 0.5, liquidity: 1, health: 1, latency: 0.25 }, split: { enabled: true, minQuantity: 1 }, rules: [] });
        expect(d!.parts.reduce((s, p) => s + p.quantity, 0)).toBe(quantity);
        for (const p of d!.parts) expect(p.quantity).toBeLessThanOrEqual(holdings[ALIASES.indexOf(p.account)]!);
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

function fullyCapable(alias: string, flat: number): RoutableAccount {
  return {
    definition: { alias, broker: 'paper', role: 'secondary', permissions: { buy: true, sell: true } },
    currency: 'INR',
    cash: 0,
    sellable: new Map(),
    capabilities: { orderTypes: TYPES, orderClasses: ['bracket', 'oco'], nativeIceberg: true, afterMarketOrders: true, exchanges: ['NSE', 'BSE'] },
    charges: () => flat,
    ordersLeftToday: Infinity,
    health: { breaker: 'closed', sessionUsable: true, errorRate: 0 },
  };
}
