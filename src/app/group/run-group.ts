import type { StoredEventOf } from '../../domain/events/index.js';
import { runIdsOldestFirst } from '../../store/queries.js';
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

/**
 * Every run's `run.created`, oldest first. Read run by run through the log's index by run (a
 * run's first event): the log has no index by type, so asking it for every `run.created` reads
 * every event ever recorded, and a database of large runs holds millions.
 */
export function runsCreated(store: Store): StoredEventOf<'run.created'>[] {
  return runIdsOldestFirst(store).flatMap((runId) => store.events({ runId, types: ['run.created'], limit: 1 }));
}

/** The runs recorded for a group, oldest first (a group's `run.created` events name it). */
export function runsOfGroup(store: Store, group: string): { runId: string; account: string }[] {
  return runsCreated(store)
    .filter((e) => e.payload.group === group)
    .map((e) => ({ runId: e.payload.runId, account: e.payload.account }));
}

/** Where a group's events start: just before its first run was recorded (0 when none is yet: a group not started). */
export function groupStartSeq(store: Store, group: string): number {
  const first = runsCreated(store).find((e) => e.payload.group === group);
  return first ? first.seq - 1 : 0;
}
