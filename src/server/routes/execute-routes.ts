import { z } from 'zod';
import { BlockedError } from '../../domain/errors/blocked-error.js';
import { UNFINISHED_RUN } from '../../domain/run-status.js';
import { targetPositionsSchema, targetRequestSchema } from '../../domain/target-json.js';
import { sha256Hex } from '../../market/hash.js';
import { claimIdempotencyKey, releaseIdempotencyKey } from '../../store/idempotency-queries.js';
import { getRun, type RunRow } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import { runLegs } from '../../app/run-legs.js';
import { averagePrice } from '../../app/render/json-contract.js';
import { executeOptionsSchema, readExecuteInput, type ExecuteInput } from '../execute/execute-request.js';
import { executeTarget, type Executed } from '../execute/execute-run.js';
import { executeResponse } from '../execute/results.js';
import { httpProblem } from '../problem.js';
import type { Reply, Route, RouteContext } from '../route.js';
import { runOr404 } from './read-routes.js';
import type { RouteDeps } from './route-deps.js';

/** The body `POST /execute` takes: a target in either JSON shape with the options beside it (or CSV, options in the query). */
export const executeBodySchema = z.union([z.object({ ...targetRequestSchema.shape, ...executeOptionsSchema.shape }), z.object({ ...targetPositionsSchema.shape, ...executeOptionsSchema.shape })]);

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/** `POST /execute` (the original service's endpoint), `GET /execute/:run_id` (its status), `POST /checks` (a dry-run plan). */
export function executeRoutes(deps: RouteDeps): Route[] {
  const store = deps.base.store;
  /** Keys whose first request is being planned in this process: a second one waits for nothing, it is told so. */
  const planning = new Set<string>();
  return [
    {
      method: 'POST',
      path: '/execute',
      scope: 'trade',
      summary: 'Rebalance an account to a target: 202 with the run and where to follow it, or its end with wait=true',
      query: executeOptionsSchema,
      body: executeBodySchema,
      handle: async (ctx) => {
        const input = readExecuteInput(await ctx.body(), ctx.url.searchParams, deps.allowRequestCredentials);
        const key = ctx.req.headers['idempotency-key'];
        if (key === undefined || input.options.dry_run) return executedReply(await executeTarget(deps, input, { requestId: ctx.requestId }));
        if (Array.isArray(key) || !IDEMPOTENCY_KEY.test(key)) throw httpProblem('malformed-request', 400, 'Idempotency-Key must be 1 to 200 printable characters');
        return idempotent(deps, planning, ctx, input, key);
      },
    },
    {
      method: 'GET',
      path: '/execute/:run_id',
      scope: 'read',
      summary: "A run's results in the original response shape",
      handle: ({ params }) => ({ status: 200, json: recordedResponse(store, runOr404(store, params.run_id!)) }),
    },
    {
      method: 'POST',
      path: '/checks',
      scope: 'read',
      summary: 'Plan a target and run the pre-trade checks; nothing is recorded or sent (as `ptexec check --json`)',
      query: executeOptionsSchema,
      body: executeBodySchema,
      handle: async (ctx) => {
        const input = readExecuteInput(await ctx.body(), ctx.url.searchParams, deps.allowRequestCredentials);
        return executedReply(await executeTarget(deps, input, { requestId: ctx.requestId, dryRunOnly: true }));
      },
    },
  ];
}

/**
 * The same key never trades twice: it is bound to its run id and a hash of its request in the
 * database before anything is planned. The same request again answers with that run as it is
 * now; another request under the key is refused (422). A key whose request recorded no run
 * (bad input, the broker down) is freed, since nothing was sent.
 */
async function idempotent(deps: RouteDeps, planning: Set<string>, ctx: RouteContext, input: ExecuteInput, key: string): Promise<Reply> {
  const store = deps.base.store;
  const runId = input.options.run_id ?? `i${sha256Hex(key).slice(0, 9)}`;
  const claim = claimIdempotencyKey(store, { key, request_hash: input.requestHash, run_id: runId, token_id: ctx.token?.id ?? null, created_at: Date.now() });
  if (!claim.claimed) {
    if (claim.row.request_hash !== input.requestHash) throw httpProblem('idempotency-key-reused', 422, `Idempotency-Key ${key} was first used with another request (run ${claim.row.run_id}); nothing was sent`, { run_id: claim.row.run_id });
    const run = getRun(store, claim.row.run_id);
    if (run) return replayed(store, run);
    if (planning.has(key)) throw httpProblem('conflict', 409, `a request with Idempotency-Key ${key} is being planned; retry shortly`, { exit_code: 6 });
  }
  planning.add(key);
  try {
    return executedReply(await executeTarget(deps, input, { requestId: ctx.requestId, runId: claim.row.run_id }));
  } catch (err) {
    if (!getRun(store, claim.row.run_id)) releaseIdempotencyKey(store, key);
    throw err;
  } finally {
    planning.delete(key);
  }
}

/** A key's run, answered again: as it is now (a blocked one is refused again, as it was). */
function replayed(store: Store, run: RunRow): Reply {
  if (run.status === 'blocked') throw new BlockedError(run.reason ?? 'the pre-trade checks blocked the run', `see it with GET /runs/${run.run_id}`);
  const json = recordedResponse(store, run);
  return { status: UNFINISHED_RUN.has(run.status) ? 202 : 200, json, headers: { 'idempotent-replayed': 'true', location: json.status_url } };
}

function executedReply(executed: Executed): Reply {
  if (executed.kind === 'started') {
    const json = executeResponse(executed.json as Parameters<typeof executeResponse>[0]);
    return { status: 202, json, headers: { location: json.status_url } };
  }
  const json = executeResponse(executed.result.json as Parameters<typeof executeResponse>[0]);
  return { status: 200, json: executed.result.exitCode === 0 ? json : { ...json, exit_code: executed.result.exitCode } };
}

/** A recorded run in the response shape of `POST /execute`: each leg as recorded now. */
export function recordedResponse(store: Store, run: RunRow) {
  const results = runLegs(store, run.run_id).map(({ order, status }) => ({
    symbol: order.symbol,
    quantity: order.quantity,
    side: order.side,
    status,
    reason: order.reason,
    exchange: order.exchange,
    leg: order.leg,
    filled_quantity: order.filled_quantity,
    average_price: order.filled_quantity ? averagePrice(order.filled_value / order.filled_quantity) : null,
    parent_order_id: order.client_order_id,
  }));
  return executeResponse({ run_id: run.run_id, broker: run.broker, account: run.account, dry_run: false, status: run.status, reason: run.reason, results });
}
