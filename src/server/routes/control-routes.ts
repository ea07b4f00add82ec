import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import { cancelRun } from '../../app/cancel-command-service.js';
import type { CommandResult } from '../../app/command-result.js';
import { haltTrading, unhaltTrading } from '../../app/halt-service.js';
import { pauseRun } from '../../app/pause-service.js';
import { resumeRun } from '../../app/resume-command-service.js';
import { AccountLock } from '../../store/account-lock.js';
import { getRun } from '../../store/queries.js';
import { requestFactory } from '../request-factory.js';
import type { Reply, Route } from '../route.js';
import { RunSignals } from '../run-signals.js';
import { runOr404 } from './read-routes.js';
import { invalidFields, jsonObject, parseQuery, resultReply, withFactory, type RouteDeps } from './route-deps.js';

const legQuery = z.object({ leg: z.string().regex(/^\d+$/, 'is not a leg number').transform(Number).optional() }).strict();
const resumeQuery = z.object({ leg: legQuery.shape.leg, speed: z.string().optional() }).strict();
const haltBody = z.object({ reason: z.string().max(500).optional(), cancel_open: z.boolean().optional() }).strict();

/** Pause, resume, cancel a run (or one leg); halt and unhalt all trading: the services the commands call. */
export function controlRoutes(deps: RouteDeps): Route[] {
  const store = deps.base.store;
  const control = (action: 'pause' | 'cancel', summary: string): Route => ({
    method: 'POST',
    path: `/runs/:run_id/${action}`,
    scope: 'trade',
    summary,
    query: legQuery,
    handle: ({ params, url, requestId }) => {
      const { leg } = parseQuery(legQuery, url);
      const run = runOr404(store, params.run_id!);
      return withFactory(deps, requestId, async (f) =>
        resultReply(action === 'pause' ? pauseRun(f, { run: run.run_id, leg }) : await cancelRun(f, { runArg: run.run_id, flags: { leg, yes: true } })),
      );
    },
  });
  return [
    control('pause', 'Ask the process executing a run to pause it (or one leg)'),
    {
      method: 'POST',
      path: '/runs/:run_id/resume',
      scope: 'trade',
      summary: 'Continue a stopped run in this server (202), or un-pause a live one',
      query: resumeQuery,
      handle: ({ params, url, requestId }) => resume(deps, runOr404(store, params.run_id!).run_id, parseQuery(resumeQuery, url), requestId),
    },
    control('cancel', "Cancel a run (or one leg): a live run is asked to; a stopped one's open orders are cancelled here"),
    {
      method: 'POST',
      path: '/halt',
      scope: 'trade',
      summary: 'The kill switch: stop all trading (as `ptexec halt`)',
      body: haltBody,
      handle: async ({ body, requestId }) => {
        const parsed = haltBody.safeParse(await jsonObject(body));
        if (!parsed.success) throw invalidFields(parsed.error.issues, 'body');
        return withFactory(deps, requestId, async (f) => resultReply(await haltTrading(f, { reason: parsed.data.reason, cancelOpen: parsed.data.cancel_open ?? false })));
      },
    },
    {
      method: 'POST',
      path: '/unhalt',
      scope: 'trade',
      summary: 'Lift the kill switch (as `ptexec unhalt`)',
      handle: ({ requestId }) => withFactory(deps, requestId, async (f) => resultReply(await unhaltTrading(f))),
    },
  ];
}

/**
 * A live run (here or in another process) or one leg is asked to resume, as `ptexec resume`
 * does. A stopped run is continued in this server, in the background like `POST /execute`:
 * answered 202 once it is running again, or with the refusal (halted, finished, locked).
 */
async function resume(deps: RouteDeps, runId: string, q: { leg?: number; speed?: string }, requestId: string): Promise<Reply> {
  const store = deps.base.store;
  const run = getRun(store, runId)!;
  const holder = new AccountLock(store).holder(`${run.broker}:${run.account}`);
  const live = holder?.runId === runId && holder.state.alive;
  if (q.leg !== undefined || live || deps.runs.has(runId)) {
    return withFactory(deps, requestId, async (f) => resultReply(await resumeRun(f, { runArg: runId, flags: { leg: q.leg, yes: true, speed: q.speed, 'no-ui': true } })));
  }
  const signals = new RunSignals();
  const f = requestFactory(deps.base, { requestId, runSignals: signals });
  const work = resumeRun(f, { runArg: runId, flags: { yes: true, speed: q.speed, 'no-ui': true } }).finally(() => f.close());
  deps.runs.add(runId, signals, work);
  let ended: { result?: CommandResult; error?: unknown } | undefined;
  work.then(
    (result) => (ended = { result }),
    (error: unknown) => (ended = { error }),
  );
  const before = run.updated_at;
  while (!ended && !(getRun(store, runId)!.status === 'running' && getRun(store, runId)!.updated_at >= before)) await nextTurn();
  if (ended?.error) throw ended.error;
  if (ended?.result) return resultReply(ended.result);
  return { status: 202, json: { run_id: runId, action: 'resume', status: 'running', status_url: `/execute/${runId}` }, headers: { location: `/execute/${runId}` } };
}
