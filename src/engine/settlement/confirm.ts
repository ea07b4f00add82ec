import type { NewEvent, SettlementResolved } from '../../domain/events/index.js';
import { compareTradeIds } from '../../domain/trade-id-order.js';
import { ownedInstruments, type OwnershipFacts } from '../../domain/ownership.js';
import type { SettlementRow } from './settlement-book.js';
import { groupBy } from '../../domain/group-by.js';

/**
 * Confirms pending settlements that are due (settlement date ≤ today) against the broker's
 * holdings. A bought quantity has settled when it has left the broker's T1 bucket and become
 * part of the settled quantity (Kite's `t1_quantity` moving into `quantity`): so any T1 quantity
 * beyond what is still legitimately unsettled (buys not yet due that the broker books as T1) is
 * quantity that failed to settle, charged to the newest due buys first; so is any shortfall of
 * what the broker says the account owns (`ownedInstruments`: today's trades count where they are
 * positions) against `expectedOwned` (ptexec's ledger), when given. A due sell is failed when the
 * broker still holds more than `expectedOwned` says the account should (the shares were not delivered).
 */
export function confirmSettlements(
  rows: readonly SettlementRow[],
  account: OwnershipFacts,
  today: (row: SettlementRow) => string,
  expectedOwned?: ReadonlyMap<string, number>,
): NewEvent<SettlementResolved>[] {
  const events: NewEvent<SettlementResolved>[] = [];
  const bySymbol = groupBy(rows, (r) => r.symbol);
  const resolve = (r: SettlementRow, status: 'settled' | 'failed', difference?: number, reason?: string) =>
    events.push({ runId: r.runId, type: 'settlement.resolved', payload: { broker: r.broker, tradeId: r.tradeId, status, difference, reason } });

  const ownedBySymbol = groupBy(ownedInstruments(account).values(), (o) => o.symbol);
  for (const [symbol, list] of bySymbol) {
    const held = ownedBySymbol.get(symbol) ?? [];
    const brokerT1 = held.reduce((a, o) => a + o.t1, 0);
    const brokerOwned = held.reduce((a, o) => a + o.quantity, 0);
    const due = list.filter((r) => r.status === 'pending' && r.settleDate <= today(r));
    if (due.length === 0) continue;
    // Today's buys are in the broker's T1 only where its holdings include today's trades.
    const inT1 = (r: SettlementRow) => account.holdingsIncludeTodaysTrades || r.tradeDate !== today(r);
    const notDueBuys = list.filter((r) => r.side === 'buy' && r.settleDate > today(r) && inT1(r)).reduce((a, r) => a + r.quantity, 0);
    // Shares missing altogether (fewer owned than the ledger expects) did not arrive either.
    const missing = expectedOwned?.has(symbol) ? Math.max(0, expectedOwned.get(symbol)! - brokerOwned) : 0;
    let stuck = Math.max(brokerT1 - notDueBuys, missing, 0);
    const dueBuys = due.filter((r) => r.side === 'buy').sort((a, b) => (a.tradeDate === b.tradeDate ? compareTradeIds(b.tradeId, a.tradeId) : b.tradeDate.localeCompare(a.tradeDate)));
    for (const r of dueBuys) {
      const unsettled = Math.min(stuck, r.quantity);
      stuck -= unsettled;
      if (unsettled > 0) resolve(r, 'failed', unsettled, `not in the broker's settled holdings after ${r.settleDate}`);
      else resolve(r, 'settled');
    }
    let excess = expectedOwned?.has(symbol) ? Math.max(0, brokerOwned - expectedOwned.get(symbol)!) : 0;
    for (const r of due.filter((x) => x.side === 'sell')) {
      const undelivered = Math.min(excess, -r.quantity);
      excess -= undelivered;
      if (undelivered > 0) resolve(r, 'failed', undelivered, 'the broker still holds shares that were sold');
      else resolve(r, 'settled');
    }
  }
  return events;
}
