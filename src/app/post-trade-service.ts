import { pnlReport, type PnlReport } from '../engine/ledger/pnl-report.js';
import type { SettlementRow } from '../engine/settlement/settlement-book.js';
import { settlementReport, type SettlementReport } from '../engine/settlement/settlement-report.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import { confirmDueSettlements } from './broker-account-service.js';
import type { Factory } from './factory.js';
import { dateFlag, runNamed } from './named-inputs.js';

/** `ptexec pnl`: realised and unrealised P&L from the FIFO ledger, narrowed to a run, a date or a broker. */
export async function profitAndLoss(f: Factory, request: { run?: string; since?: string; broker?: string; account?: string }): Promise<PnlReport> {
  if (request.since) dateFlag('since', request.since);
  const runId = request.run === undefined ? undefined : runNamed(f.store(), request.run).run_id;
  return pnlReport(new PostTradeQueries(f.store()), await f.chargeSchedules(), { runId, since: request.since, broker: request.broker, account: request.account });
}

/**
 * `ptexec settlement`: the settlements per day (or per trade), after checking the ones due
 * against the broker's holdings when asked (`confirm`).
 */
export async function settlements(
  f: Factory,
  request: { date?: string; status?: SettlementRow['status']; broker?: string; account?: string; confirm: boolean },
): Promise<{ confirmed?: Awaited<ReturnType<typeof confirmDueSettlements>>; report: SettlementReport }> {
  if (request.date) dateFlag('date', request.date);
  const confirmed = request.confirm ? await confirmDueSettlements(f, request.broker, request.account) : undefined;
  const report = settlementReport(new PostTradeQueries(f.store()), await f.chargeSchedules(), { date: request.date, status: request.status, broker: request.broker, account: request.account });
  return { confirmed, report };
}
