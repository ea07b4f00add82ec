import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { LegsTable } from '../../src/ui/components/legs-table.js';
import { ProgressLines } from '../../src/ui/progress-lines.js';
import { DashboardViewModel } from '../../src/ui/view-model/view-model.js';
import type { Leg } from '../../src/domain/plan.js';
import { child, EventLog, leg, parent, T0 } from './fixtures.js';
import { linesOf, visible } from './render-helpers.js';

function runWith(legs: Leg[]): EventLog {
  const log = new EventLog();
  log.add('run.created', { runId: log.runId, broker: 'paper', account: 'PAPER1', tradingDate: '2026-11-20', targetHash: 'h', source: 'f', dryRun: false, options: {} }, T0);
  log.add('run.planned', { legs, skipped: [], notes: [], accountValue: 1, cashBefore: 1, currency: 'INR' }, T0);
  log.add('run.status', { status: 'running' }, T0 + 1_000);
  return log;
}

function snapshot(log: EventLog, at = T0 + 60_000) {
  const vm = new DashboardViewModel();
  vm.applyAll(log.events);
  return vm.snapshot(at);
}

function progress(log: EventLog): string[] {
  const lines: string[] = [];
  new ProgressLines({ write: (l) => lines.push(l), timeZone: 'Asia/Kolkata' }).apply(log.events);
  return lines;
}

/** A TWAP leg whose first slice did not fill: the algorithm cancels it when the next slice starts. */
function sliceCancelled(causeReason: string): EventLog {
  const log = runWith([leg(0, 'RELIANCE', 'buy', 100, 250_000)]);
  const p = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, T0 + 1_000);
  const c1 = child(log, p, 1, 0, 'RELIANCE', 'buy', 10, T0 + 1_000);
  log.add('order.status', { clientOrderId: c1, from: 'accepted', to: 'pending_cancel', reason: causeReason }, T0 + 181_000);
  // The broker's words for a cancel it was asked for, as the paper broker reports them.
  log.add('order.status', { clientOrderId: c1, from: 'pending_cancel', to: 'cancelled', brokerOrderId: `B${c1}`, reason: 'cancelled by the user', brokerStatus: 'CANCELLED' }, T0 + 181_050);
  child(log, p, 2, 0, 'RELIANCE', 'buy', 10, T0 + 181_100);
  return log;
}

describe('why a leg last changed', () => {
  it("says a slice the algorithm cancelled was replaced by the next slice, not cancelled by the user, whatever the broker called it", () => {
    for (const cause of ['replaced by the next slice', 'replaced by the algorithm']) {
      const s = snapshot(sliceCancelled(cause));
      expect(s.legs[0]!.lastReason).toBe(cause);
      expect(JSON.stringify(s)).not.toContain('by the user');
    }
  });

  it('says a cancel at the horizon was the horizon, and one the user asked for was the user', () => {
    const horizon = snapshot(sliceCancelled('horizon reached'));
    expect(horizon.legs[0]!.lastReason).toBe('horizon reached');
    const log = runWith([leg(0, 'RELIANCE', 'buy', 100, 250_000)]);
    const p = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, T0 + 1_000);
    const c1 = child(log, p, 1, 0, 'RELIANCE', 'buy', 10, T0 + 1_000);
    log.add('run.control', { action: 'cancel', leg: 0, by: 'cli:pm' }, T0 + 5_000);
    log.add('order.status', { clientOrderId: c1, from: 'accepted', to: 'pending_cancel', reason: 'cancelled by the user (ptexec cancel or key c)' }, T0 + 5_250);
    log.add('order.status', { clientOrderId: c1, from: 'pending_cancel', to: 'cancelled', reason: 'cancelled by the user', brokerStatus: 'CANCELLED' }, T0 + 5_300);
    log.add('order.status', { clientOrderId: p, from: 'accepted', to: 'cancelled', reason: 'cancelled by the user (ptexec cancel or key c)' }, T0 + 5_300);
    expect(snapshot(log).legs[0]!.lastReason).toBe('cancelled by the user (ptexec cancel or key c)');
  });

  it("keeps the broker's reason for a cancel ptexec did not ask for", () => {
    const log = runWith([leg(0, 'RELIANCE', 'buy', 100, 250_000)]);
    const p = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 250_000, T0 + 1_000);
    const c1 = child(log, p, 1, 0, 'RELIANCE', 'buy', 10, T0 + 1_000);
    log.add('order.status', { clientOrderId: c1, from: 'accepted', to: 'cancelled', reason: 'cancelled by the exchange: circuit limit' }, T0 + 9_000);
    expect(snapshot(log).legs[0]!.lastReason).toBe('cancelled by the exchange: circuit limit');
  });
});

/** Legs that name their order (README "Order types"), as the planner records them. */
function orderLegs(): Leg[] {
  const stop = leg(0, 'INFY', 'buy', 20, 154_000, 'market', { duration: '2h' });
  stop.execution = { algo: 'market', orderType: 'stop', triggerPrice: 156_000, params: { duration: '2h' } };
  const stopLimit = leg(1, 'TCS', 'buy', 5, 300_000, 'limit');
  stopLimit.execution = { algo: 'limit', orderType: 'stop_limit', triggerPrice: 310_000, limitPrice: 310_500, params: {} };
  const bracket = leg(2, 'RELIANCE', 'buy', 50, 150_000, 'market');
  bracket.execution = { algo: 'market', orderType: 'market', orderClass: 'bracket', takeProfit: { limitPrice: 165_000 }, stopLoss: { triggerPrice: 142_000 }, params: {} };
  const limitBracket = leg(3, 'SBIN', 'buy', 10, 80_000, 'limit');
  limitBracket.execution = { algo: 'limit', orderType: 'limit', limitPrice: 79_900, orderClass: 'bracket', takeProfit: { limitPrice: 85_000 }, stopLoss: { triggerPrice: 76_000, limitPrice: 75_900 }, params: {} };
  const oco = leg(4, 'ITC', 'sell', 100, 42_000, 'limit');
  oco.execution = { algo: 'limit', orderType: 'limit', orderClass: 'oco', takeProfit: { limitPrice: 45_000 }, stopLoss: { triggerPrice: 39_000 }, params: {} };
  return [stop, stopLimit, bracket, limitBracket, oco];
}

describe('legs that name their order', () => {
  it('say which order they were sent as in the progress lines', () => {
    const legs = orderLegs();
    const log = runWith(legs);
    for (const l of legs) parent(log, l.index, l.symbol, l.side, l.quantity, l.decisionPrice, l.decisionPrice, T0 + 1_000, l.execution.algo);
    const started = progress(log).filter((l) => l.includes('started'));
    expect(started).toEqual([
      '09:30:01 leg 0 INFY started: buy 20 with a stop at 1560.00, arrival 1540.00',
      '09:30:01 leg 1 TCS started: buy 5 with a stop-limit at 3100.00, limit 3105.00, arrival 3000.00',
      '09:30:01 leg 2 RELIANCE started: buy 50 with a bracket (entry market, take-profit 1650.00, stop-loss 1420.00), arrival 1500.00',
      '09:30:01 leg 3 SBIN started: buy 10 with a bracket (entry limit 799.00, take-profit 850.00, stop-loss 760.00 limit 759.00), arrival 800.00',
      '09:30:01 leg 4 ITC started: sell 100 with an OCO (take-profit 450.00, stop-loss 390.00), arrival 420.00',
    ]);
  });

  it('name the order in the legs table row and on the selected leg’s detail line', () => {
    const s = snapshot(runWith(orderLegs()));
    expect(s.legs.map((l) => l.order)).toEqual([
      'stop at 1560.00',
      'stop-limit at 3100.00, limit 3105.00',
      'bracket: entry market, take-profit 1650.00, stop-loss 1420.00',
      'bracket: entry limit 799.00, take-profit 850.00, stop-loss 760.00 limit 759.00',
      'OCO: take-profit 450.00, stop-loss 390.00',
    ]);
    expect(s.header.algos).toEqual(['stop', 'stop-limit', 'bracket', 'oco']);
    const frame = (selected: number, width = 79) => render(<LegsTable legs={s.legs} selected={selected} maxRows={10} width={width} color={false} />).lastFrame();
    const rows = linesOf(frame(0)).slice(1, 6);
    expect(rows.map((r) => r.split(/\s+/).slice(1, 4))).toEqual([
      ['INFY', 'BUY', 'stop'],
      ['TCS', 'BUY', 'stopL'],
      ['RELIANCE', 'BUY', 'brkt'],
      ['SBIN', 'BUY', 'brkt'],
      ['ITC', 'SELL', 'oco'],
    ]);
    expect(linesOf(frame(0)).at(-1)).toContain('stop at 1560.00');
    expect(linesOf(frame(2, 100)).at(-1)).toContain('bracket: entry market, take-profit 1650.00, stop-loss 1420.00');
    for (const line of linesOf(frame(3))) expect(visible(line)).toBeLessThanOrEqual(79);
  });
});
