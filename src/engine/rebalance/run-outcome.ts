import { newEvent, type NewEvent, type RunStatusChanged } from '../../domain/events/index.js';
import type { RunStatus } from '../../domain/run-status.js';
import type { BlockedLeg, SkippedLine } from '../../domain/plan.js';
import { currencyOf } from '../ledger/records.js';
import type { RunOutcome } from '../runtime/execution-runtime.js';

/**
 * What a run did, with the lines of its target it left out: legs the pre-trade checks blocked
 * (`--allow-partial`) and buys the plan dropped for lack of cash. Either makes a run whose traded
 * legs all completed `partial`, never `completed`.
 */
export interface RebalanceOutcome extends Omit<RunOutcome, 'status'> {
  status: RunOutcome['status'] | 'partial';
  blocked: BlockedLeg[];
  skipped: SkippedLine[];
  notes: string[];
}

/** The lines a run leaves out, as recorded with its plan. */
export type LeftOut = Pick<RebalanceOutcome, 'blocked' | 'skipped' | 'notes'>;

/** A run whose traded legs all completed is `partial` when lines of its target were left out. */
export function conclude(worked: RunOutcome, leftOut: LeftOut): RebalanceOutcome {
  const outcome: RebalanceOutcome = { ...worked, ...leftOut };
  if (worked.status !== 'completed') return outcome;
  const dropped = leftOut.skipped.filter((s) => s.unmet);
  if (!leftOut.blocked.length && !dropped.length) return outcome;
  const count = (n: number) => `${n} leg${n === 1 ? '' : 's'}`;
  const names = (lines: { symbol: string }[]) => lines.map((l) => l.symbol).join(', ');
  const parts = [
    ...(leftOut.blocked.length ? [`${count(leftOut.blocked.length)} blocked by the pre-trade checks (${names(leftOut.blocked)})`] : []),
    ...(dropped.length ? [`${count(dropped.length)} dropped for lack of cash (${names(dropped)})`] : []),
  ];
  return { ...outcome, status: 'partial', reason: parts.join(', ') };
}

/** The `run.status` event of a run. */
export function statusEvent(runId: string, status: RunStatus, reason?: string, summary?: Record<string, unknown>): NewEvent {
  const payload: RunStatusChanged['payload'] = { status, ...(reason ? { reason } : {}), ...(summary ? { summary } : {}) };
  return newEvent(runId, 'run.status', payload);
}

/** The counts a run's final status carries. */
export function summarise(outcome: RebalanceOutcome): Record<string, unknown> {
  const count = (o: string) => outcome.legs.filter((l) => l.outcome === o).length;
  return {
    legs: outcome.legs.length + outcome.blocked.length,
    complete: count('complete'),
    partial: count('partial'),
    unfilled: count('unfilled'),
    rejected: count('rejected'),
    cancelled: count('cancelled'),
    blocked: outcome.blocked.length,
    skipped: outcome.skipped.filter((s) => s.unmet).length,
    ...tradedValue(outcome),
  };
}

/** What the run traded, in its currency; never a sum over legs in different currencies (null then). */
function tradedValue(outcome: RebalanceOutcome): { currency: string | null; traded_value: number | null } {
  const currencies = new Set(outcome.legs.map((l) => currencyOf(l.exchange)));
  if (currencies.size > 1) return { currency: null, traded_value: null };
  return { currency: [...currencies][0] ?? null, traded_value: outcome.legs.reduce((s, l) => s + Math.round(l.filled * l.averagePrice), 0) };
}
