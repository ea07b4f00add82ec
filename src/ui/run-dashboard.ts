import { processSignals, STOP_SIGNALS } from '../lib/interrupt.js';
import type { ReactElement, createElement as CreateElement } from 'react';
import type { StoredEvent } from '../domain/events/index.js';
import type { Dashboard as DashboardComponent, DashboardControls, DashboardExit, DashboardProps } from './dashboard.js';
import type { GroupDashboard as GroupDashboardComponent } from './group-dashboard.js';
import type { DashboardEventSource } from './event-source.js';
import { DashboardLog } from './dashboard-log.js';
import { guardResize } from './resize-guard.js';
import { YoungGenerationCap } from './young-generation-cap.js';
import { type DashboardCalendar, DashboardViewModel } from './view-model/view-model.js';
import { type AccountAlias, GroupViewModel } from './view-model/group-view-model.js';
import { GroupLog } from './group-log.js';

const MAX_FPS = 20;
/** See YoungGenerationCap; measured with bench/ui-dashboard.js. */
const YOUNG_GENERATION_LIMIT = 8 * 1024 * 1024;

export type { DashboardControls, DashboardExit } from './dashboard.js';
export type { DashboardEventSource } from './event-source.js';
export { PollingEventSource, PushEventSource } from './event-source.js';
export type { DashboardCalendar } from './view-model/view-model.js';
export type { AccountAlias } from './view-model/group-view-model.js';
export { GroupPollingEventSource } from './event-source.js';

/** A group rebalance's dashboard: every run whose `run.created` names the group, each labelled by its account. */
export interface GroupScreen {
  id: string;
  alias?: AccountAlias;
  /** The keys' actions on one run of the group (absent = read-only). */
  controlsFor?: (runId: string) => DashboardControls;
}

export interface RunDashboardOptions {
  source: DashboardEventSource;
  /** Absent = read-only. */
  controls?: DashboardControls;
  /** The terminal (IO.screen, which also puts React in its production build). */
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  /** Where the stop signals come from (IO.screen; default: the process's). */
  signals?: { on(name: (typeof STOP_SIGNALS)[number], handler: () => void): unknown; off(name: (typeof STOP_SIGNALS)[number], handler: () => void): unknown };
  color: boolean;
  readOnly: boolean;
  /** The run executes in this process: `q` asks whether to stop it. */
  inProcess?: boolean;
  /** Close the dashboard (exit `ended`) once the run reaches a final status. */
  closeWhenEnded?: boolean;
  calendar?: DashboardCalendar;
  /**
   * Data frames per second at most (default 8, at most 20): numbers that change faster cannot be
   * read anyway, and each frame costs CPU. Key presses redraw at once (up to 20 a second); the
   * screen also refreshes once a second for the clocks.
   */
  fps?: number;
  /** The viewer's wall clock (default Date.now): the market clock runs on from the events at the run's speed. */
  now?: () => number;
  /** Show a group rebalance's runs (the source delivers the group's events) instead of one run. */
  group?: GroupScreen;
  /** Close the dashboard (exit `ended`) once this settles: the work it shows is over (a group executing in this process). */
  until?: Promise<unknown>;
}

export interface DashboardResult {
  /** The user left while the run may still be going (`q`): it continues without the screen. */
  detached: boolean;
  exit: DashboardExit;
}

/**
 * The one owner of the Ink lifecycle. Events are applied to the view model as they arrive (cheap)
 * and the screen is redrawn from a snapshot at most `fps` times a second, so a burst of thousands
 * of fills costs a handful of frames. The terminal is left clean on every way out: q, Ctrl-C,
 * SIGINT/SIGTERM/SIGHUP, or the run ending with `closeWhenEnded`.
 */
export async function runDashboard(options: RunDashboardOptions): Promise<DashboardResult> {
  const youngGeneration = new YoungGenerationCap(YOUNG_GENERATION_LIMIT);
  youngGeneration.hold();
  const [{ render }, { createElement }, { Dashboard }, group] = await Promise.all([import('ink'), import('react'), import('./dashboard.js'), options.group ? import('./group-dashboard.js') : undefined]);
  const { stdout, stdin } = options;
  if (!stdout || !stdin) throw new Error('the dashboard needs a terminal: pass IO.screen');
  const signals = options.signals ?? processSignals();
  const fps = Math.min(MAX_FPS, Math.max(1, options.fps ?? 8));
  const now = options.now ?? Date.now;
  const { exited, finish } = exitLatch();
  const screen = screenOf(options, now, createElement, Dashboard, group?.GroupDashboard);
  let dirty = true;
  let lastFrameAt = 0;

  const element = (final = false) =>
    screen.element(final, {
      columns: stdout.columns || 80,
      rows: stdout.rows || 24,
      color: options.color,
      readOnly: options.readOnly || !(options.controls ?? options.group?.controlsFor),
      inProcess: options.inProcess ?? false,
      interactive: Boolean(stdin.isTTY),
      onExit: finish,
    });

  const releaseResize = guardResize(stdout);
  const stopSource = options.source.start((events) => {
    screen.apply(events);
    dirty = true;
  });
  const over = () => finish('ended');
  void options.until?.then(over, over);
  const instance = render(element(), { stdout, stdin, exitOnCtrlC: false, patchConsole: true, maxFps: MAX_FPS });
  lastFrameAt = now();

  youngGeneration.check();
  const frame = () => {
    youngGeneration.check();
    const clockTick = now() - lastFrameAt >= 1000;
    if (!dirty && !clockTick) return;
    dirty = false;
    lastFrameAt = now();
    instance.rerender(element());
    if (options.closeWhenEnded && screen.ended()) finish('ended');
  };
  const timer = setInterval(frame, Math.ceil(1000 / fps));
  const onResize = () => {
    dirty = true;
  };
  const onSignal = () => finish('interrupt');
  stdout.on('resize', onResize);
  for (const signal of STOP_SIGNALS) signals.on(signal, onSignal);

  try {
    const exit = await exited;
    // One last frame so the screen left behind shows the final state and the whole log.
    instance.rerender(element(true));
    return { detached: exit === 'detach' || exit === 'stop', exit };
  } finally {
    clearInterval(timer);
    stopSource();
    stdout.off('resize', onResize);
    for (const signal of STOP_SIGNALS) signals.off(signal, onSignal);
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    releaseResize();
  }
}

/** How the dashboard is left: the first way out wins; later ones (a signal after `q`) change nothing. */
function exitLatch(): { exited: Promise<DashboardExit>; finish(exit: DashboardExit): void } {
  let finished = false;
  let resolveExit!: (exit: DashboardExit) => void;
  const exited = new Promise<DashboardExit>((resolve) => {
    resolveExit = resolve;
  });
  const finish = (exit: DashboardExit) => {
    if (finished) return;
    finished = true;
    resolveExit(exit);
  };
  return { exited, finish };
}

type Props = Pick<DashboardProps, 'columns' | 'rows' | 'color' | 'readOnly' | 'inProcess' | 'interactive' | 'onExit'>;

/** What the dashboard draws: one run's model and log, or a group's. */
interface Screen {
  apply(events: StoredEvent[]): void;
  ended(): boolean;
  element(final: boolean, props: Props): ReactElement;
}

function screenOf(options: RunDashboardOptions, now: () => number, createElement: typeof CreateElement, Dashboard: typeof DashboardComponent, GroupDashboard: typeof GroupDashboardComponent | undefined): Screen {
  const group = options.group;
  if (group && GroupDashboard) {
    const model = new GroupViewModel({ group: group.id, alias: group.alias, calendar: options.calendar });
    const log = new GroupLog(model, now);
    return {
      apply: (events) => model.applyAll(events),
      ended: () => model.ended,
      element: (final, props) => {
        const snapshot = model.snapshot(now());
        log.flush(snapshot, final || snapshot.ended);
        return createElement(GroupDashboard, { ...props, group: snapshot, log: log.lines, controlsFor: group.controlsFor });
      },
    };
  }
  const model = new DashboardViewModel({ calendar: options.calendar });
  const log = new DashboardLog(model, now);
  return {
    apply: (events) => model.applyAll(events),
    ended: () => model.ended,
    element: (final, props) => {
      const snapshot = model.snapshot(now());
      log.flush(snapshot, final || snapshot.ended);
      return createElement(Dashboard, { ...props, snapshot, log: log.lines, controls: options.controls });
    },
  };
}
