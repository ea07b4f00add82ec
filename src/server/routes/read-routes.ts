import { z } from 'zod';
import { accountPositions } from '../../app/positions-service.js';
import { profitAndLoss, settlements } from '../../app/post-trade-service.js';
import { recordedOrder } from '../../app/record-service.js';
import { orderDetailJson } from '../../app/render/order-view.js';
import { pnlJson } from '../../app/render/pnl-view.js';
import { positionsJson } from '../../app/render/positions-view.js';
import { fillJson, legRowJson, orderJson, runJson } from '../../app/render/rows.js';
import { settlementJson } from '../../app/render/settlement-view.js';
import { tcaJson } from '../../app/render/tca-report.js';
import { runLegs } from '../../app/run-legs.js';
import { transactionCosts } from '../../app/tca-service.js';
import { pageFills, pageOrders, pageRuns } from '../../store/page-queries.js';
import { findRun, getOrder, type RunRow } from '../../store/queries.js';
import type { Store } from '../../store/store.js';
import { httpProblem } from '../problem.js';
import type { Route } from '../route.js';
import { decodeCursor, encodeCursor, pageLimit, pageQuery } from './paging.js';
import { parseQuery, withFactory, type RouteDeps } from './route-deps.js';

const runsQuery = z.object({ ...pageQuery, status: z.string().optional(), broker: z.string().optional() }).strict();
const ordersQuery = z.object({ ...pageQuery, run: z.string().optional(), status: z.string().optional(), symbol: z.string().optional(), parents: z.enum(['true', 'false']).optional() }).strict();
const fillsQuery = z.object({ ...pageQuery, run: z.string().optional(), symbol: z.string().optional() }).strict();
const brokerQuery = z.object({ broker: z.string().optional() }).strict();
const tcaQuery = z.object({ run: z.string().optional(), group_by: z.enum(['algo', 'broker']).optional(), since: z.string().optional() }).strict();
const settlementQuery = z.object({ date: z.string().optional(), status: z.enum(['pending', 'settled', 'failed']).optional(), broker: z.string().optional() }).strict();
const pnlQuery = z.object({ run: z.string().optional(), since: z.string().optional(), broker: z.string().optional() }).strict();

/** A run by id (or a unique prefix, as on the command line); 404 when there is none. */
export function runOr404(store: Store, id: string): RunRow {
  const run = findRun(store, id);
  if (!run) throw httpProblem('not-found', 404, `no run ${id}`, { exit_code: 2, hint: 'list runs with GET /runs' });
  return run;
}

/** The recorded runs, orders, fills and reports, in the JSON of the commands' `--json` (README "Output contract"). */
export function readRoutes(deps: RouteDeps): Route[] {
  return [...recordRoutes(deps), ...reportRoutes(deps)];
}

function recordRoutes(deps: RouteDeps): Route[] {
  const store = deps.base.store;
  return [
    {
      method: 'GET',
      path: '/runs',
      scope: 'read',
      summary: 'Runs, newest first (as `ptexec runs --json`), a page at a time',
      query: runsQuery,
      handle: ({ url }) => {
        const q = parseQuery(runsQuery, url);
        const page = pageRuns(store, { status: q.status, broker: q.broker, after: decodeCursor(q.cursor), limit: pageLimit(q.limit) });
        return { status: 200, json: { runs: page.rows.map(runJson), next_cursor: encodeCursor(page.next) } };
      },
    },
    {
      method: 'GET',
      path: '/runs/:run_id',
      scope: 'read',
      summary: 'One run and its legs (as `ptexec runs show --json`)',
      handle: ({ params }) => {
        const run = runOr404(store, params.run_id!);
        return { status: 200, json: { run: runJson(run), legs: runLegs(store, run.run_id).map(legRowJson) } };
      },
    },
    {
      method: 'GET',
      path: '/runs/:run_id/legs',
      scope: 'read',
      summary: "A run's legs with their statuses",
      handle: ({ params }) => {
        const run = runOr404(store, params.run_id!);
        return { status: 200, json: { run_id: run.run_id, legs: runLegs(store, run.run_id).map(legRowJson) } };
      },
    },
    {
      method: 'GET',
      path: '/orders',
      scope: 'read',
      summary: 'Orders in the order they were created (as `ptexec orders --json`), a page at a time',
      query: ordersQuery,
      handle: ({ url }) => {
        const q = parseQuery(ordersQuery, url);
        const runId = q.run === undefined ? undefined : runOr404(store, q.run).run_id;
        const page = pageOrders(store, { runId, status: q.status, symbol: q.symbol, parentsOnly: q.parents === 'true', after: decodeCursor(q.cursor), limit: pageLimit(q.limit) });
        return { status: 200, json: { orders: page.rows.map(orderJson), next_cursor: encodeCursor(page.next) } };
      },
    },
    {
      method: 'GET',
      path: '/orders/:order_id',
      scope: 'read',
      summary: 'One order, its history and fills (as `ptexec orders show --json`)',
      handle: ({ params, requestId }) => {
        if (!getOrder(store, params.order_id!)) throw httpProblem('not-found', 404, `no order ${params.order_id}`, { exit_code: 2 });
        return withFactory(deps, requestId, (f) => ({ status: 200, json: orderDetailJson(recordedOrder(f, params.order_id!)) }));
      },
    },
    {
      method: 'GET',
      path: '/fills',
      scope: 'read',
      summary: 'Fills in the order they were recorded (as `ptexec fills --json`), a page at a time',
      query: fillsQuery,
      handle: ({ url }) => {
        const q = parseQuery(fillsQuery, url);
        const runId = q.run === undefined ? undefined : runOr404(store, q.run).run_id;
        const page = pageFills(store, { runId, symbol: q.symbol, after: decodeCursor(q.cursor), limit: pageLimit(q.limit) });
        return { status: 200, json: { fills: page.rows.map(fillJson), next_cursor: encodeCursor(page.next) } };
      },
    },
  ];
}

function reportRoutes(deps: RouteDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/positions',
      scope: 'read',
      summary: "The broker account's holdings and cash now (as `ptexec positions --json`)",
      query: brokerQuery,
      handle: ({ url, requestId }) => withFactory(deps, requestId, async (f) => ({ status: 200, json: positionsJson(await accountPositions(f, parseQuery(brokerQuery, url).broker)) })),
    },
    {
      method: 'GET',
      path: '/tca',
      scope: 'read',
      summary: 'Transaction cost analysis of a run (the latest by default), or runs grouped (as `ptexec tca --json`)',
      query: tcaQuery,
      handle: ({ url, requestId }) => {
        const q = parseQuery(tcaQuery, url);
        return withFactory(deps, requestId, async (f) => ({ status: 200, json: tcaJson(await transactionCosts(f, { run: q.run, groupBy: q.group_by, since: q.since })) }));
      },
    },
    {
      method: 'GET',
      path: '/settlement',
      scope: 'read',
      summary: 'Settlements per day (as `ptexec settlement --json`)',
      query: settlementQuery,
      handle: ({ url, requestId }) => {
        const q = parseQuery(settlementQuery, url);
        return withFactory(deps, requestId, async (f) => ({ status: 200, json: settlementJson((await settlements(f, { ...q, confirm: false })).report) }));
      },
    },
    {
      method: 'GET',
      path: '/pnl',
      scope: 'read',
      summary: 'Realised and unrealised P&L (as `ptexec pnl --json`)',
      query: pnlQuery,
      handle: ({ url, requestId }) => withFactory(deps, requestId, async (f) => ({ status: 200, json: pnlJson(await profitAndLoss(f, parseQuery(pnlQuery, url))) })),
    },
  ];
}
