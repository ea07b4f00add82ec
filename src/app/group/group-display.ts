import type { StoredEvent } from '../../domain/events/index.js';
import type { IO } from '../../lib/io.js';
import type { Store } from '../../store/store.js';
import { PushEventSource } from '../../ui/event-source.js';
import type { runDashboard } from '../../ui/run-dashboard.js';
import { accountAliases, groupControls } from './group-watch.js';
import type { Factory } from '../factory.js';

/**
 * Where a group rebalance executing in this process shows its runs: on a terminal, one dashboard
 * for the whole group (every account's run, the group per currency, the chosen account's legs),
 * fed by every account's run as its events are recorded; nothing otherwise (each run's result is
 * printed when the group ends). Ink is imported only when the dashboard is shown.
 */
export class GroupDisplay {
  private readonly source: PushEventSource | undefined;

  constructor(
    private readonly f: Factory,
    mode: { noUi: boolean; dashboard?: typeof runDashboard },
  ) {
    const io: IO = f.io;
    const shown = !io.jsonMode && !mode.noUi && (mode.dashboard !== undefined || io.dashboard);
    this.source = shown ? new PushEventSource() : undefined;
    this.dashboard = mode.dashboard;
  }

  private readonly dashboard: typeof runDashboard | undefined;

  /** Every account's event sink (`openAccount`'s `onEvents`). */
  readonly onEvents = (events: StoredEvent[]): void => this.source?.push(events);

  /**
   * Runs `work` (the group's execution, failovers included) with the group's dashboard up; it
   * closes when the work calls `worked` (every run has ended: what it prints next is not drawn
   * over) or ends. Keys act on the chosen account's run; leaving with q asks, as for one run:
   * `s` (or Ctrl-C) stops every run of the group, state saved.
   */
  async around<T>(work: (worked: () => Promise<void>) => Promise<T>, ctx: { store: Store; group: string; stop: (reason: string) => void }): Promise<T> {
    const source = this.source;
    if (!source) return work(async () => undefined);
    const [{ runDashboard }, calendar, alias] = await Promise.all([import('../../ui/run-dashboard.js'), import('../../market/calendar/index.js'), accountAliases(this.f)]);
    let close!: () => void;
    const until = new Promise<void>((resolve) => (close = resolve));
    const ui = (this.dashboard ?? runDashboard)({
      source,
      ...(this.dashboard ? {} : this.f.io.screen),
      group: { id: ctx.group, alias, controlsFor: groupControls(ctx.store, 'ptexec rebalance') },
      color: this.f.io.color,
      readOnly: false,
      inProcess: true,
      until,
      calendar: { tradingDate: calendar.tradingDate, addBusinessDays: calendar.addBusinessDays, sessionState: calendar.sessionState },
    }).then((result) => {
      if (result.exit === 'stop' || result.exit === 'interrupt') ctx.stop('stopped from the dashboard');
    });
    const worked = async () => {
      close();
      await ui;
    };
    try {
      return await work(worked);
    } finally {
      await worked();
    }
  }
}
