import type { StoredEvent } from '../../domain/events/index.js';
import type { RunAccount } from './stream-deps.js';

/** Runs whose account is remembered; past it the memory starts over (runs are few, events many). */
const MAX_REMEMBERED_RUNS = 10_000;

/**
 * The account an event belongs to: the one its payload names (orders, fills, snapshots, charges,
 * settlements), else the one its run trades, else none (a halt of every account, a notification).
 */
export class EventAccounts {
  private readonly runs = new Map<string, RunAccount | null>();

  constructor(private readonly lookup: (runId: string) => RunAccount | undefined) {}

  of(e: StoredEvent): RunAccount | { broker: string | null; account: null } {
    const p = (typeof e.payload === 'object' && e.payload !== null ? e.payload : {}) as { broker?: unknown; account?: unknown };
    const broker = typeof p.broker === 'string' ? p.broker : null;
    if (typeof p.account === 'string' && broker !== null) {
      if (e.type === 'run.created' && e.runId) this.remember(e.runId, { broker, account: p.account });
      return { broker, account: p.account };
    }
    const run = e.runId ? this.ofRun(e.runId) : null;
    return run ?? { broker, account: null };
  }

  private ofRun(runId: string): RunAccount | null {
    if (this.runs.has(runId)) return this.runs.get(runId)!;
    const found = this.lookup(runId) ?? null;
    // A run not yet in `runs` is not remembered as having no account: its run.created may be on its way.
    if (found) this.remember(runId, found);
    return found;
  }

  private remember(runId: string, account: RunAccount): void {
    if (this.runs.size >= MAX_REMEMBERED_RUNS) this.runs.clear();
    this.runs.set(runId, account);
  }
}
