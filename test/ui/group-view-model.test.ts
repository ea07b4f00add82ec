import { describe, expect, it } from 'vitest';
import * as calendar from '../../src/market/calendar/index.js';
import { GroupViewModel } from '../../src/ui/view-model/group-view-model.js';
import { T0 } from './fixtures.js';
import { alias, endRun, groupRun, householdGroup } from './group-fixtures.js';
import { snapshotOf } from './render-helpers.js';
import { EventLog } from './fixtures.js';


function groupOf(log: EventLog, group = 'g1'): GroupViewModel {
  const model = new GroupViewModel({ group, alias, calendar });
  model.applyAll(log.events);
  return model;
}

describe('GroupViewModel', () => {
  it('takes the runs whose run.created names the group, labelled by alias, and leaves other runs out', () => {
    const s = groupOf(householdGroup()).snapshot(T0 + 60_000);
    expect(s.group).toBe('g1');
    expect(s.accounts.map((a) => [a.view.runId, a.view.alias, a.view.broker, a.view.account, a.view.currency, a.view.phase])).toEqual([
      ['run-main', 'main', 'paper', 'MAIN', 'INR', 'running'],
      ['run-spouse', 'spouse', 'paper', 'SPOUSE', 'INR', 'running'],
      ['run-us', 'us', 'alpaca', 'US1', 'USD', 'running'],
    ]);
  });

  it('sums up each account: progress, fills, slippage against arrival, traded value, as its own dashboard counts them', () => {
    const log = householdGroup();
    const s = groupOf(log).snapshot(T0 + 60_000);
    const main = s.accounts[0]!;
    expect(main.view).toMatchObject({ legs: 1, legsComplete: 0, fills: 1, orderedQuantity: 100, filledQuantity: 50, fillRate: 0.5, tradedValue: 12_525_000 });
    expect(main.view.slippageBps).toBeCloseTo(20, 9);
    expect(s.accounts[1]!.view.slippageBps).toBeCloseTo(10, 9);
    // The account's own snapshot is the one a single run's dashboard draws of that run's events.
    const alone = new EventLog('run-main');
    for (const e of log.events.filter((x) => x.runId === 'run-main')) alone.events.push(e);
    expect(main.snapshot).toEqual(snapshotOf(alone, T0 + 60_000));
    expect(main.view.shortfall).toBe(main.snapshot.totals.shortfall);
  });

  it('consolidates per currency, never across: INR over main and spouse, USD for us alone', () => {
    const s = groupOf(householdGroup()).snapshot(T0 + 60_000);
    expect(s.totals.map((t) => [t.currency, t.accounts, t.runs, t.fills, t.filledQuantity, t.orderedQuantity, t.tradedValue])).toEqual([
      ['INR', 2, 2, 2, 150, 300, 12_525_000 + 14_985_000],
      ['USD', 1, 1, 1, 10, 10, 200_100],
    ]);
    const inr = s.totals[0]!;
    // (50 × 5.00 + 100 × 1.50) over (50 × 2,500 + 100 × 1,500): the group measured at once.
    expect(inr.slippageBps).toBeCloseTo(((25_000 + 15_000) * 10_000) / (12_500_000 + 15_000_000), 9);
    expect(inr.shortfall).toBe(s.accounts[0]!.view.shortfall + s.accounts[1]!.view.shortfall);
    expect(inr.shortfallBps).toBeCloseTo((inr.shortfall * 10_000) / (100 * 250_000 + 200 * 150_000), 9);
    expect(s.totals[1]!.slippageBps).toBeCloseTo(5, 9);
  });

  it('has ended only once every run of the group has, a failover run included', () => {
    const log = householdGroup();
    const model = groupOf(log);
    endRun(log, 'run-main', 'completed', T0 + 10_000);
    endRun(log, 'run-spouse', 'interrupted', T0 + 10_000);
    model.applyAll(log.after(model.seq));
    expect(model.ended).toBe(false);
    endRun(log, 'run-us', 'completed', T0 + 11_000);
    model.applyAll(log.after(model.seq));
    expect(model.ended).toBe(true);
    groupRun(log, { runId: 'run-fo', group: 'g1', broker: 'paper', account: 'MAIN', failoverOf: 'run-spouse', legs: [{ symbol: 'INFY', side: 'sell', quantity: 100, arrival: 150_000, fills: [] }] }, T0 + 12_000);
    model.applyAll(log.after(model.seq));
    expect(model.ended).toBe(false);
    expect(model.snapshot(T0 + 13_000).accounts.at(-1)!.view).toMatchObject({ runId: 'run-fo', alias: 'main', failoverOf: 'run-spouse' });
    expect(new GroupViewModel({ group: 'g1' }).ended).toBe(false);
  });

  it('stops every account on the kill switch, a run that joins later too; an account without an alias is labelled by its id', () => {
    const log = new EventLog('unused');
    groupRun(log, { runId: 'a', group: 'g2', broker: 'paper', account: 'MAIN', legs: [] });
    log.add('risk.halted', { reason: 'broker outage', cancelOpen: false, actor: 'pm' }, T0 + 100, null);
    groupRun(log, { runId: 'b', group: 'g2', broker: 'paper', account: 'NEW', legs: [] }, T0 + 200);
    const s = groupOf(log, 'g2').snapshot(T0 + 300);
    expect(s.accounts.map((a) => [a.view.alias, a.view.phase, a.snapshot.header.killSwitch.engaged])).toEqual([
      ['main', 'halted', true],
      ['NEW', 'halted', true],
    ]);
  });

  it('gives each leg the router’s why for it from the run’s routes', () => {
    const s = groupOf(householdGroup()).snapshot(T0 + 60_000);
    expect(s.accounts[0]!.snapshot.legs[0]!.route).toBe('main (paper) — holds the cash for RELIANCE');
    const plain = new EventLog('unused');
    groupRun(plain, { runId: 'solo', group: 'g3', broker: 'paper', account: 'MAIN', routes: false, legs: [{ symbol: 'ITC', side: 'buy', quantity: 1, arrival: 40_000, fills: [] }] });
    expect(groupOf(plain, 'g3').snapshot(T0).accounts[0]!.snapshot.legs[0]!.route).toBeNull();
  });
});
