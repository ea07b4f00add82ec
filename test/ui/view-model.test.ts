import { describe, expect, it } from 'vitest';
import * as calendar from '../../src/market/calendar/index.js';
import { DashboardViewModel } from '../../src/ui/view-model/view-model.js';
import { AHEAD, child, EventLog, fill, parent, partialRun, plannedRun, sample, simulatedRun, T0 } from './fixtures.js';

function model(events = partialRun().events, withCalendar = true): DashboardViewModel {
  const vm = new DashboardViewModel(withCalendar ? { calendar } : {});
  vm.applyAll(events);
  return vm;
}

describe('DashboardViewModel', () => {
  it('a leg drawn again after each event shows what a model given every event at once shows', () => {
    const log = partialRun();
    log.add('run.control', { action: 'pause', leg: 0, by: 'test' }, T0 + 9_500);
    log.add('leg.paused', { leg: 0 }, T0 + 9_600);
    sample(log, 'INFY', 149_800, 149_900, 2_000_000, T0 + 9_700);
    log.add('run.alert', { level: 'warn', source: 'engine', message: 'slow broker', leg: 1 }, T0 + 9_800);
    log.add('leg.resumed', { leg: 0, pausedMs: 100 }, T0 + 9_900);
    const live = new DashboardViewModel({ calendar });
    log.events.forEach((event, i) => {
      live.apply(event);
      // Views are kept between frames: every kind of event must reach the leg it changes.
      expect(live.snapshot(T0 + 10_000).legs).toEqual(model(log.events.slice(0, i + 1)).snapshot(T0 + 10_000).legs);
    });
  });

  it('keeps one list of leg views from frame to frame, changed in place, not a new list of every leg per frame', () => {
    const log = plannedRun();
    const vm = model(log.events);
    const first = vm.snapshot(T0 + 100).legs;
    const p = parent(log, 1, 'INFY', 'sell', 200, 150_000, 150_000, T0 + 1_000);
    vm.applyAll(log.after(vm.seq));
    const second = vm.snapshot(T0 + 2_000).legs;
    expect(second).toBe(first);
    expect(second).toEqual(model(log.events).snapshot(T0 + 2_000).legs);
    expect(second[1]!.status).not.toBe('planned');
    expect(p).toBeTruthy();
  });

  it('starts empty and waiting, with unknowns rather than zeros', () => {
    const s = new DashboardViewModel().snapshot(T0);
    expect(s.header.phase).toBe('waiting');
    expect(s.header.runId).toBeNull();
    expect(s.legs).toEqual([]);
    expect(s.totals.fillRate).toBeNull();
    expect(s.totals.shortfallBps).toBeNull();
    expect(s.header.elapsedMs).toBeNull();
    expect(s.ended).toBe(false);
  });

  it('shows a planned run with its legs before anything trades', () => {
    const s = model(plannedRun().events).snapshot(T0 + 100);
    expect(s.header).toMatchObject({ runId: 'r-20261120-ab12', brokers: ['paper'], account: 'PAPER1', phase: 'planned', algos: ['twap', 'vwap'], currency: 'INR' });
    expect(s.legs.map((l) => [l.symbol, l.side, l.quantity, l.status])).toEqual([
      ['RELIANCE', 'buy', 100, 'planned'],
      ['INFY', 'sell', 200, 'planned'],
      ['TCS', 'buy', 50, 'planned'],
    ]);
    expect(s.totals.fillRate).toBe(0);
  });

  it('computes per-leg progress, average price, slippage (positive = cost), participation and open children', () => {
    const s = model().snapshot(T0 + 10_000);
    const [reliance, infy, tcs] = s.legs;
    expect(reliance).toMatchObject({ filled: 60, filledValue: 15_010_000, arrivalPrice: 250_000, openChildren: 1, status: 'working', lastReason: 'price outside the circuit band' });
    expect(reliance!.avgPrice).toBeCloseTo(250_166.67, 1);
    // bought above arrival: (250166.67 − 250000)/250000 = +6.67 bps, a cost
    expect(reliance!.slippageBps).toBeCloseTo(6.667, 2);
    // 60 own shares out of 600 traded in the market since the leg started
    expect(reliance!.participation).toBeCloseTo(0.1, 6);
    // sold below arrival: s = −1, (149850 − 150000)/150000 · −1 = +10 bps, also a cost
    expect(infy).toMatchObject({ filled: 200, status: 'complete', openChildren: 0 });
    expect(infy!.slippageBps).toBeCloseTo(10, 6);
    expect(infy!.participation).toBeNull(); // no market samples: unknown, not zero
    expect(tcs).toMatchObject({ filled: 0, status: 'planned', avgPrice: null, slippageBps: null });
  });

  it('gives a favourable fill negative slippage', () => {
    const log = plannedRun();
    const p = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, T0 + 1_000);
    const c = child(log, p, 1, 0, 'RELIANCE', 'buy', 100, T0 + 1_000);
    fill(log, c, 't1', 'RELIANCE', 'buy', 100, 249_750, T0 + 2_000);
    expect(model(log.events).snapshot(T0).legs[0]!.slippageBps).toBeCloseTo(-10, 6);
  });

  it('totals traded value, fill rate and implementation shortfall so far', () => {
    const t = model().snapshot(T0 + 10_000).totals;
    expect(t).toMatchObject({ orderedQuantity: 350, filledQuantity: 260, boughtValue: 15_010_000, soldValue: 29_970_000, tradedValue: 44_980_000, fills: 3, charges: 0 });
    expect(t.fillRate).toBeCloseTo(260 / 350, 9);
    // RELIANCE: delay 0 (decision = arrival), trading 15,010,000 − 60·250,000 = 10,000,
    // opportunity 40 · (250,200 − 250,000) = 8,000; INFY trading −(29,970,000 − 30,000,000) = 30,000.
    expect(t.shortfall).toBe(48_000);
    // over the paper value 100·250,000 + 200·150,000 + 50·400,000 = 75,000,000
    expect(t.shortfallBps).toBeCloseTo(6.4, 9);
  });

  it('counts the delay cost when the arrival price moved away from the decision price', () => {
    const log = plannedRun();
    parent(log, 0, 'RELIANCE', 'buy', 100, 250_500, 250_000, T0 + 1_000);
    // delay s·S·(P0 − Pd) = 100 · 500 = 50,000; nothing filled, no later price: no other term
    expect(model(log.events).snapshot(T0).totals.shortfall).toBe(50_000);
  });

  it('books charges from the latest booking of each note, for this run’s trades only', () => {
    const log = partialRun();
    const note = { broker: 'paper', account: 'PAPER1', exchange: 'NSE', symbol: 'RELIANCE', tradingDate: '2026-11-20', scheduleId: 'paper', currency: 'INR', components: [] };
    log.add('charges.booked', { ...note, total: 300, trades: [{ tradeId: 't1', total: 300, components: {} }] }, T0 + 3_000);
    log.add('charges.booked', { ...note, total: 900, trades: [{ tradeId: 't1', total: 310, components: {} }, { tradeId: 't2', total: 590, components: {} }] }, T0 + 4_000);
    // a trade of another run on the same note is not this run's cost
    log.add('charges.booked', { ...note, total: 1_400, trades: [{ tradeId: 't1', total: 300, components: {} }, { tradeId: 't2', total: 580, components: {} }, { tradeId: 'other', total: 520, components: {} }] }, T0 + 5_000);
    const s = model(log.events).snapshot(T0);
    expect(s.totals.charges).toBe(880);
    expect(s.totals.shortfall).toBe(48_000 + 880);
  });

  it('groups trades by T+1 settlement date from the exchange calendar and follows their settlement', () => {
    const log = partialRun();
    let s = model(log.events).snapshot(T0);
    // traded on Friday 20 Nov 2026: settles on Monday 23 Nov
    expect(s.settlement).toEqual([{ date: '2026-11-23', exchange: 'NSE', trades: 3, settled: 0, failed: 0, payIn: 15_010_000, payOut: 29_970_000, state: 'pending' }]);
    for (const id of ['t1', 't2', 't3']) log.add('settlement.resolved', { broker: 'paper', tradeId: id, status: 'settled' }, T0 + 86_400_000 * 3);
    s = model(log.events).snapshot(T0);
    expect(s.settlement[0]).toMatchObject({ settled: 3, state: 'settled' });
  });

  it('lets the settlement schedule override the derived date, and says so when a date is unknown', () => {
    const log = partialRun();
    log.add('settlement.scheduled', { broker: 'paper', tradeId: 't3', account: 'PAPER1', exchange: 'NSE', symbol: 'INFY', side: 'sell', quantity: 200, value: 29_970_000, tradeDate: '2026-11-20', settleDate: '2026-11-24' }, T0 + 6_000);
    log.add('settlement.resolved', { broker: 'paper', tradeId: 't3', status: 'failed', reason: 'short delivery' }, T0 + 7_000);
    const s = model(log.events).snapshot(T0);
    expect(s.settlement.map((r) => [r.date, r.trades, r.state])).toEqual([
      ['2026-11-23', 2, 'pending'],
      ['2026-11-24', 1, 'failed'],
    ]);
    expect(model(partialRun().events, false).snapshot(T0).settlement[0]!.date).toBeNull();
  });

  it('shows the kill switch as a halted run and ignores one scoped to another account', () => {
    const log = partialRun();
    log.add('risk.halted', { reason: 'wrong target file', cancelOpen: true, actor: 'ptexec halt by pm@desk pid 1' }, T0 + 10_000, null);
    let s = model(log.events).snapshot(T0 + 10_000);
    expect(s.header.phase).toBe('halted');
    expect(s.header.killSwitch).toEqual({ engaged: true, reason: 'wrong target file', since: T0 + 10_000 });
    expect(s.alerts.at(-1)).toMatchObject({ level: 'error', message: 'kill switch engaged: wrong target file (ptexec halt by pm@desk pid 1)' });
    log.add('risk.unhalted', { actor: 'ptexec unhalt' }, T0 + 11_000, null);
    log.add('risk.halted', { reason: 'other desk', account: 'SOMEONE-ELSE' }, T0 + 12_000, null);
    s = model(log.events).snapshot(T0 + 12_000);
    expect(s.header.phase).toBe('running');
    expect(s.header.killSwitch.engaged).toBe(false);
  });

  it('turns rejections, risk blocks, alerts and control requests into alerts, newest last', () => {
    const log = partialRun();
    log.add('risk.checked', { scope: 'order', actor: 'gate', leg: 2, symbol: 'TCS', verdict: 'block', reasons: [{ rule: 'max_order_value', level: 'block', message: 'order value above ₹10,00,000' }] }, T0 + 9_000);
    log.add('risk.checked', { scope: 'run', actor: 'plan', verdict: 'pass', reasons: [] }, T0 + 9_000);
    log.add('run.alert', { level: 'warn', source: 'broker', message: 'websocket reconnected after 2 s' }, T0 + 9_500);
    log.add('run.control', { action: 'pause', by: 'cli:pm' }, T0 + 9_600);
    log.add('run.breaker_tripped', { breaker: 'spread', leg: 1, value: 6.2, limit: 5, unit: 'x', message: 'INFY spread is 6.2x its normal spread, at or beyond 5x' }, T0 + 9_700);
    const vm = model(log.events);
    const s = vm.snapshot(T0 + 10_000);
    expect(s.alerts.map((a) => [a.level, a.source, a.message])).toEqual([
      ['error', 'order', 'RELIANCE child order rejected: price outside the circuit band'],
      ['error', 'risk', 'risk block TCS: max_order_value: order value above ₹10,00,000'],
      ['warn', 'broker', 'websocket reconnected after 2 s'],
      ['info', 'control', 'pause run requested by cli:pm'],
      ['error', 'breaker', 'INFY spread is 6.2x its normal spread, at or beyond 5x'],
    ]);
    expect(s.legs[1]!.lastReason).toBe('INFY spread is 6.2x its normal spread, at or beyond 5x');
    expect(s.legs[2]!.lastReason).toBe('max_order_value: order value above ₹10,00,000');
    expect(vm.takeNewAlerts()).toHaveLength(5);
    expect(vm.takeNewAlerts()).toHaveLength(0);
  });

  it('tracks elapsed and remaining time and freezes them when the run is done', () => {
    const log = partialRun();
    let s = model(log.events).snapshot(T0 + 61_000);
    expect(s.header.elapsedMs).toBe(60_000);
    // the legs' 30 minute horizon started at T0 + 1 s
    expect(s.header.remainingMs).toBe(30 * 60_000 - 60_000);
    log.add('run.status', { status: 'incomplete', reason: 'horizon ended' }, T0 + 1_801_000);
    s = model(log.events).snapshot(T0 + 5_000_000);
    expect(s.ended).toBe(true);
    expect(s.header).toMatchObject({ phase: 'incomplete', statusReason: 'horizon ended', elapsedMs: 1_800_000, remainingMs: null });
  });

  it('keeps a simulated run on its market clock: elapsed and left in market time, quiet time on the wall clock', () => {
    // Last event recorded at T0 + 9 s (market T0 + 3 days + 540 s); the viewer looks 2 s later.
    const s = model(simulatedRun().events).snapshot(T0 + 11_000);
    expect(s.header).toMatchObject({ simulated: true, speed: '60', quietMs: 2_000 });
    // The market clock runs on at 60× from the last market time seen.
    expect(s.header.marketTs).toBe(T0 + AHEAD + 660_000);
    // Started at market T0 + 3 days + 60 s; the legs' 30 minute horizon is market time too.
    expect(s.header.elapsedMs).toBe(600_000);
    expect(s.header.remainingMs).toBe(30 * 60_000 - 600_000);
    expect(s.alerts.at(-1)!.ts).toBe(T0 + AHEAD + 480_000);
    // A real-time run says it is not simulated.
    expect(model().snapshot(T0 + 11_000).header).toMatchObject({ simulated: false, speed: null });
  });

  it('freezes a simulated run\'s clocks at the market time it ended', () => {
    const log = simulatedRun();
    log.add('run.status', { status: 'completed' }, T0 + 20_000);
    const s = model(log.events).snapshot(T0 + 3_600_000);
    expect(s.header).toMatchObject({ marketTs: T0 + AHEAD + 1_200_000, elapsedMs: 1_140_000, quietMs: null });
  });

  it('never goes backwards when event times run ahead of the viewer clock', () => {
    const s = model().snapshot(T0 - 1_000_000);
    expect(s.header.elapsedMs).toBe(9_000 - 1_000);
  });

  it('applies each event once, so a source that repeats itself changes nothing', () => {
    const log = partialRun();
    const vm = model(log.events);
    vm.applyAll(log.events);
    expect(vm.snapshot(T0).totals.filledQuantity).toBe(260);
    expect(vm.seq).toBe(log.events.at(-1)!.seq);
  });

  it('shrugs off events it cannot read: a type of another version, a payload that is not an object', () => {
    const log = new EventLog();
    log.add('risk.checked', 42, T0);
    log.add('something.new', { whatever: true }, T0);
    log.add('charges.booked', { broker: 'paper', account: 'PAPER1', exchange: 'NSE', symbol: 'X', tradingDate: '2026-11-20', scheduleId: 'paper', currency: 'INR', components: [], total: 24, trades: [] }, T0);
    log.add('market.sampled', { symbol: 'X', exchange: 'NSE', ts: T0, bid: 100, ask: 101, last: 100, volume: 5 }, T0);
    expect(log.events.map((e) => e.type)).toEqual(['unknown', 'unknown', 'charges.booked', 'market.sampled']);
    const s = model(log.events).snapshot(T0);
    expect(s.legs).toEqual([]);
    expect(s.totals.charges).toBe(24);
    expect(s.header.marketTs).toBe(T0);
  });

  it('reports the market clock and session from the latest sample', () => {
    const log = partialRun();
    sample(log, 'INFY', 149_800, 149_900, 500_000, T0 + 20_000);
    const s = model(log.events).snapshot(T0);
    expect(s.header).toMatchObject({ marketTs: T0 + 20_000, marketExchange: 'NSE', session: 'open' });
  });

  it("counts a bracket exit's fill as protection, not as progress of its leg", () => {
    const log = plannedRun();
    const p = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, T0);
    const entry = child(log, p, 1, 0, 'RELIANCE', 'buy', 100, T0 + 10);
    fill(log, entry, 't1', 'RELIANCE', 'buy', 100, 250_000, T0 + 20);
    const exit = child(log, p, 2, 0, 'RELIANCE', 'sell', 100, T0 + 30);
    fill(log, exit, 't2', 'RELIANCE', 'sell', 100, 260_000, T0 + 40);
    const s = model(log.events).snapshot(T0 + 50);
    expect(s.legs.find((l) => l.symbol === 'RELIANCE')).toMatchObject({ filled: 100, filledValue: 25_000_000 });
  });
});

describe('leg statuses on the dashboard: the leg vocabulary', () => {
  it('a leg whose every order was rejected is rejected, one the horizon ended is unfilled or partial, never an order status', () => {
    const log = plannedRun();
    const p0 = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, T0);
    for (const n of [1, 2]) {
      const c = child(log, p0, n, 0, 'RELIANCE', 'buy', 50, T0 + n);
      log.add('order.status', { clientOrderId: c, from: 'accepted', to: 'rejected', reason: 'circuit' }, T0 + n);
    }
    log.add('order.status', { clientOrderId: p0, from: 'accepted', to: 'cancelled', reason: 'stopped after 2 rejections' }, T0 + 3);
    const p1 = parent(log, 1, 'INFY', 'sell', 200, 150_000, 150_000, T0);
    log.add('order.status', { clientOrderId: p1, from: 'accepted', to: 'expired', reason: 'horizon reached' }, T0 + 4);
    const p2 = parent(log, 2, 'TCS', 'buy', 50, 400_000, 400_000, T0);
    const c2 = child(log, p2, 1, 2, 'TCS', 'buy', 50, T0 + 5);
    fill(log, c2, 't1', 'TCS', 'buy', 10, 400_000, T0 + 6);
    log.add('order.status', { clientOrderId: p2, from: 'accepted', to: 'expired', reason: 'horizon reached' }, T0 + 7);
    expect(model(log.events).snapshot(T0 + 10).legs.map((l) => l.status)).toEqual(['rejected', 'unfilled', 'partial']);
  });

  it('a pre-trade verdict recorded without reasons is never shown as "no reason given"', () => {
    const log = plannedRun();
    log.add('risk.checked', { scope: 'leg', actor: 'plan', leg: 2, symbol: 'TCS', verdict: 'block', reasons: [] }, T0 + 20);
    const vm = model(log.events);
    const s = vm.snapshot(T0 + 30);
    const text = [...s.alerts.map((a) => a.message), ...s.legs.map((l) => l.lastReason ?? '')].join('\n');
    expect(text).not.toMatch(/no reason given/);
    expect(s.alerts.at(-1)!.message).toBe('risk block TCS');
    expect(s.legs[2]!.lastReason).toBe('blocked by the pre-trade checks');
  });
});
