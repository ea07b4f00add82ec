import type { Exchange } from '../domain/instrument.js';
import { ExitCode, type ExitCodeValue } from '../lib/exit-codes.js';
import { reconcileAccount } from '../engine/ledger/reconcile-account.js';
import { accountSnapshotEvent } from '../engine/ledger/snapshot.js';
import { confirmSettlements } from '../engine/settlement/confirm.js';
import type { SettlementRow } from '../engine/settlement/settlement-book.js';
import { settlementReport } from '../engine/settlement/settlement-report.js';
import { tradingDate } from '../market/exchange-time.js';
import { PostTradeQueries, type SnapshotRow } from '../store/posttrade-queries.js';
import type { Factory } from './factory.js';
import { settlementFailed } from './notify/messages.js';
import { notify } from './run-notifications.js';

export interface Reconciliation {
  id: string;
  account: string;
  baseline: SnapshotRow | null;
  result: ReturnType<typeof reconcileAccount>;
  exitCode: ExitCodeValue;
}

/**
 * Compares ptexec's view of an account (the last snapshot plus every fill since) with what the
 * broker reports now. Fills of bracket exits left working by finished runs are caught up first:
 * they are ptexec's fills too. `accept` records the broker's state as the new baseline.
 */
export async function reconcileWithBroker(f: Factory, options: { broker?: string; account?: string; accept: boolean }): Promise<Reconciliation> {
  const id = await f.chooseBroker(options.broker);
  const opened = options.account === undefined ? {} : { account: options.account };
  const [broker, { clock }, schedules] = await Promise.all([f.broker(id, opened), f.clock(id), f.chargeSchedules()]);
  await f.catchUpLeftWorking(id, opened);
  const state = { holdings: await broker.holdings(), positions: await broker.positions(), funds: await broker.funds() };
  const queries = new PostTradeQueries(f.store());
  const baseline: SnapshotRow | null = queries.latestSnapshot(id, broker.account) ?? null;
  // Today is the broker's today: a simulated market's clock may run ahead of the wall clock.
  const result = reconcileAccount(queries, schedules, { id, account: broker.account }, state, (exchange) => tradingDate(exchange, clock.now()), {
    holdingsIncludeToday: broker.capabilities.holdingsIncludeTodaysTrades,
    brokerDebitsCharges: broker.capabilities.debitsCharges,
  });
  if (options.accept) f.store().append(accountSnapshotEvent({ broker: id, account: broker.account, reason: 'reconcile-accept', ...state }, null, clock.now()));
  // Any difference is something to look at: exit 4, as a run that did not complete.
  return { id, account: broker.account, baseline, result, exitCode: result.differences.length > 0 ? ExitCode.incomplete : ExitCode.ok };
}

/**
 * `settlement --confirm`: checks the settlements due against what the broker reports, and records
 * each as settled or failed (shares missing from the account, as ptexec expects it to own them).
 */
export async function confirmDueSettlements(f: Factory, brokerFlag?: string, accountId?: string): Promise<{ broker: string; checked: number; failed: number }> {
  const id = await f.chooseBroker(brokerFlag);
  const [broker, { clock }, schedules] = await Promise.all([f.broker(id, accountId === undefined ? {} : { account: accountId }), f.clock(id), f.chargeSchedules()]);
  const queries = new PostTradeQueries(f.store());
  const pending = settlementReport(queries, schedules, { broker: id, account: broker.account }).trades;
  const state = { holdings: await broker.holdings(), positions: await broker.positions(), funds: await broker.funds() };
  const { holdingsIncludeTodaysTrades, debitsCharges } = broker.capabilities;
  // Due means due in the broker's time: a simulated market's clock may run ahead of the wall clock.
  const today = (exchange: Exchange) => tradingDate(exchange, clock.now());
  const ledger = reconcileAccount(queries, schedules, { id, account: broker.account }, state, today, { holdingsIncludeToday: holdingsIncludeTodaysTrades, brokerDebitsCharges: debitsCharges });
  const expectedOwned = ledger.baselineSeq === null ? undefined : new Map(ledger.positions.map((p) => [p.symbol, p.ours]));
  const account = { holdings: state.holdings, positions: state.positions, holdingsIncludeTodaysTrades };
  const events = confirmSettlements(pending, account, (r: SettlementRow) => today(r.exchange as Exchange), expectedOwned);
  if (events.length) f.store().append(events);
  const failed = events.filter((e) => e.payload.status === 'failed').map((e) => e.payload);
  if (failed.length) await notify(f, () => settlementFailed(id, failed));
  return { broker: id, checked: events.length, failed: failed.length };
}
