import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CommandResult } from '../../app/command-result.js';
import type { Factory } from '../../app/factory.js';
import { insideBandsResult } from '../../app/drift-service.js';
import { planWaitingForLock } from '../../app/lock-wait.js';
import { targetInputFrom } from '../../app/rebalance-input.js';
import { dryRunResult, openPlanning, runResult, type PlanningSession } from '../../app/rebalance-command-service.js';
import { checkedPlanJson } from '../../app/render/run-result.js';
import { existingRunError, lockedError } from '../../app/run-conflicts.js';
import { notifyRunOutcome } from '../../app/run-notifications.js';
import { BlockedError } from '../../domain/errors/blocked-error.js';
import { ConflictError } from '../../domain/errors/conflict-error.js';
import type { CheckedPlan } from '../../engine/rebalance/rebalance-service.js';
import { credentialEnvName } from '../../lib/credentials.js';
import { getRun } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import { requestFactory, type FactoryBase } from '../request-factory.js';
import { RunSignals } from '../run-signals.js';
import type { RunsInFlight } from '../runs-in-flight.js';
import { rebalanceFlags, type ExecuteInput } from './execute-request.js';

/** What executing a request needs of the server. */
export interface ExecuteDeps {
  base: FactoryBase;
  runs: RunsInFlight;
}

/** How a request ended: a plan only (dry run, inside its bands), a run started (202) or worked to its end (`wait`). */
export type Executed = { kind: 'planned'; result: CommandResult } | { kind: 'started'; runId: string; json: Record<string, unknown> } | { kind: 'finished'; result: CommandResult };

/**
 * `POST /execute`: the target through the same use case as `ptexec rebalance` — the factory's
 * rebalance service plans, checks (the risk gate cannot be skipped) and executes, in this
 * process, with the same store, account lock and events, so `ptexec watch` sees the run. The
 * request itself is the confirmation (as `--yes`). A run the checks block is refused (409, with
 * the verdicts); a run is executed in the background and answered at once with its plan, or at
 * its end with `wait`. A server shutdown stops it like Ctrl-C: resumable.
 */
export async function executeTarget(deps: ExecuteDeps, input: ExecuteInput, ctx: { requestId: string; runId?: string; dryRunOnly?: boolean }): Promise<Executed> {
  const flags = rebalanceFlags(input.options);
  if (ctx.dryRunOnly) flags['dry-run'] = true;
  if (ctx.runId && !flags['run-id']) flags['run-id'] = ctx.runId;
  const signals = new RunSignals();
  const f = requestFactory(deps.base, { requestId: ctx.requestId, runSignals: signals, env: await credentialEnv(deps.base, input) });
  let session: PlanningSession | undefined;
  let handedOver = false;
  try {
    const target = await targetInputFrom(f, input.target, flags);
    session = await openPlanning(f, target, {
      dryRun: flags['dry-run'] ?? false,
      runId: flags['run-id'],
      newRun: flags['new-run'],
      allowPartial: flags['allow-partial'],
      allowDuplicate: flags['allow-duplicate'],
      speed: flags.speed,
      seed: flags.seed,
      noUi: true,
    });
    // A run of this target already working in this server holds the account lock under its id:
    // planning it again would take that lock as its own and, refused, release it under the run.
    const sameRun = session.service.runIdFor(session.request);
    if (!session.request.dryRun && deps.runs.has(sameRun)) throw new ConflictError(`run ${sameRun} of this target is running in this server; nothing was sent`, `follow it at /execute/${sameRun}, or end it with POST /runs/${sameRun}/cancel`);
    const inside = await insideBandsResult(f, session, target);
    if (inside) return { kind: 'planned', result: inside };
    const planned = await planWaitingForLock(f, session, undefined);
    if (planned.kind === 'stopped') return { kind: 'planned', result: planned.result };
    const store = f.store();
    if (planned.kind === 'existing') throw existingRunError(store, planned.runId, session.broker.id, 'the same target');
    if (planned.kind === 'locked') throw lockedError(store, session.service.lockKey, planned.holder, planned.runId);
    if (planned.kind === 'resume') throw new ConflictError(`run ${planned.runId} of this target is unfinished (${planned.status}); nothing was sent`, `continue it with POST /runs/${planned.runId}/resume, or end it with POST /runs/${planned.runId}/cancel`);
    if (planned.request.dryRun) return { kind: 'planned', result: dryRunResult(f.io, session.broker, planned) };
    if (planned.refusal) throw new BlockedError(planned.refusal.message, planned.refusal.hint, { result: checkedPlanJson(planned, session.broker, 'blocked', planned.refusal.message) });
    const work = runInBackground(f, session, planned);
    work.catch((err: unknown) => deps.base.log({ level: 'error', message: 'run failed', request_id: ctx.requestId, run_id: planned.runId, error: err instanceof Error ? err.message : String(err) }));
    deps.runs.add(planned.runId, signals, work);
    handedOver = true;
    if (input.options.wait) return { kind: 'finished', result: await work };
    await untilRecorded(store, planned.runId, work);
    return { kind: 'started', runId: planned.runId, json: { ...checkedPlanJson(planned, session.broker, 'running', null), dry_run: false } };
  } finally {
    if (!handedOver) {
      session?.close();
      await f.close();
    }
  }
}

/** Works the run to its end in this process, then lets go of its lock, broker and signals. */
async function runInBackground(f: Factory, session: PlanningSession, checked: CheckedPlan): Promise<CommandResult> {
  try {
    const outcome = await session.driven.drive(session.service.execute(checked));
    await notifyRunOutcome(f, checked.runId, session.broker, outcome);
    return runResult(f.io, checked.runId, session.broker, outcome, session.interrupt.signal.aborted);
  } finally {
    session.close();
    await f.close();
  }
}

/** The run's first events are on disk (so `GET /runs/<id>` and `ptexec watch` find it), or it already ended. */
async function untilRecorded(store: Store, runId: string, work: Promise<unknown>): Promise<void> {
  let settled = false;
  void work.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled && !getRun(store, runId)) await nextTurn();
}

/** A request's credentials as the environment variables a broker's credentials are read from, for this request only. */
async function credentialEnv(base: FactoryBase, input: ExecuteInput): Promise<Record<string, string> | undefined> {
  if (!input.credentials) return undefined;
  const f = requestFactory(base, { requestId: 'credentials' });
  let broker: string;
  try {
    broker = (JSON.parse(input.target.text) as { broker?: unknown }).broker as string;
  } catch {
    broker = '';
  }
  const id = await f.brokerName(typeof broker === 'string' && broker ? broker : undefined);
  return Object.fromEntries(Object.entries(input.credentials).map(([field, value]) => [credentialEnvName(id, field), value]));
}
