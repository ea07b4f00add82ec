import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import type { recordedRun } from '../record-service.js';
import type { RunRow } from '../../store/queries.js';
import { isoTime } from './json-contract.js';
import { fillJson, legRowJson, orderJson, runJson, shortTime } from './rows.js';

/** `ptexec runs`: one line per run, newest first. */
export function renderRuns(out: Output, runs: (RunRow & { group?: string | null })[]): void {
  if (!runs.length) {
    out.info('no runs yet: try `ptexec rebalance examples/portfolio.json --dry-run`');
    return;
  }
  // The group column appears once a group rebalance has run.
  const grouped = runs.some((r) => r.group);
  out.table(
    [
      { header: 'run' },
      { header: 'created', priority: 3 },
      { header: 'broker' },
      { header: 'account', priority: 2 },
      { header: 'status' },
      { header: 'legs', align: 'right', priority: 4 },
      ...(grouped ? [{ header: 'group', priority: 2 }] : []),
      { header: 'source', truncate: true, priority: 1 },
    ],
    runs.map((r) => [r.run_id, shortTime(r.created_at), r.broker, r.account, r.status, r.summary ? String((JSON.parse(r.summary) as { legs?: number }).legs ?? '') : '', ...(grouped ? [r.group ?? ''] : []), r.source]),
  );
}

/** `ptexec runs show`: the run's line, its source, then each leg. */
export function renderRun(out: Output, { run, legs }: { run: RunRow & { group?: string | null; failoverOf?: string | null; movedTo?: string[] }; legs: ReturnType<typeof recordedRun>['legs'] }): void {
  out.data(`Run ${run.run_id}  ${run.broker}:${run.account}  ${run.trading_date}  ${run.status}${run.reason ? ` (${run.reason})` : ''}`);
  out.paragraph(`source ${run.source}`);
  if (run.group) {
    const failover = [run.failoverOf ? `took over the unsent legs of run ${run.failoverOf}` : '', run.movedTo?.length ? `its unsent legs moved to run ${run.movedTo.join(', ')}` : ''].filter(Boolean);
    out.paragraph(`group ${run.group}: one account's run of a group rebalance (ptexec runs lists the others)${failover.length ? `; failover: ${failover.join('; ')}` : ''}`);
  }
  out.data('');
  if (legs.length)
    out.table(
      [
        { header: 'leg', align: 'right' },
        { header: 'symbol' },
        { header: 'side' },
        { header: 'algo', priority: 2 },
        { header: 'quantity', align: 'right' },
        { header: 'filled', align: 'right' },
        { header: 'avg price', align: 'right', priority: 3 },
        { header: 'status' },
        { header: 'reason', truncate: true, minWidth: 12, priority: 1 },
      ],
      legs.map(({ order: o, status }) => [o.leg, `${o.exchange}:${o.symbol}`, o.side, o.algo ?? '', o.quantity, o.filled_quantity, o.filled_quantity ? formatMinor(Math.round(o.filled_value / o.filled_quantity)) : '-', status, o.reason ?? '']),
    );
  else out.data('no orders in this run');
}

export function runDetailJson({ run, legs }: ReturnType<typeof recordedRun>) {
  return { run: runJson(run), legs: legs.map(legRowJson) };
}

