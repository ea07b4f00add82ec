import { EventLog, leg, T0 } from './fixtures.js';

/** One leg of a group's run: planned, its parent order at `arrival`, and fills at `prices` (one share each unless given). */
export interface GroupLeg {
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  arrival: number;
  fills: [quantity: number, price: number][];
}

/**
 * A group rebalance's runs recorded in one log, as the store interleaves them: each run created
 * with the group and its routes, planned in its currency, started, its legs worked and filled.
 */
export function groupRun(log: EventLog, run: { runId: string; group: string | undefined; broker: string; account: string; currency?: 'INR' | 'USD'; legs: GroupLeg[]; routes?: boolean; failoverOf?: string }, at = T0): void {
  const routes = run.routes === false ? undefined : run.legs.map((l) => ({ symbol: l.symbol, exchange: 'NSE', side: l.side, quantity: l.quantity, why: `${run.account.toLowerCase()} (${run.broker}) — holds the cash for ${l.symbol}` }));
  log.add('run.created', { runId: run.runId, broker: run.broker, account: run.account, tradingDate: '2026-11-20', targetHash: 'h', source: 'household.csv', dryRun: false, options: {}, ...(run.group ? { group: run.group } : {}), ...(run.failoverOf ? { failoverOf: run.failoverOf } : {}), ...(routes ? { routes } : {}) }, at, run.runId);
  const legs = run.legs.map((l, i) => leg(i, l.symbol, l.side, l.quantity, l.arrival, 'market', {}));
  log.add('run.planned', { legs, skipped: [], notes: [], accountValue: 100_000_000, cashBefore: 50_000_000, currency: run.currency ?? 'INR' }, at + 1, run.runId);
  log.add('run.status', { status: 'running' }, at + 2, run.runId);
  run.legs.forEach((l, i) => {
    const id = `${run.runId}-P${i}`;
    log.add('order.created', { clientOrderId: id, leg: i, broker: run.broker, account: run.account, symbol: l.symbol, exchange: 'NSE', side: l.side, type: 'market', quantity: l.quantity, timeInForce: 'day', product: 'delivery', algo: 'market', arrivalPrice: l.arrival, decisionPrice: l.arrival }, at + 3, run.runId);
    log.add('order.status', { clientOrderId: id, from: 'created', to: 'accepted', brokerOrderId: `B${id}` }, at + 3, run.runId);
    l.fills.forEach(([quantity, price], n) => {
      log.add('fill.recorded', { clientOrderId: id, tradeId: `${id}-t${n}`, brokerOrderId: `B${id}`, broker: run.broker, account: run.account, symbol: l.symbol, exchange: 'NSE', side: l.side, quantity, price, ts: at + 4 + n }, at + 4 + n, run.runId);
    });
  });
}

export function endRun(log: EventLog, runId: string, status: string, at: number): void {
  log.add('run.status', { status }, at, runId);
}

/**
 * Group `g1`: main (paper MAIN) bought 50 of 100 RELIANCE at 2,505.00 against 2,500.00 arrival
 * (+20 bps); spouse (paper SPOUSE) sold 100 of 200 INFY at 1,498.50 against 1,500.00 (+10 bps);
 * us (alpaca US1, USD) bought 10 AAPL at 200.10 against 200.00 (+5 bps); and a run of its own
 * (not in the group) in between.
 */
export function householdGroup(): EventLog {
  const log = new EventLog('unused');
  groupRun(log, { runId: 'run-main', group: 'g1', broker: 'paper', account: 'MAIN', legs: [{ symbol: 'RELIANCE', side: 'buy', quantity: 100, arrival: 250_000, fills: [[50, 250_500]] }] });
  groupRun(log, { runId: 'run-other', group: undefined, broker: 'paper', account: 'OTHER', legs: [{ symbol: 'TCS', side: 'buy', quantity: 10, arrival: 400_000, fills: [[10, 400_000]] }] });
  groupRun(log, { runId: 'run-spouse', group: 'g1', broker: 'paper', account: 'SPOUSE', legs: [{ symbol: 'INFY', side: 'sell', quantity: 200, arrival: 150_000, fills: [[100, 149_850]] }] });
  groupRun(log, { runId: 'run-us', group: 'g1', broker: 'alpaca', account: 'US1', currency: 'USD', legs: [{ symbol: 'AAPL', side: 'buy', quantity: 10, arrival: 20_000, fills: [[10, 20_010]] }] });
  return log;
}

export const ALIASES: Record<string, string> = { 'paper MAIN': 'main', 'paper SPOUSE': 'spouse', 'alpaca US1': 'us' };
export const alias = (broker: string, account: string): string | undefined => ALIASES[`${broker} ${account}`];
