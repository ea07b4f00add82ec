import { instrumentKey } from '../../domain/instrument.js';
import type { AccountSnapshot, Leg, Plan } from '../../domain/plan.js';
import { UNFINISHED_RUN } from '../../domain/run-status.js';
import type { RiskConfig } from './config.js';
import type { OrderHistory, RiskReason, SameTargetRun } from './types.js';
import { groupBy } from '../../domain/group-by.js';

/**
 * The duplicate rule catches the same intent submitted twice, never a coincidence. An intent is
 * a run's target content (its hash) on a trading day, and a leg's parent order by its content.
 * Two runs of different targets may well have legs, or slices, of the same symbol, side and
 * size: that is not a duplicate. Two things are:
 *
 * - the same target again (`--new-run`, `--run-id`) while an earlier run of it on the same day
 *   traded (an order filled or may still fill) within `window_seconds` of its last order, or
 *   is unfinished — a run-wide reason, so nothing is sent;
 * - a leg whose parent order (instrument, side, quantity, order type, limit, algorithm) is
 *   still working in another run of the day: that order may still fill what this leg would.
 *
 * Equal orders of finished runs of other targets never count. `--allow-duplicate` turns both
 * into warnings; `window_seconds: 0` switches the rule off.
 */
export interface DuplicateContext {
  config: RiskConfig;
  history?: OrderHistory;
  /** The run being checked: never a duplicate of itself. */
  runId?: string;
  intent?: { targetHash: string; tradingDate: string };
  /** Wall-clock time (epoch ms), the time orders are recorded in. */
  wallNow: number;
  allowDuplicate?: boolean;
}

function applies(ctx: DuplicateContext): ctx is DuplicateContext & { history: OrderHistory; intent: { targetHash: string; tradingDate: string } } {
  return ctx.history !== undefined && ctx.intent !== undefined && ctx.config.duplicates.window_seconds > 0;
}

/** The run-wide reason when the same target already traded, or undefined. */
export function repeatedTarget(plan: Plan, snapshot: AccountSnapshot, ctx: DuplicateContext): RiskReason | undefined {
  // A plan with nothing to send cannot send anything twice.
  if (!applies(ctx) || plan.legs.length === 0) return undefined;
  const window = ctx.config.duplicates.window_seconds;
  const since = ctx.wallNow - window * 1000;
  const runs = ctx.history
    .sameTargetRuns({ broker: snapshot.broker, account: snapshot.account, ...ctx.intent, excludeRunId: ctx.runId })
    .filter((r) => UNFINISHED_RUN.has(r.status) || r.lastOrderAt >= since);
  if (!runs.length) return undefined;
  const what = (r: SameTargetRun) => `${ago(ctx.wallNow - r.lastOrderAt)} (${r.status}; ${count(r.legs, 'leg')}, ${count(r.orders, 'order')} filled or working)`;
  const found = runs.length === 1 ? `run ${runs[0]!.runId} traded this same target ${what(runs[0]!)}` : `${runs.length} runs traded this same target today: ${runs.map((r) => `${r.runId} ${what(r)}`).join(', ')}`;
  const unfinished = runs.find((r) => UNFINISHED_RUN.has(r.status));
  const next = unfinished
    ? `finish it with \`ptexec resume ${unfinished.runId}\`, or send the target again with --allow-duplicate`
    : `to send it again use --allow-duplicate (or wait out risk.duplicates.window_seconds: ${window})`;
  return reason(ctx, found, next);
}

/** Per leg: the reason when the same parent order is still working in another run. */
export function workingDuplicates(snapshot: AccountSnapshot, ctx: DuplicateContext): (leg: Leg) => RiskReason | undefined {
  if (!applies(ctx)) return () => undefined;
  const working = ctx.history.workingParents({ broker: snapshot.broker, account: snapshot.account, tradingDate: ctx.intent.tradingDate, excludeRunId: ctx.runId });
  const byContent = groupBy(working, (p) => contentKey(instrumentKey(p.exchange, p.symbol), p.side, p.quantity, p.type, p.limitPrice, p.algo));
  if (byContent.size === 0) return () => undefined;
  return (leg) => {
    const key = instrumentKey(leg.exchange, leg.symbol);
    const same = byContent.get(contentKey(key, leg.side, leg.quantity, leg.execution.orderType, leg.limitPrice ?? null, leg.execution.algo));
    if (!same) return undefined;
    const where = same.map((p) => `run ${p.runId} (${p.filledQuantity} of ${p.quantity} filled)`).join(', ');
    return reason(ctx, `the same order (${leg.side} ${leg.quantity} ${key}, ${leg.execution.orderType}, ${leg.execution.algo}) is still working in ${where}`, 'finish that run first (ptexec resume), or send this one too with --allow-duplicate');
  };
}

/** What was found, and what to do about it (or, when allowed, that it is sent anyway). */
function reason(ctx: DuplicateContext, found: string, next: string): RiskReason {
  return ctx.allowDuplicate ? { rule: 'duplicate', level: 'warn', message: `${found}; sent again (--allow-duplicate)` } : { rule: 'duplicate', level: 'block', message: `${found}; ${next}` };
}

function contentKey(instrument: string, side: string, quantity: number, type: string, limitPrice: number | null, algo: string | null): string {
  return [instrument, side, quantity, type, limitPrice ?? '', algo ?? ''].join('|');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function ago(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute ago';
  if (minutes < 120) return `${count(minutes, 'minute')} ago`;
  return `${count(Math.floor(minutes / 60), 'hour')} ago`;
}
