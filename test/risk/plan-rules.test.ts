import { describe, expect, it } from 'vitest';
import { checkPlan, planRiskEvents, RISK_CHECKED, type OrderHistory, type PlanRiskResult, type RecentOrder, type RiskRule, type SameTargetRun, type WorkingParent } from '../../src/engine/risk/index.js';
import { ACCOUNT_VALUE, config, LARGE_CAPS, plan, snapshot, type InstrumentSpec, type LegSpec } from './fixtures.js';

const NOW = Date.parse('2026-01-05T05:00:00Z');
const DEEP: InstrumentSpec = { symbol: 'DEEP', price: 100_000, adv: 1_000_000_000 };

function run(legs: LegSpec[], cfg = config(), instruments: InstrumentSpec[] = [DEEP], extra: { holdings?: Parameters<typeof snapshot>[1]; cash?: number; history?: OrderHistory } = {}): PlanRiskResult {
  return checkPlan(plan(legs, ACCOUNT_VALUE, extra.cash), snapshot(instruments, extra.holdings, extra.cash), { config: cfg, now: NOW, runId: 'run-b', history: extra.history });
}

function rulesOf(result: PlanRiskResult, leg = 0): RiskRule[] {
  return result.legs[leg]!.reasons.map((r) => r.rule);
}

function blockedBy(result: PlanRiskResult, rule: RiskRule, leg = 0): boolean {
  return result.legs[leg]!.reasons.some((r) => r.rule === rule && r.level === 'block');
}

describe('checkPlan: each rule at its boundary', () => {
  it('maximum order quantity', () => {
    const cfg = config({ order: { max_quantity: 100 } });
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], cfg).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 101, price: 100_000 }], cfg), 'order_quantity')).toBe(true);
  });

  it('maximum order value', () => {
    const cfg = config({ order: { max_value: 100_000 } }); // ₹1 lakh
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], cfg).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_005 }], cfg), 'order_value')).toBe(true);
  });

  it('price band on the aggressive side blocks, on the passive side warns', () => {
    const cfg = config({ price_band: { max_pct: 5, warn_pct: null } });
    const buy = (limitPrice: number) => run([{ symbol: 'DEEP', side: 'buy', quantity: 10, price: 100_000, limitPrice }], cfg);
    const sell = (limitPrice: number) => run([{ symbol: 'DEEP', side: 'sell', quantity: 10, price: 100_000, limitPrice }], cfg, [DEEP], { holdings: [{ symbol: 'DEEP', quantity: 10, t1Quantity: 0 }] });
    expect(buy(105_000).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(buy(105_005), 'price_band')).toBe(true);
    expect(sell(95_000).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(sell(94_995), 'price_band')).toBe(true);
    expect(buy(94_995).legs[0]!.verdict).toBe('warn');
  });

  it('price band warning level', () => {
    const cfg = config({ price_band: { max_pct: 5, warn_pct: 2 } });
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 10, price: 102_000 }], cfg).legs[0]!.verdict).toBe('pass');
    const warned = run([{ symbol: 'DEEP', side: 'buy', quantity: 10, price: 102_005 }], cfg);
    expect(warned.legs[0]!.verdict).toBe('warn');
    expect(rulesOf(warned)).toEqual(['price_band']);
  });

  it('maximum % of average daily volume', () => {
    const cfg = config({ liquidity: { max_adv_pct: 10, warn_adv_pct: null } });
    const thin: InstrumentSpec = { symbol: 'THIN', price: 10_000, adv: 10_000 };
    expect(run([{ symbol: 'THIN', side: 'buy', quantity: 1000, price: 10_000 }], cfg, [thin]).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'THIN', side: 'buy', quantity: 1001, price: 10_000 }], cfg, [thin]), 'liquidity')).toBe(true);
    const unknown = run([{ symbol: 'NOADV', side: 'buy', quantity: 1, price: 10_000 }], cfg, [{ symbol: 'NOADV', price: 10_000 }]);
    expect(unknown.legs[0]!.verdict).toBe('warn');
  });

  it('maximum post-trade position weight', () => {
    const cfg = config({ concentration: { max_position_pct: 25 } });
    // 25% of ₹1 crore at ₹1,000 a share is 2,500 shares, 500 of them already held.
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 2000, price: 100_000, current: 500 }], cfg).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 2001, price: 100_000, current: 500 }], cfg), 'position_weight')).toBe(true);
  });

  it('maximum group weight, from the sector or a mapping file', () => {
    const it1: InstrumentSpec = { symbol: 'IT1', price: 100_000, adv: 1e9, sector: 'IT' };
    const it2: InstrumentSpec = { symbol: 'IT2', price: 100_000, adv: 1e9, sector: 'IT' };
    const cfg = config({ concentration: { max_position_pct: null, max_group_pct: 30 } });
    const holdings = [{ symbol: 'IT1', quantity: 1000, t1Quantity: 0 }]; // 10%
    expect(run([{ symbol: 'IT2', side: 'buy', quantity: 2000, price: 100_000 }], cfg, [it1, it2], { holdings }).legs[0]!.verdict).toBe('pass');
    const over = run([{ symbol: 'IT2', side: 'buy', quantity: 2001, price: 100_000 }], cfg, [it1, it2], { holdings });
    expect(blockedBy(over, 'group_weight')).toBe(true);
    expect(over.run.map((r) => r.rule)).toContain('group_weight');
    // A per-group limit wins over the default, and the mapping file wins over the sector.
    const mapped = { ...config({ concentration: { max_position_pct: null, max_group_pct: 30, group_limits: { Tech: 50 } } }), groups: new Map([['IT2', 'Tech'], ['IT1', 'Tech']]) };
    expect(run([{ symbol: 'IT2', side: 'buy', quantity: 4000, price: 100_000 }], mapped, [it1, it2], { holdings }).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'IT2', side: 'buy', quantity: 4001, price: 100_000 }], mapped, [it1, it2], { holdings }), 'group_weight')).toBe(true);
  });

  it('restricted and allowed lists', () => {
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000 }], config({ lists: { restricted: ['NSE:DEEP'] } })), 'restricted')).toBe(true);
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000 }], config({ lists: { restricted: ['deep'] } })), 'restricted')).toBe(true);
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000 }], config({ lists: { allowed: ['DEEP'] } })).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000 }], config({ lists: { allowed: ['OTHER'] } })), 'not_allowed')).toBe(true);
  });

  it('no short selling: settled + T+1 minus what is already being sold', () => {
    const holdings = [{ symbol: 'DEEP', quantity: 100, t1Quantity: 50 }];
    const sell = (quantity: number, history?: OrderHistory) => run([{ symbol: 'DEEP', side: 'sell', quantity, price: 100_000 }], config(), [DEEP], { holdings, history });
    expect(sell(150).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(sell(151), 'short_sell')).toBe(true);
    const working: RecentOrder = { clientOrderId: 'x', runId: 'run-a', parentId: null, symbol: 'DEEP', exchange: 'NSE', side: 'sell', quantity: 30, filledQuantity: 10, status: 'accepted', createdAt: NOW - 1 };
    const history: OrderHistory = { sameTargetRuns: () => [], workingParents: () => [], workingOrders: () => [working] };
    expect(sell(130, history).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(sell(131, history), 'short_sell')).toBe(true);
    expect(run([{ symbol: 'DEEP', side: 'sell', quantity: 151, price: 100_000 }], config({ short_selling: { allow: true } }), [DEEP], { holdings }).legs[0]!.verdict).toBe('pass');
  });

  it('a Kite-style account owns its holdings plus today\'s delivery positions: short selling and group weight count them', () => {
    const kite = (instruments: InstrumentSpec[], holdings: Parameters<typeof snapshot>[1], positions: { symbol: string; quantity: number; product: 'delivery' | 'intraday' }[]) => ({
      ...snapshot(instruments, holdings),
      positions: positions.map((p) => ({ ...p, exchange: 'NSE' as const, averagePrice: 100_000 })),
      holdingsIncludeTodaysTrades: false,
    });
    // 100 settled + 50 T+1 in holdings; 40 of them sold today; 5 bought intraday do not count.
    const held = kite([DEEP], [{ symbol: 'DEEP', quantity: 100, t1Quantity: 50 }], [{ symbol: 'DEEP', quantity: -40, product: 'delivery' }, { symbol: 'DEEP', quantity: 5, product: 'intraday' }]);
    const sell = (quantity: number) => checkPlan(plan([{ symbol: 'DEEP', side: 'sell', quantity, price: 100_000 }]), held, { config: config(), now: NOW });
    expect(sell(110).legs[0]!.verdict).toBe('pass');
    const over = sell(111);
    expect(blockedBy(over, 'short_sell')).toBe(true);
    expect(over.legs[0]!.reasons.find((r) => r.rule === 'short_sell')!.message).toBe('selling 111 but only 110 owned and not already being sold (settled + T+1, 40 sold today; risk.short_selling.allow)');

    // 1,000 IT1 bought today (10% of the account) are not in the holdings yet, but count toward IT.
    const it1: InstrumentSpec = { symbol: 'IT1', price: 100_000, adv: 1e9, sector: 'IT' };
    const it2: InstrumentSpec = { symbol: 'IT2', price: 100_000, adv: 1e9, sector: 'IT' };
    const bought = kite([it1, it2], [], [{ symbol: 'IT1', quantity: 1000, product: 'delivery' }]);
    const cfg = config({ concentration: { max_position_pct: null, max_group_pct: 30 } });
    const buy = (quantity: number) => checkPlan(plan([{ symbol: 'IT2', side: 'buy', quantity, price: 100_000 }]), bought, { config: cfg, now: NOW });
    expect(buy(2000).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(buy(2001), 'group_weight')).toBe(true);
  });

  it('buying power: cash less charges; sell proceeds count', () => {
    const noCharges = config({ buying_power: { charges_bps: 0, buffer_pct: 0 } });
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], noCharges, [DEEP], { cash: 10_000_000 }).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], noCharges, [DEEP], { cash: 9_999_999 }), 'buying_power')).toBe(true);

    const tenBps = config({ buying_power: { charges_bps: 10, buffer_pct: 0 } });
    // ₹1,00,000 of buys carry ₹100 of charges.
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], tenBps, [DEEP], { cash: 10_010_000 }).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], tenBps, [DEEP], { cash: 10_009_999 }), 'buying_power')).toBe(true);

    const other: InstrumentSpec = { symbol: 'OTHER', price: 100_000, adv: 1e9 };
    const legs: LegSpec[] = [
      { symbol: 'OTHER', side: 'sell', quantity: 100, price: 100_000 },
      { symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 },
    ];
    const holdings = [{ symbol: 'OTHER', quantity: 100, t1Quantity: 0 }];
    expect(run(legs, noCharges, [DEEP, other], { cash: 0, holdings }).verdict).toBe('pass');
    const withoutProceeds = config({ buying_power: { charges_bps: 0, buffer_pct: 0, use_sell_proceeds: false } });
    expect(blockedBy(run(legs, withoutProceeds, [DEEP, other], { cash: 0, holdings }), 'buying_power', 1)).toBe(true);
  });

  it('buying power: the cash buffer warns', () => {
    const cfg = config({ buying_power: { charges_bps: 0, buffer_pct: 1 } }); // ₹1 lakh of ₹1 crore
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], cfg, [DEEP], { cash: 20_000_000 }).legs[0]!.verdict).toBe('pass');
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], cfg, [DEEP], { cash: 19_999_999 }).legs[0]!.verdict).toBe('warn');
  });

  it('run limits: gross turnover value and % of account value', () => {
    const a: InstrumentSpec = { symbol: 'A', price: 100_000, adv: 1e9 };
    const legs = (q2: number): LegSpec[] => [
      { symbol: 'DEEP', side: 'buy', quantity: 60, price: 100_000 },
      { symbol: 'A', side: 'buy', quantity: q2, price: 100_000 },
    ];
    const byValue = config({ run: { max_turnover_value: 100_000 } }); // ₹1 lakh
    expect(run(legs(40), byValue, [DEEP, a]).verdict).toBe('pass');
    const over = run(legs(41), byValue, [DEEP, a]);
    expect(over.legs[0]!.verdict).toBe('pass');
    expect(blockedBy(over, 'run_turnover', 1)).toBe(true);
    expect(over.run[0]!.rule).toBe('run_turnover');

    const byPct = config({ run: { max_turnover_pct: 1 } }); // 1% of ₹1 crore = ₹1 lakh
    expect(run(legs(40), byPct, [DEEP, a]).verdict).toBe('pass');
    expect(blockedBy(run(legs(41), byPct, [DEEP, a]), 'run_turnover', 1)).toBe(true);
  });

  it('run limits: maximum number of orders', () => {
    const specs = ['A', 'B', 'C', 'D'].map((symbol) => ({ symbol, price: 100_000, adv: 1e9 }));
    const legs = specs.map((s) => ({ symbol: s.symbol, side: 'buy' as const, quantity: 1, price: 100_000 }));
    const cfg = config({ run: { max_orders: 3 } });
    expect(run(legs.slice(0, 3), cfg, specs).verdict).toBe('pass');
    const over = run(legs, cfg, specs);
    expect(over.legs.map((l) => l.verdict)).toEqual(['pass', 'pass', 'pass', 'block']);
    expect(blockedBy(over, 'run_orders', 3)).toBe(true);
    // The message says how to lift the limit, and to what, not only that it was hit.
    expect(over.run[0]!.message).toMatch(/4 orders exceed the run maximum of 3 \(risk\.run\.max_orders\); leg.* blocked: raise risk\.run\.max_orders to 4 or more \(null: no limit\) in the risk section of config\.json or a --risk file/);
    expect(over.legs[3]!.reasons.find((r) => r.rule === 'run_orders')!.message).toMatch(/raise risk\.run\.max_orders/);
  });

  it('duplicate: the same target again while an earlier run of it traded, within the window or unfinished', () => {
    const earlier: SameTargetRun = { runId: 'run-a', status: 'completed', legs: 2, orders: 7, lastOrderAt: NOW - 30 * 60_000 };
    let seen: Parameters<OrderHistory['sameTargetRuns']>[0] | undefined;
    const history = (runs: SameTargetRun[]): OrderHistory => ({
      sameTargetRuns: (q) => ((seen = q), runs),
      workingParents: () => [],
      workingOrders: () => [],
    });
    const intent = { targetHash: 'h1', tradingDate: '2026-01-05' };
    const check = (runs: SameTargetRun[], extra: { cfg?: ReturnType<typeof config>; legs?: LegSpec[]; allowDuplicate?: boolean; intent?: typeof intent } = {}) =>
      checkPlan(plan(extra.legs ?? [{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000 }], ACCOUNT_VALUE), snapshot([DEEP]), {
        config: extra.cfg ?? config(),
        now: NOW,
        runId: 'run-b',
        history: history(runs),
        intent: 'intent' in extra ? extra.intent : intent,
        allowDuplicate: extra.allowDuplicate,
      });
    const blocked = check([earlier]);
    expect(seen).toEqual({ broker: 'paper', account: 'PAPER1', targetHash: 'h1', tradingDate: '2026-01-05', excludeRunId: 'run-b' });
    expect(blocked.verdict).toBe('block');
    expect(blocked.legs[0]!.verdict).toBe('pass');
    expect(blocked.run).toEqual([
      {
        rule: 'duplicate',
        level: 'block',
        message: 'run run-a traded this same target 30 minutes ago (completed; 2 legs, 7 orders filled or working); to send it again use --allow-duplicate (or wait out risk.duplicates.window_seconds: 3600)',
      },
    ]);
    // The window is measured from the earlier run's last order, to the second.
    expect(check([{ ...earlier, lastOrderAt: NOW - 3_600_000 }]).verdict).toBe('block');
    expect(check([{ ...earlier, lastOrderAt: NOW - 3_600_001 }]).verdict).toBe('pass');
    expect(check([earlier], { cfg: config({ duplicates: { window_seconds: 1_799 } }) }).verdict).toBe('pass');
    // An unfinished run of the target counts whenever it traded that day.
    const interrupted = check([{ ...earlier, status: 'interrupted', legs: 1, orders: 1, lastOrderAt: NOW - 3 * 3_600_000 }]);
    expect(interrupted.run[0]!.message).toBe(
      'run run-a traded this same target 3 hours ago (interrupted; 1 leg, 1 order filled or working); finish it with `ptexec resume run-a`, or send the target again with --allow-duplicate',
    );
    const two = check([earlier, { ...earlier, runId: 'run-c', lastOrderAt: NOW - 59_999, legs: 1, orders: 1 }]);
    expect(two.run[0]!.message).toMatch(/^2 runs traded this same target today: run-a 30 minutes ago \(completed; 2 legs, 7 orders filled or working\), run-c less than a minute ago \(completed; 1 leg, 1 order/);
    // Allowed: the same finding as a warning. Off, without an intent, or with nothing to send: nothing.
    expect(check([earlier], { allowDuplicate: true }).run).toEqual([
      { rule: 'duplicate', level: 'warn', message: 'run run-a traded this same target 30 minutes ago (completed; 2 legs, 7 orders filled or working); sent again (--allow-duplicate)' },
    ]);
    expect(check([earlier], { cfg: config({ duplicates: { window_seconds: 0 } }) }).run).toEqual([]);
    expect(check([earlier], { intent: undefined }).run).toEqual([]);
    expect(check([earlier], { legs: [] }).run).toEqual([]);
  });

  it('duplicate: a leg equal in content to a parent order still working in another run', () => {
    const parent: WorkingParent = { clientOrderId: 'aL0', runId: 'run-a', symbol: 'DEEP', exchange: 'NSE', side: 'buy', type: 'market', quantity: 100, limitPrice: null, algo: 'market', filledQuantity: 40 };
    const history: OrderHistory = { sameTargetRuns: () => [], workingParents: () => [parent], workingOrders: () => [] };
    const check = (leg: Partial<LegSpec>, allowDuplicate = false) =>
      checkPlan(plan([{ symbol: 'DEEP', side: 'buy', quantity: 100, price: 100_000, ...leg }], ACCOUNT_VALUE), snapshot([DEEP]), {
        config: config(),
        now: NOW,
        runId: 'run-b',
        history,
        intent: { targetHash: 'other', tradingDate: '2026-01-05' },
        allowDuplicate,
      });
    expect(check({}).legs[0]!.reasons).toEqual([
      {
        rule: 'duplicate',
        level: 'block',
        message: 'the same order (buy 100 NSE:DEEP, market, market) is still working in run run-a (40 of 100 filled); finish that run first (ptexec resume), or send this one too with --allow-duplicate',
      },
    ]);
    expect(check({}, true).legs[0]!.reasons.map((r) => r.level)).toEqual(['warn']);
    // Another quantity or limit price is another order.
    expect(check({ quantity: 101 }).legs[0]!.verdict).toBe('pass');
    expect(check({ limitPrice: 100_000 }).legs[0]!.verdict).toBe('pass');
  });

  it('lot size and tick size', () => {
    const lot: InstrumentSpec = { symbol: 'LOT', price: 100_000, adv: 1e9, lotSize: 25 };
    expect(run([{ symbol: 'LOT', side: 'buy', quantity: 25, price: 100_000 }], config(), [lot]).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'LOT', side: 'buy', quantity: 26, price: 100_000 }], config(), [lot]), 'lot_size')).toBe(true);
    expect(run([{ symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000, limitPrice: 100_005 }], config(), [DEEP]).legs[0]!.verdict).toBe('pass');
    expect(blockedBy(run([{ symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000, limitPrice: 100_006 }], config(), [DEEP]), 'tick_size')).toBe(true);
  });

  it('unknown instruments are blocked', () => {
    expect(blockedBy(run([{ symbol: 'NOPE', side: 'buy', quantity: 1, price: 100_000 }]), 'no_quote')).toBe(true);
  });
});

describe('checkPlan: the README tour', () => {
  it('passes a paper rebalance of ten NSE large caps in a ₹1 crore account with the defaults', () => {
    const legs = LARGE_CAPS.map((s) => ({ symbol: s.symbol, side: 'buy' as const, quantity: Math.floor(9_800_000_00 / 10 / s.price), price: s.price }));
    const result = run(legs, config(), LARGE_CAPS);
    expect(result.legs.map((l) => [l.symbol, l.verdict, l.reasons])).toEqual(LARGE_CAPS.map((s) => [s.symbol, 'pass', []]));
    expect(result.verdict).toBe('pass');
  });

  it('blocks the typo of an extra zero in a target', () => {
    const legs = LARGE_CAPS.map((s, i) => ({ symbol: s.symbol, side: 'buy' as const, quantity: Math.floor((9_800_000_00 / 10 / s.price) * (i === 3 ? 10 : 1)), price: s.price }));
    const result = run(legs, config(), LARGE_CAPS);
    expect(result.legs[3]!.verdict).toBe('block');
    expect(rulesOf(result, 3)).toContain('position_weight');
  });
});

describe('planRiskEvents', () => {
  it('records one risk.checked event per leg and one for the run', () => {
    const result = run([
      { symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000 },
      { symbol: 'NOPE', side: 'buy', quantity: 1, price: 100_000 },
    ]);
    const events = planRiskEvents('run-b', result, NOW);
    expect(events.map((e) => [e.type, e.payload.scope, e.payload.leg, e.payload.verdict])).toEqual([
      [RISK_CHECKED, 'leg', 0, 'pass'],
      [RISK_CHECKED, 'leg', 1, 'block'],
      [RISK_CHECKED, 'run', undefined, 'block'],
    ]);
    expect(events.every((e) => e.runId === 'run-b' && e.marketTs === NOW)).toBe(true);
    expect(events[1]!.payload.reasons[0]!.rule).toBe('no_quote');
  });
});

describe('trading session in the plan check', () => {
  const legs: LegSpec[] = [{ symbol: 'DEEP', side: 'buy', quantity: 1, price: 100_000 }];
  const check = (now: number, broker = 'zerodha') => {
    const snap = { ...snapshot([DEEP]), broker, simulatedMarket: broker === 'paper' };
    return checkPlan(plan(legs), snap, { config: config(), now });
  };

  it('warns (the run may wait for the open) instead of blocking', () => {
    const closed = check(Date.parse('2025-06-10T08:00:00+05:30'));
    expect(closed.legs[0]!.verdict).toBe('warn');
    expect(closed.legs[0]!.reasons[0]!.rule).toBe('session');
    expect(check(Date.parse('2025-06-10T09:15:00+05:30')).legs[0]!.verdict).toBe('pass');
    expect(check(Date.parse('2025-06-10T08:00:00+05:30'), 'paper').legs[0]!.verdict).toBe('pass');
  });

  it('blocks a real broker\'s order on a day no holiday list covers: it may be a holiday', () => {
    const result = check(Date.parse('2027-06-10T10:00:00+05:30'));
    expect(result.legs[0]!.verdict).toBe('block');
    expect(result.legs[0]!.reasons[0]!.message).toContain('no NSE holiday list for 2027: ptexec does not assume 2027-06-10 is a trading day');
    expect(result.legs[0]!.reasons[0]!.message).toContain('calendars.files');
    expect(check(Date.parse('2027-06-10T10:00:00+05:30'), 'paper').legs[0]!.verdict).toBe('pass');
  });
});
