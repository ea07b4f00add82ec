import type { Funds, Holding, Position } from '../../domain/account.js';
import type { Exchange } from '../../domain/instrument.js';
import type { ChargeSchedules } from '../charges/schedule.js';
import { settlementRows } from '../settlement/settlement-book.js';
import { chargesForFills, type PostTradeReader } from './post-trade-reader.js';
import { reconcile, type ReconcileResult } from './reconcile.js';
import { currencyOf } from './records.js';

export interface BrokerAccountState {
  holdings: Holding[];
  positions: Position[];
  funds: Funds;
}

/**
 * Reconciles one broker account: the latest snapshot plus ptexec's fills since, against the
 * broker's state now. `today(exchange)` is the exchange-local date, for what is still unsettled.
 */
export function reconcileAccount(
  reader: PostTradeReader,
  schedules: ChargeSchedules,
  broker: { id: string; account: string },
  state: BrokerAccountState,
  today: (exchange: Exchange) => string,
  options: { holdingsIncludeToday: boolean; brokerDebitsCharges: boolean },
): ReconcileResult & { baselineSeq: number | null } {
  const baseline = reader.latestSnapshot(broker.id, broker.account) ?? null;
  // An account's cash is in one currency: fills in another (a paper account reset to another currency) are not its own.
  const all = reader.fills({ broker: broker.id, account: broker.account }).filter((f) => currencyOf(f.exchange) === state.funds.currency);
  const { charges } = chargesForFills(reader, schedules, all, 'all');
  const fills = all.filter((f) => f.seq > (baseline?.seq ?? 0));
  const pendingBuys = new Map<string, number>();
  let pendingSellProceeds = 0;
  for (const r of settlementRows(all, charges, reader.settlementResolutions())) {
    if (r.status !== 'pending' || r.settleDate <= today(r.exchange)) continue;
    if (r.side === 'buy') pendingBuys.set(r.symbol, (pendingBuys.get(r.symbol) ?? 0) + r.quantity);
    else pendingSellProceeds += r.cash;
  }
  const result = reconcile({ baseline, fills, charges, pendingBuys, pendingSellProceeds, broker: state, options });
  return { ...result, baselineSeq: baseline?.seq ?? null };
}
