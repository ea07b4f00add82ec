import type { Holding } from '../../domain/account.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { ownedInstruments } from '../../domain/ownership.js';
import type { AccountSnapshot } from '../../domain/plan.js';

/** One selected account as the group read it. */
export interface AccountState {
  alias: string;
  snapshot: AccountSnapshot;
}

/**
 * The group as one account: cash and holdings summed over the accounts, so that the target's
 * weights apply to the group's consolidated value and the planner's deltas are the group's.
 * What each account owns is read its own broker's way (`ownedInstruments`: Kite's today's trades
 * are positions, paper's are holdings) and restated as holdings, one per account and instrument.
 * Weights of one value need one currency: accounts in different currencies are refused here
 * (a per-account target file trades each account in its own).
 */
export function consolidatedSnapshot(states: readonly AccountState[]): AccountSnapshot {
  const first = states[0];
  if (!first) throw new Error('consolidatedSnapshot needs at least one account');
  const currencies = [...new Set(states.map((s) => s.snapshot.funds.currency))];
  if (currencies.length > 1) {
    const which = states.map((s) => `${s.alias} ${s.snapshot.funds.currency}`).join(', ');
    throw new InvalidInputError(`a consolidated target needs accounts of one currency (${which})`, 'select accounts of one currency with --accounts, or give each line an account (a per-account target)');
  }
  const holdings: Holding[] = [];
  const instruments = new Map(first.snapshot.instruments);
  const quotes = new Map(first.snapshot.quotes);
  for (const { snapshot } of states) {
    for (const o of ownedInstruments(snapshot).values()) {
      holdings.push({ symbol: o.symbol, exchange: o.exchange, quantity: o.settled, t1Quantity: o.t1 + o.today, averagePrice: o.averagePrice, ...(o.lastPrice === undefined ? {} : { lastPrice: o.lastPrice }) });
    }
    for (const [k, v] of snapshot.instruments) if (!instruments.has(k)) instruments.set(k, v);
    for (const [k, v] of snapshot.quotes) if (!quotes.has(k)) quotes.set(k, v);
  }
  return {
    broker: 'group',
    account: states.map((s) => s.alias).join('+'),
    takenAt: Math.max(...states.map((s) => s.snapshot.takenAt)),
    funds: { currency: currencies[0]!, available: sum(states.map((s) => s.snapshot.funds.available)), used: sum(states.map((s) => s.snapshot.funds.used)) },
    holdings,
    positions: [],
    holdingsIncludeTodaysTrades: true,
    simulatedMarket: states.every((s) => s.snapshot.simulatedMarket),
    instruments,
    quotes,
  };
}

/**
 * Shares an account may sell today, per `SYMBOL@EXCHANGE`: settled holdings less what it sold
 * today. Shares bought today or still settling (T+1) are not sold, so a sale is always delivered
 * from shares the account has.
 */
export function sellableShares(snapshot: AccountSnapshot): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of ownedInstruments(snapshot).values()) {
    const n = Math.max(0, o.settled + Math.min(0, o.today));
    if (n > 0) out.set(routingKey(o.symbol, o.exchange), n);
  }
  return out;
}

/** How the router names an instrument. */
export function routingKey(symbol: string, exchange: string): string {
  return `${symbol}@${exchange}`;
}

function sum(values: number[]): number {
  return values.reduce((s, v) => s + v, 0);
}
