import type { StoredEvent } from '../domain/events/index.js';
import type { IO } from '../lib/io.js';
import { findRun } from '../store/queries.js';
import { currentActor, KillSwitch } from '../store/risk-queries.js';
import type { Store } from '../store/store.js';
import { readRunEvents } from '../ui/event-source.js';
import type { ProgressLines } from '../ui/progress-lines.js';
import type { runDashboard } from '../ui/run-dashboard.js';
import { requestControl } from './run-control.js';

/**
 * `quiet`: no progress lines (the caller says what happened itself; `--json` is always quiet);
 * `dashboard`: the dashboard to show instead of looking for a terminal (tests); `sink`: where the
 * run's events go instead (a group's dashboard shows several runs).
 */
export interface RunDisplayMode {
  noUi: boolean;
  quiet?: boolean;
  dashboard?: typeof runDashboard;
  sink?: (events: StoredEvent[]) => void;
}

/**
 * Where a run executing in this process shows its progress: the Ink dashboard on a terminal,
 * one stderr line per step otherwise (`--no-ui`, pipes, TERM=dumb), nothing with `--json`.
 * Ink is imported only when the dashboard is actually shown, and the progress lines (with the
 * view-model they count from) only by a display that writes them: `check` and `--json` runs are
 * silent and load neither.
 */
export class RunDisplay {
  private readonly progress: ProgressLines | undefined;
  private target: (events: StoredEvent[]) => void;

  private readonly silent: boolean;

  /** A display whose progress lines are loaded when it writes any (`open` is the way to make one that does). */
  static async open(io: IO, mode: RunDisplayMode): Promise<RunDisplay> {
    const lines = RunDisplay.isSilent(io, mode) ? undefined : (await import('../ui/progress-lines.js')).ProgressLines;
    return new RunDisplay(io, mode, lines);
  }

  private static isSilent(io: IO, mode: RunDisplayMode): boolean {
    return io.jsonMode || (mode.quiet ?? false);
  }

  constructor(
    private readonly io: IO,
    private readonly mode: RunDisplayMode,
    /** The progress lines' class, which a display that is not silent needs (see `open`). */
    lines?: typeof ProgressLines,
  ) {
    this.silent = RunDisplay.isSilent(io, mode);
    if (!this.silent && !lines) throw new Error('a display that writes progress lines is made with RunDisplay.open');
    this.progress = lines && new lines({ write: (line) => io.info(line) });
    this.target = mode.sink ?? (this.progress ? (events) => this.progress!.apply(events) : () => undefined);
  }

  /** The engine's event sink: forwards to whichever display is current. */
  readonly onEvents = (events: StoredEvent[]): void => this.target(events);

  get dashboard(): boolean {
    if (this.silent || this.mode.noUi) return false;
    return this.mode.dashboard !== undefined || this.io.dashboard;
  }

  /**
   * Runs `work` (the execution) with the dashboard up when there is a terminal. Keys steer the
   * run through the same events as the CLI; leaving with q (detach) falls back to progress lines;
   * Ctrl-C or "stop" in the dashboard stops sending, like the first Ctrl-C.
   */
  async around<T>(work: () => Promise<T>, ctx: { store: Store; runId: () => string; stop: () => void; now?: () => number }): Promise<T> {
    if (!this.dashboard) {
      this.showProgress(ctx.store, ctx.runId());
      return work();
    }
    const [{ runDashboard, PushEventSource }, calendar] = await Promise.all([import('../ui/run-dashboard.js'), import('../market/calendar/index.js')]);
    const source = new PushEventSource();
    // A resumed run shows its history first; a new run has none yet.
    const history = ctx.store.events({ runId: ctx.runId() });
    if (history.length) source.push(history);
    this.target = (events) => source.push(events);
    const run = () => {
      const row = findRun(ctx.store, ctx.runId());
      if (!row) throw new Error(`run ${ctx.runId()} is not recorded yet`);
      return row;
    };
    const ui = (this.mode.dashboard ?? runDashboard)({
      source,
      // A stand-in dashboard (tests) draws nothing: the terminal's stdin is not opened for it.
      ...(this.mode.dashboard ? {} : this.io.screen),
      color: this.io.color,
      readOnly: false,
      inProcess: true,
      closeWhenEnded: true,
      now: ctx.now,
      calendar: { tradingDate: calendar.tradingDate, addBusinessDays: calendar.addBusinessDays, sessionState: calendar.sessionState },
      controls: {
        pause: (leg?: number) => requestControl(ctx.store, run(), 'pause', leg),
        resume: (leg?: number) => requestControl(ctx.store, run(), 'resume', leg),
        cancel: (leg?: number) => requestControl(ctx.store, run(), 'cancel', leg),
        halt: (reason: string) => new KillSwitch(ctx.store).halt(reason, true, currentActor('ptexec rebalance')),
        detach: () => undefined,
      },
    }).then((result) => {
      if (result.exit === 'stop' || result.exit === 'interrupt') ctx.stop();
      this.showProgress(ctx.store, ctx.runId());
      return result;
    });
    try {
      return await work();
    } finally {
      await ui;
    }
  }

  /** Progress lines take over, knowing what the run did before they did (a resumed run, the dashboard). */
  private showProgress(store: Store, runId: string): void {
    const progress = this.progress;
    if (!progress) return;
    progress.catchUp(readRunEvents(store, runId, progress.seq));
    this.target = (events) => progress.apply(events);
  }
}
