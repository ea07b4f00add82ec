import type { Store } from '../../store/store.js';

/** A run's place in a group rebalance, from its own events. */
export interface RunGroup {
  group: string;
  /** The run whose unsent legs this one took over. */
  failoverOf?: string;
  /** The runs that took over this run's unsent legs. */
  movedTo: string[];
}

/** The group a run belongs to (`run.created`'s `group`), and its failovers; undefined for a run of its own. */
export function runGroup(store: Store, runId: string): RunGroup | undefined {
  const created = store.events({ runId, types: ['run.created'], limit: 1 })[0]?.payload;
  if (!created?.group) return undefined;
  const movedTo = store.events({ runId, types: ['run.failover'] }).map((e) => e.payload.to);
  return { group: created.group, ...(created.failoverOf ? { failoverOf: created.failoverOf } : {}), movedTo };
}

/** The runs recorded for a group, oldest first (a group's `run.created` events name it). */
export function runsOfGroup(store: Store, group: string): { runId: string; account: string }[] {
  return store
    .events({ types: ['run.created'] })
    .filter((e) => e.payload.group === group)
    .map((e) => ({ runId: e.payload.runId, account: e.payload.account }));
}
