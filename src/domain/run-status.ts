/**
 * The statuses of a run and the groups every part of ptexec reads them in (README "Output
 * contract"). A run is `planned` when recorded, `running` while its process trades, `paused` by
 * the user, and ends in one of the others:
 *
 * - `completed`: every leg did all that was asked;
 * - `partial`: every leg it traded is complete, but lines of the target were left out (legs
 *   blocked by the pre-trade checks under `--allow-partial`, buys dropped for lack of cash);
 * - `incomplete`: a leg ended short of its quantity;
 * - `blocked`: the pre-trade checks blocked the plan, nothing was sent;
 * - `interrupted`: its process stopped before the end (a signal, the kill switch, a lost
 *   connection); `ptexec resume` goes on;
 * - `failed`: an error ptexec could not recover from.
 */
export const RUN_STATUSES = ['planned', 'running', 'paused', 'completed', 'partial', 'incomplete', 'blocked', 'interrupted', 'failed'] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** Runs not over yet: `ptexec resume` continues them, `ptexec cancel` ends them, a same target waits for them. */
export const UNFINISHED_RUN: ReadonlySet<string> = new Set<RunStatus>(['planned', 'running', 'paused', 'interrupted']);

/** Runs that are over: they are not resumed (a new run trades what is left). */
export const FINISHED_RUN: ReadonlySet<string> = new Set<RunStatus>(['completed', 'partial', 'incomplete', 'blocked', 'failed']);

/**
 * Runs no process is executing any more, so nothing more will be recorded for them unless they
 * are resumed: the finished ones and `interrupted`. Where a viewer (`watch`, the dashboard,
 * progress lines) stops following and prints the run's summary.
 */
export const ENDED_RUN: ReadonlySet<string> = new Set([...FINISHED_RUN, 'interrupted']);

/** Runs that traded and ended short of their target: a new run (`--new-run`) trades what is left. */
export const FELL_SHORT_RUN: ReadonlySet<string> = new Set<RunStatus>(['partial', 'incomplete', 'failed']);

/** Runs a pause, resume or cancel request can be sent to: a process may be executing them. */
export const STEERABLE_RUN: ReadonlySet<string> = new Set<RunStatus>(['planned', 'running', 'paused']);

/** Whether a status read from outside the types (a row, an event of an older ptexec) is a run status. */
export function isRunStatus(status: string): status is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(status);
}
