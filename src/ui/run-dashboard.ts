import { processSignals, STOP_SIGNALS } from '../lib/interrupt.js';
import type { DashboardControls, DashboardExit } from './dashboard.js';
import type { DashboardEventSource } from './event-source.js';
import { DashboardLog } from './dashboard-log.js';
import { guardResize } from './resize-guard.js';
import { YoungGenerationCap } from './young-generation-cap.js';
import { type DashboardCalendar, DashboardViewModel } from './view-model/view-model.js';

const MAX_FPS = 20;
/** See YoungGenerationCap; measured with bench/ui-dashboard.js. */
const YOUNG_GENERATION_LIMIT = 8 * 1024 * 1024;

export type { DashboardControls, DashboardExit } from './dashboard.js';
export type { DashboardEventSource } from './event-source.js';
export { PollingEventSource, PushEventSource } from './event-source.js';
export type { DashboardCalendar } from './view-model/view-model.js';

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
  const [{ render }, { createElement }, { Dashboard }] = await Promise.all([import('ink'), import('react'), import('./dashboard.js')]);
  const { stdout, stdin } = options;
  if (!stdout || !stdin) throw new Error('the dashboard needs a terminal: pass IO.screen');
  const signals = options.signals ?? processSignals();
  const fps = Math.min(MAX_FPS, Math.max(1, options.fps ?? 8));
  const now = options.now ?? Date.now;
  const model = new DashboardViewModel({ calendar: options.calendar });
  let dirty = true;
  let lastFrameAt = 0;
  const { exited, finish } = exitLatch();

  const log = new DashboardLog(model, now);

  const element = (final = false) => {
    const snapshot = model.snapshot(now());
    log.flush(snapshot, final || snapshot.ended);
    return createElement(Dashboard, {
      snapshot,
      log: log.lines,
      columns: stdout.columns || 80,
      rows: stdout.rows || 24,
      color: options.color,
      readOnly: options.readOnly || !options.controls,
      inProcess: options.inProcess ?? false,
      interactive: Boolean(stdin.isTTY),
      controls: options.controls,
      onExit: finish,
    });
  };

  const releaseResize = guardResize(stdout);
  const stopSource = options.source.start((events) => {
    model.applyAll(events);
    dirty = true;
  });
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
    if (options.closeWhenEnded && model.ended) finish('ended');
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
