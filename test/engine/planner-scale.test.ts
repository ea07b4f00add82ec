import { afterEach, describe, expect, it } from 'vitest';
import { instrumentKey, type Instrument, type Quote } from '../../src/domain/instrument.js';
import type { AccountSnapshot } from '../../src/domain/plan.js';
import { parseTargetPortfolio } from '../../src/app/loaders/target-file.js';
import { planRebalance } from '../../src/engine/planner/plan-rebalance.js';

/**
 * The planner's work grows with the lines, not with their square: counted as the elements its
 * linear searches (`find`, `filter`, `some`, …) look at, not timed.
 */
const SEARCHES = ['find', 'findIndex', 'filter', 'some', 'every'] as const;
const originals = new Map(SEARCHES.map((name) => [name, Array.prototype[name]]));
afterEach(() => {
  for (const [name, fn] of originals) Object.defineProperty(Array.prototype, name, { value: fn, writable: true, configurable: true });
});

/** Elements the array searches look at while `work` runs. */
function elementsSearched(work: () => void): number {
  let visited = 0;
  for (const [name, fn] of originals) {
    Object.defineProperty(Array.prototype, name, {
      value(this: unknown[], predicate: (...args: unknown[]) => unknown, thisArg?: unknown) {
        return (fn as (p: (...args: unknown[]) => unknown, t?: unknown) => unknown).call(this, (...args: unknown[]) => (visited++, predicate.apply(thisArg, args)));
      },
      writable: true,
      configurable: true,
    });
  }
  try {
    work();
  } finally {
    for (const [name, fn] of originals) Object.defineProperty(Array.prototype, name, { value: fn, writable: true, configurable: true });
  }
  return visited;
}

function symbol(i: number): string {
  return `S${String(i).padStart(5, '0')}`;
}

/** A plan buying `n` instruments with cash for all of them. */
function planOf(n: number): () => void {
  const instruments = new Map<ReturnType<typeof instrumentKey>, Instrument>();
  const quotes = new Map<ReturnType<typeof instrumentKey>, Quote>();
  const lines = ['symbol,target_quantity'];
  for (let i = 0; i < n; i++) {
    const s = symbol(i);
    const last = 10_000 + (i % 500) * 100;
    instruments.set(instrumentKey('NSE', s), { symbol: s, exchange: 'NSE', name: s, currency: 'INR', tickSize: 5, lotSize: 1 });
    quotes.set(instrumentKey('NSE', s), { symbol: s, exchange: 'NSE', bid: last - 5, ask: last + 5, last, volume: 0, ts: 0 });
    lines.push(`${s},${10 + (i % 20)}`);
  }
  const target = parseTargetPortfolio(lines.join('\n'), 't.csv');
  const snapshot: AccountSnapshot = { broker: 'paper', account: 'T', takenAt: 0, funds: { currency: 'INR', available: 1e13, used: 0 }, holdings: [], positions: [], holdingsIncludeTodaysTrades: true, instruments, quotes, simulatedMarket: true };
  return () => {
    const plan = planRebalance(target, snapshot, { defaultExecution: { algo: 'market', orderType: 'market', params: {} } });
    expect(plan.legs).toHaveLength(n);
  };
}

describe('planning many lines', () => {
  it('searches a bounded number of elements per line', () => {
    // Each leg's drafted quantity was found by a search of every drafted leg: 2,000 lines
    // looked at about a million elements.
    const small = planOf(200);
    const large = planOf(2_000);
    const perLine = (n: number, plan: () => void) => elementsSearched(plan) / n;
    const few = perLine(200, small);
    const many = perLine(2_000, large);
    expect(many).toBeLessThan(50);
    expect(many).toBeLessThan(few * 1.5 + 1);
  });
});
