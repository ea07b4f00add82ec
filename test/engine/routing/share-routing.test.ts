import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_POLICY, routeLegs, type RoutingPolicy } from '../../../src/engine/routing/index.js';
import { account, leg } from './routing-fixtures.js';

/** A consolidated target's legs over accounts that declare a `share` of the household. */

const rich = 10_00_00_000_00;
const policy = DEFAULT_ROUTING_POLICY;
const parts = (d: { parts: readonly { account: string; quantity: number }[] }) => Object.fromEntries(d.parts.map((p) => [p.account, p.quantity]));

describe('routing by share', () => {
  it('a household buying from cash buys each account its share of the line, and says so', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich, share: 0.6 }), account({ alias: 'spouse', cash: rich, share: 0.4 })];
    const [d] = routeLegs([leg({ quantity: 1000, householdTarget: 1000 })], accounts, policy);
    expect(parts(d!)).toEqual({ main: 600, spouse: 400 });
    expect(d!.why).toBe("by share: main (paper) 600 NSE, spouse (paper) 400 NSE — toward each account's share of the household's 1,000 INFY (main 60%, spouse 40%)");
  });

  it('without a household target, or without shares, the weights alone route the leg', () => {
    const shared = [account({ alias: 'main', role: 'primary', cash: rich, share: 0.6 }), account({ alias: 'spouse', cash: rich, share: 0.4 })];
    expect(parts(routeLegs([leg({ quantity: 1000 })], shared, policy)[0]!)).toEqual({ main: 1000 });
    const plain = [account({ alias: 'main', role: 'primary', cash: rich }), account({ alias: 'spouse', cash: rich })];
    expect(parts(routeLegs([leg({ quantity: 1000, householdTarget: 1000 })], plain, policy)[0]!)).toEqual({ main: 1000 });
  });

  it('a buy goes to the accounts below their share, in proportion to how far below', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich, share: 0.5, holds: { INFY: 500 } }), account({ alias: 'spouse', cash: rich, share: 0.5, holds: { INFY: 100 } })];
    // Target 1,000: main should hold 500 (has 500), spouse 500 (has 100): all 400 to spouse.
    expect(parts(routeLegs([leg({ quantity: 400, householdTarget: 1000 })], accounts, policy)[0]!)).toEqual({ spouse: 400 });
    // Target 1,400: main is 200 below, spouse 600 below: the 800 bought split 200/600.
    expect(parts(routeLegs([leg({ quantity: 800, householdTarget: 1400 })], accounts, policy)[0]!)).toEqual({ main: 200, spouse: 600 });
  });

  it('a sell comes from the accounts above their share, and only from settled shares (T+1)', () => {
    const accounts = [account({ alias: 'main', role: 'primary', share: 0.5, holds: { INFY: 600 } }), account({ alias: 'spouse', share: 0.5, holds: { INFY: 400 } })];
    // Target 500: main is 350 above its 250, spouse 150 above.
    expect(parts(routeLegs([leg({ quantity: 500, side: 'sell', householdTarget: 500 })], accounts, policy)[0]!)).toEqual({ main: 350, spouse: 150 });
    // Spouse owns 400 but 300 of them are still settling: it sells its 100 settled, main the rest.
    const settling = [account({ alias: 'main', role: 'primary', share: 0.5, holds: { INFY: 600 } }), account({ alias: 'spouse', share: 0.5, holds: { INFY: 100 }, owns: { INFY: 400 } })];
    const d = routeLegs([leg({ quantity: 500, side: 'sell', householdTarget: 500 })], settling, policy)[0]!;
    expect(parts(d)).toEqual({ main: 400, spouse: 100 });
    expect(d.why).toContain('; spouse took 100 of its 150 (holds 100 of 150 INFY), the rest by cost');
  });

  it('an account short of cash takes what it can pay for; the others take the rest', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich, share: 0.5 }), account({ alias: 'spouse', cash: 3_00_000_00, share: 0.5 })];
    const d = routeLegs([leg({ quantity: 1000, householdTarget: 1000 })], accounts, policy)[0]!;
    expect(d.parts.reduce((s, p) => s + p.quantity, 0)).toBe(1000);
    expect(parts(d).spouse).toBe(199);
    expect(d.why).toMatch(/; spouse took 199 of its 500 \(cash ₹3,00,000 short of ₹7,50,\d+(\.\d+)?\), the rest by cost$/);
  });

  it('accounts without a share hold the rest between them, the weights choosing which', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich }), account({ alias: 'kid', cash: rich, flat: 5000 }), account({ alias: 'spouse', cash: rich, share: 0.3 })];
    const d = routeLegs([leg({ quantity: 1000, householdTarget: 1000 })], accounts, policy)[0]!;
    expect(parts(d)).toEqual({ main: 700, spouse: 300 });
    expect(d.why).toContain('(spouse 30%, main and kid the rest (70%))');
  });

  it('the hard rules still hold: an account that may not buy gets none of its share', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich, share: 0.5 }), account({ alias: 'spouse', cash: rich, share: 0.5, permissions: { buy: false } })];
    const d = routeLegs([leg({ quantity: 1000, householdTarget: 1000 })], accounts, policy)[0]!;
    expect(parts(d)).toEqual({ main: 1000 });
    expect(d.why).toContain('; spouse took 0 of its 500 (not permitted to buy), the rest by cost');
  });

  it('with splitting off, the whole leg goes to the account furthest from its share', () => {
    const off: RoutingPolicy = { ...policy, split: { enabled: false, minQuantity: 1 } };
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich, share: 0.5, holds: { INFY: 450 } }), account({ alias: 'spouse', cash: rich, share: 0.5, holds: { INFY: 50 } })];
    const d = routeLegs([leg({ quantity: 100, householdTarget: 600 })], accounts, off)[0]!;
    expect(parts(d)).toEqual({ spouse: 100 });
    expect(d.why).toContain('the leg whole (splitting is off) to the account furthest from its share');
  });

  it('lots stay whole and a part below the split minimum joins the largest', () => {
    const accounts = [account({ alias: 'main', role: 'primary', cash: rich, share: 0.7 }), account({ alias: 'spouse', cash: rich, share: 0.25 }), account({ alias: 'kid', cash: rich, share: 0.05 })];
    const lots = routeLegs([leg({ quantity: 500, lotSize: 25, householdTarget: 500 })], accounts, policy)[0]!;
    expect(parts(lots)).toEqual({ main: 350, spouse: 125, kid: 25 });
    const min: RoutingPolicy = { ...policy, split: { enabled: true, minQuantity: 30 } };
    expect(parts(routeLegs([leg({ quantity: 500, householdTarget: 500 })], accounts, min)[0]!)).toEqual({ main: 375, spouse: 125 });
  });
});
