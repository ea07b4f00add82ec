import type { EventReader, EventType, StoredEvent } from '../domain/events/index.js';

/**
 * Where the dashboard's events come from. `start` delivers events in sequence order, each once,
 * to `onEvents` until the returned function is called. Two implementations: polling the store
 * (`watch`, another terminal, a run started by cron) and a push buffer (a run in this process).
 */
export interface DashboardEventSource {
  start(onEvents: (events: StoredEvent[]) => void): () => void;
}

/** Kill-switch events belong to no run (runId null) but stop every run, so the dashboard reads them too. */
export const KILL_SWITCH_EVENTS: readonly EventType[] = ['risk.halted', 'risk.unhalted'];

/**
 * The run's events after `afterSeq`, merged with the account-wide kill-switch events, in seq
 * order. With a `limit`, the result never skips an event: it stops where the shorter read ended.
 */
export function readRunEvents(reader: EventReader, runId: string, afterSeq: number, limit?: number): StoredEvent[] {
  const own = reader.events({ runId, afterSeq, limit });
  // Asked by run (none), not by type alone: the log has no index by type, so that read scanned every event after `afterSeq`.
  const halts = reader.events({ runId: null, types: KILL_SWITCH_EVENTS, afterSeq, limit }).filter((e) => e.runId === null);
  if (halts.length === 0) return own;
  let merged = [...own, ...halts].sort((a, b) => a.seq - b.seq);
  const cut = Math.min(
    limit !== undefined && own.length >= limit ? (own.at(-1)?.seq ?? Infinity) : Infinity,
    limit !== undefined && halts.length >= limit ? (halts.at(-1)?.seq ?? Infinity) : Infinity,
  );
  if (cut !== Infinity) merged = merged.filter((e) => e.seq <= cut);
  return merged;
}

export interface PollingOptions {
  /** Poll interval; 100–200 ms keeps the screen live without loading the database. */
  intervalMs?: number;
  /** Events read per poll, so a long replay loads progressively instead of in one stall. */
  batch?: number;
  /** Read errors (a busy database) are retried on the next poll; this hears about them. */
  onError?(error: unknown): void;
}

export class PollingEventSource implements DashboardEventSource {
  private lastSeq = 0;

  constructor(
    private readonly reader: EventReader,
    private readonly runId: string,
    private readonly options: PollingOptions = {},
  ) {}

  start(onEvents: (events: StoredEvent[]) => void): () => void {
    const batch = this.options.batch ?? 5000;
    let stopped = false;
    let catchingUp: NodeJS.Immediate | undefined;
    const poll = () => {
      catchingUp = undefined;
      try {
        const events = readRunEvents(this.reader, this.runId, this.lastSeq, batch);
        const last = events.at(-1);
        if (!last) return;
        this.lastSeq = last.seq;
        onEvents(events);
        // A full batch: more is waiting (a finished run replayed, a backlog), read on at once rather than a batch per interval.
        if (events.length >= batch && !stopped && !catchingUp) catchingUp = setImmediate(poll);
      } catch (error) {
        this.options.onError?.(error);
      }
    };
    poll();
    const timer = setInterval(() => {
      if (!catchingUp) poll();
    }, this.options.intervalMs ?? 150);
    return () => {
      stopped = true;
      clearInterval(timer);
      if (catchingUp) clearImmediate(catchingUp);
    };
  }
}

/**
 * The events of a group rebalance's runs after `afterSeq`, in seq order: a run belongs to the group
 * once its `run.created` names it (`members` learns each, failovers that start later too), and
 * the kill-switch events, which belong to no run. The log is read from the group's first
 * `run.created` on; other runs' events in between are passed over.
 */
export function readGroupEvents(reader: EventReader, group: string, members: Set<string>, afterSeq: number, limit?: number): { events: StoredEvent[]; lastSeq: number; full: boolean } {
  const all = reader.events({ afterSeq, limit });
  const events = all.filter((e) => {
    if (e.runId === null) return e.type === 'risk.halted' || e.type === 'risk.unhalted';
    if (e.type === 'run.created' && e.payload.group === group) members.add(e.runId);
    return members.has(e.runId);
  });
  return { events, lastSeq: all.at(-1)?.seq ?? afterSeq, full: limit !== undefined && all.length >= limit };
}

/** A group's events polled from the store (`watch --group`, or a group executing in this process). */
export class GroupPollingEventSource implements DashboardEventSource {
  private lastSeq: number;
  private readonly members = new Set<string>();

  constructor(
    private readonly reader: EventReader,
    private readonly group: string,
    private readonly options: PollingOptions & { afterSeq?: number } = {},
  ) {
    this.lastSeq = options.afterSeq ?? 0;
  }

  start(onEvents: (events: StoredEvent[]) => void): () => void {
    const batch = this.options.batch ?? 5000;
    const poll = () => {
      try {
        const read = readGroupEvents(this.reader, this.group, this.members, this.lastSeq, batch);
        this.lastSeq = read.lastSeq;
        if (read.events.length) onEvents(read.events);
      } catch (error) {
        this.options.onError?.(error);
      }
    };
    poll();
    const timer = setInterval(poll, this.options.intervalMs ?? 150);
    return () => clearInterval(timer);
  }
}

/**
 * For a run executing in this process: the engine's event sink pushes each appended event here.
 * Events pushed before the dashboard starts are kept and delivered first; once the dashboard has
 * stopped, pushes are dropped (nothing is left to read them).
 */
export class PushEventSource implements DashboardEventSource {
  private buffer: StoredEvent[] = [];
  private listener: ((events: StoredEvent[]) => void) | null = null;
  private stopped = false;

  push(events: StoredEvent | readonly StoredEvent[]): void {
    const list = Array.isArray(events) ? [...(events as readonly StoredEvent[])] : [events as StoredEvent];
    if (this.listener) this.listener(list);
    else if (!this.stopped) this.buffer.push(...list);
  }

  start(onEvents: (events: StoredEvent[]) => void): () => void {
    this.listener = onEvents;
    this.stopped = false;
    if (this.buffer.length) {
      const pending = this.buffer;
      this.buffer = [];
      onEvents(pending);
    }
    return () => {
      this.listener = null;
      this.stopped = true;
    };
  }
}
