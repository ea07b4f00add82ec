import { describe, expect, it } from 'vitest';
import { loadChargeSchedules } from '../../../src/app/loaders/charge-schedules.js';
import { parseRoutingPolicy } from '../../../src/app/loaders/routing-config.js';
import { routeLegs, scheduleCharges, sellableKey, type RoutableAccount, type RoutableLeg } from '../../../src/engine/routing/index.js';

/**
 * The example of README "Routing", decided by the router as it is: three accounts at three
 * brokers with their shipped charge schedules, the README's `routing` section, a small plan. The
 * `why` lines in the README are these.
 */

const schedules = loadChargeSchedules();

function household(): RoutableAccount[] {
  const base = (alias: string, broker: string, role: RoutableAccount['definition']['role'], cash: number, holds: [string, number][], extra: Partial<RoutableAccount> = {}): RoutableAccount => ({
    definition: { alias, broker, role, permissions: { buy: true, sell: true } },
    currency: 'INR',
    cash,
    sellable: new Map(holds.map(([s, q]) => [sellableKey(s, 'NSE'), q])),
    capabilities: { orderTypes: ['market', 'limit', 'stop', 'stop_limit'], orderClasses: [], nativeIceberg: false, afterMarketOrders: true, exchanges: ['NSE', 'BSE'] },
    charges: scheduleCharges(schedules, broker),
    ordersLeftToday: Infinity,
    health: { breaker: 'closed', sessionUsable: true, errorRate: 0, latencyMs: 120 },
    quality: { legs: 60, slippageBps: 3.2, fillRate: 0.99, rejectRate: 0.01 },
    ...extra,
  });
  return [
    base('main', 'zerodha', 'primary', 5_00_000_00, [['INFY', 1200], ['RELIANCE', 300]]),
    base('spouse', 'upstox', 'secondary', 20_00_000_00, [['RELIANCE', 500], ['HDFCBANK', 400]], { quality: { legs: 60, slippageBps: 7.9, fillRate: 0.97, rejectRate: 0.02 } }),
    base('huf', 'fyers', 'secondary', 3_00_000_00, [['HDFCBANK', 250]], { health: { breaker: 'half-open', sessionUsable: true, errorRate: 0.05, latencyMs: 450 }, quality: undefined }),
  ];
}

const nse = (bid: number, ask: number, depth: number) => ({ exchange: 'NSE' as const, bid, ask, bidDepth: depth, askDepth: depth });
const bse = (bid: number, ask: number, depth: number) => ({ exchange: 'BSE' as const, bid, ask, bidDepth: depth, askDepth: depth });

const plan: RoutableLeg[] = [
  { key: 'INFY', symbol: 'INFY', side: 'sell', quantity: 1200, price: 1500_00, orderType: 'limit', venues: [nse(1499_60, 1500_40, 4000), bse(1499_00, 1501_00, 900)], adv: 6_000_000 },
  { key: 'RELIANCE', symbol: 'RELIANCE', side: 'sell', quantity: 700, price: 2900_00, orderType: 'limit', venues: [nse(2899_50, 2900_50, 3000), bse(2899_00, 2901_00, 600)], adv: 8_000_000 },
  { key: 'TCS', symbol: 'TCS', side: 'buy', quantity: 150, price: 3800_00, orderType: 'limit', venues: [nse(3799_00, 3801_00, 800), bse(3799_50, 3800_50, 700)], adv: 2_000_000 },
  { key: 'HDFCBANK', symbol: 'HDFCBANK', side: 'sell', quantity: 600, price: 1650_00, orderType: 'market', venues: [nse(1649_90, 1650_10, 5000), bse(1649_50, 1650_50, 1000)], adv: 9_000_000 },
  { key: 'ITC', symbol: 'ITC', side: 'sell', quantity: 500, price: 430_00, orderType: 'limit', venues: [nse(429_95, 430_05, 9000), bse(429_90, 430_10, 2000)], adv: 15_000_000 },
  { key: 'SBIN', symbol: 'SBIN', side: 'buy', quantity: 2000, price: 800_00, orderType: 'limit', venues: [nse(799_95, 800_05, 20_000), bse(799_90, 800_10, 5_000)], adv: 12_000_000 },
];

export const README_ROUTING = {
  weights: { cost: 1, quality: 0.5, liquidity: 1, health: 1, latency: 0.25 },
  split: { enabled: true, min_quantity: 25 },
  rules: [
    { kind: 'never', symbols: ['SBIN'], accounts: ['main'] },
    { kind: 'max-share', account: 'huf', share: 0.5 },
  ],
};

describe('README "Routing" example', () => {
  it('decides as the README shows', () => {
    const policy = parseRoutingPolicy(README_ROUTING, 'config.json', ['main', 'spouse', 'huf']);
    const lines = routeLegs(plan, household(), policy).map((d) => `${d.legKey.padEnd(9)} ${d.why}`);
    if (process.env.PRINT_ROUTING_EXAMPLE) console.log(lines.join('\n'));
    expect(lines).toEqual([
      'INFY      main (zerodha) — holds 1,200; the only account that can take all of it; NSE: tighter spread 0.05% vs 0.13%',
      'RELIANCE  split 2 ways: main (zerodha) 300 NSE, spouse (upstox) 400 NSE — no single account holds 700 RELIANCE',
      'TCS       main (zerodha) — slippage 3.2 bps vs 7.9 bps at spouse, and ₹681.90 charges vs ₹705.50 at spouse; BSE: tighter spread 0.03% vs 0.05%',
      'HDFCBANK  split 2 ways: huf (fyers) 200 NSE, spouse (upstox) 400 NSE — no single account holds 600 HDFCBANK',
      'ITC       refused: no account can take it — main: holds no ITC to sell; huf: holds no ITC to sell; spouse: holds no ITC to sell',
      'SBIN      spouse (upstox) — the only account that can take all of it; NSE: tighter spread 0.01% vs 0.03%',
    ]);
  });
});
