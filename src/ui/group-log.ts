import { DashboardLog } from './dashboard-log.js';
import { fit } from './format.js';

/** The alias column of the log, as wide as the accounts panel's. */
const ALIAS = 9;
import type { GroupSnapshot, GroupViewModel } from './view-model/group-view-model.js';
import type { LogLine } from './view-model/log-lines.js';

/**
 * The log above a group's live region: each account's fills and alerts written as its own
 * dashboard writes them (bursts summed up per symbol), each line led by the account's alias
 * (cut to the panel's alias column).
 */
export class GroupLog {
  private log: LogLine[] = [];
  private readonly accounts = new Map<string, { log: DashboardLog; written: number }>();

  constructor(
    private readonly model: GroupViewModel,
    private readonly now: () => number,
  ) {}

  get lines(): LogLine[] {
    return this.log;
  }

  flush(snapshot: GroupSnapshot, force: boolean): void {
    for (const { view, snapshot: account } of snapshot.accounts) {
      let entry = this.accounts.get(view.runId);
      const model = this.model.model(view.runId);
      if (!entry && model) this.accounts.set(view.runId, (entry = { log: new DashboardLog(model, this.now), written: 0 }));
      if (!entry) continue;
      entry.log.flush(account, force);
      const lines = entry.log.lines;
      if (lines.length === entry.written) continue;
      const fresh = lines.slice(entry.written).map((l) => ({ ...l, key: `${view.runId}:${l.key}`, text: `${fit(view.alias, ALIAS)} ${l.text}` }));
      this.log = this.log.concat(fresh);
      entry.written = lines.length;
    }
  }
}
