import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { analyseOrders } from '../engine/tca/analyse.js';
import type { TcaGroupBy } from '../engine/tca/compare.js';
import { parseTcaInput, TcaInputError } from '../engine/tca/input-file.js';
import { compareRuns, runTca } from '../engine/tca/run-report.js';
import type { LegTca, MarketSample, TcaReport } from '../engine/tca/types.js';
import { PostTradeQueries } from '../store/posttrade-queries.js';
import type { Factory } from './factory.js';
import { dateFlag, runNamed } from './named-inputs.js';
import { readInput } from './read-input.js';
import type { LegCostEstimate } from '../domain/cost-estimate.js';
import { estimateVsActual, type RunEstimateVsActual } from '../engine/estimate/estimate-vs-actual.js';
import type { Store } from '../store/store.js';

export interface TcaRequest {
  /** A run id or a unique prefix; the latest run when neither this nor `input` is given. */
  run?: string;
  /** A JSON or CSV file of orders and fills made elsewhere (`-`: standard input). */
  input?: string;
  groupBy?: TcaGroupBy;
  /** With `groupBy`: runs whose trading date is on or after this date. */
  since?: string;
  /** Only runs of this broker account (a configured account); without `account`, every account of the broker. */
  scope?: { broker: string; account?: string };
}

/** One run's (or one file's) legs, with what the report draws each leg's chart from. */
export interface TcaLegs {
  kind: 'legs';
  report: TcaReport;
  /** Market samples over a leg's life (none for a file). */
  samplesFor?: (leg: LegTca) => readonly MarketSample[];
  fillsFor: (leg: LegTca) => { ts?: number; quantity: number }[];
  /** Brokers whose charges are counted as zero: no schedule. */
  unpriced: string[];
  /** The run's pre-trade estimates against the result; null for a file, or a run planned without estimates. */
  estimates?: RunEstimateVsActual | null;
}

/** Many runs compared by algorithm or broker. */
export interface TcaGroups extends ReturnType<typeof compareRuns> {
  kind: 'groups';
  by: TcaGroupBy;
  runs: number;
}

/** `ptexec tca`: transaction cost analysis of a run, a file, or many runs grouped. */
export async function transactionCosts(f: Factory, request: TcaRequest): Promise<TcaLegs | TcaGroups> {
  if (request.since) dateFlag('since', request.since);
  if (request.since && !request.groupBy) throw new InvalidInputError('--since works with --group-by');
  if (request.input && request.run) throw new InvalidInputError('give either a run id or --input, not both');
  if (request.groupBy) {
    const queries = new PostTradeQueries(f.store());
    const runs = queries.runs().filter((r) => (!request.since || r.tradingDate >= request.since) && inScope(r, request.scope));
    const compared = compareRuns(queries, await f.chargeSchedules(), runs.map((r) => r.runId), request.groupBy);
    return { kind: 'groups', by: request.groupBy, runs: runs.length, ...compared };
  }
  if (request.input) return fileTca(f, request.input);
  return runLegs(f, request.run, request.scope);
}

/** Whether a run traded the broker account `scope` names (every run, without a scope). */
export function inScope(run: { broker: string; account: string }, scope: TcaRequest['scope']): boolean {
  return scope === undefined || (run.broker === scope.broker && (scope.account === undefined || run.account === scope.account));
}

async function fileTca(f: Factory, input: string): Promise<TcaLegs> {
  const { text, source } = await readInput(input, { stdin: () => f.io.stdin });
  let orders;
  try {
    orders = parseTcaInput(text, source);
  } catch (err) {
    if (err instanceof TcaInputError) throw new InvalidInputError(`invalid TCA input ${source}`, 'see "TCA" in the README, or examples/tca-input.json', { issues: err.issues });
    throw err;
  }
  const byId = new Map(orders.map((o) => [o.id, o]));
  return { kind: 'legs', report: analyseOrders(null, orders), fillsFor: (l) => byId.get(l.id)?.fills ?? [], unpriced: [] };
}

async function runLegs(f: Factory, name: string | undefined, scope: TcaRequest['scope']): Promise<TcaLegs> {
  const queries = new PostTradeQueries(f.store());
  const run = name ? queries.run(runNamed(f.store(), name).run_id) : scope ? queries.runs().filter((r) => inScope(r, scope)).at(-1) : queries.latestRun();
  if (!run) throw new InvalidInputError(scope ? `no runs of ${scope.broker}${scope.account ? ` account ${scope.account}` : ''} yet` : 'no runs yet', 'run `ptexec rebalance` first, or analyse a file with --input');
  if (!inScope(run, scope)) throw new InvalidInputError(`run ${run.runId} traded ${run.broker} account ${run.account}, not ${scope!.broker}${scope!.account ? ` account ${scope!.account}` : ''}`, 'give a run of the account, or leave out the run id for its latest run');
  const { unpriced, market, fills, ...report } = runTca(queries, await f.chargeSchedules(), run.runId);
  return {
    kind: 'legs',
    report,
    samplesFor: (l) => (l.startTs !== null && l.endTs !== null ? (market.get(l.id)?.between(l.startTs, l.endTs) ?? []) : []),
    fillsFor: (l) => fills.get(l.id) ?? [],
    unpriced,
    estimates: estimateVsActual(report.legs, queries.plannedCosts(run.runId)),
  };
}

/** Each leg's estimate as recorded with the run's plan (runs recorded before estimates have none). */
export function plannedEstimates(store: Store, runId: string): Map<number, LegCostEstimate> {
  const estimates = new Map<number, LegCostEstimate>();
  // A run is planned once, near its start: the first match ends the read (not a scan of every event of the run).
  for (const e of store.events({ runId, types: ['run.planned'], limit: 1 })) for (const l of e.payload.legs) if (l.estimate) estimates.set(l.index, l.estimate);
  return estimates;
}
