import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StoredEvent } from '../domain/events/index.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { ENDED_RUN } from '../domain/run-status.js';
import { findRunState, type RunState } from '../store/queries.js';
import { currentActor, KillSwitch } from '../store/risk-queries.js';
import type { Store } from '../store/store.js';
import { readRunEvents } from '../ui/event-source.js';
import { boundHeapGrowth } from '../ui/heap-growth.js';
import { openDatabase } from './database.js';
import type { Factory } from './factory.js';
import { writeNdjson } from './render/event-json.js';
import { requestControl } from './run-control.js';
import { runGroup } from './group/run-group.js';

const POLL_MS = 150;
/** Events read at a time: smaller batches read back to back keep the replay of a large run's memory down (bench/scaling.js: 50k legs, 469 → 354–384 MiB). */
const BATCH = 1000;

export interface WatchRequest {
  /** A run id or a unique prefix; the latest run when absent. */
  run?: string;
  /** A group rebalance's id (or a unique prefix): every account's run of it. */
  group?: string;
  /** NDJSON: keep streaming until the run ends. */
  follow: boolean;
  /** The dashboard keys that steer the run (pause, resume, cancel, kill switch). */
  control: boolean;
}

/**
 * `ptexec watch`: a run's events, from the database, as the terminal can show them: the live
 * dashboard on a terminal, plain progress lines on one that cannot draw it (TERM=dumb), else
 * NDJSON on stdout.
 */
export async function watchRun(f: Factory, request: WatchRequest): Promise<void> {
  const path = f.databasePath();
  if (!existsSync(path)) throw new InvalidInputError(`no runs yet: there is no database at ${path}`, 'start one with `ptexec rebalance`, or point --db / PTEXEC_DB at the right database');
  // Watching is this process's only work: garbage is collected sooner than V8 would (ui/heap-growth.ts).
  boundHeapGrowth();
  const store = openForWatch(path, request.control);
  try {
    if (request.group !== undefined) return await watchGroup(f, store, request);
    // The run's id and status only: its row's plan (34 MB at 50,000 legs) would be kept for the whole watch.
    const run = findRunState(store, request.run);
    if (!run) throw new InvalidInputError(request.run ? `no run ${request.run}` : 'no runs yet', 'list runs with `ptexec runs`');
    const onTerminal = f.io.stdoutIsTTY && !f.io.jsonMode;
    const group = onTerminal ? runGroup(store, run.run_id)?.group : undefined;
    if (group) f.io.info(`run ${run.run_id} is one account's part of group ${group}; \`ptexec watch --group ${group}\` shows every account`);
    if (onTerminal && f.io.env.TERM !== 'dumb') await dashboard(f, store, run, request.control);
    else if (onTerminal) await progressLines(f, store, run);
    else await ndjson(f, store, run, request.follow);
  } finally {
    store.close();
  }
}

/** `watch --group`: the group's runs, on the dashboard, as progress lines or as NDJSON, as for one run. */
async function watchGroup(f: Factory, store: Store, request: WatchRequest): Promise<void> {
  if (request.run !== undefined) throw new InvalidInputError('give a run or --group, not both', '`ptexec watch <run>` watches one run; `ptexec watch --group <group>` every run of the group');
  const { findGroup, groupDashboard, groupNdjson, groupProgressLines } = await import('./group/group-watch.js');
  const group = findGroup(store, request.group!);
  const onTerminal = f.io.stdoutIsTTY && !f.io.jsonMode;
  if (onTerminal && f.io.env.TERM !== 'dumb') await groupDashboard(f, store, group, request.control);
  else if (onTerminal) await groupProgressLines(f, store, group);
  else await groupNdjson(f, store, group, request.follow);
}

async function dashboard(f: Factory, store: Store, run: RunState, control: boolean): Promise<void> {
  const screen = f.io.screen;
  // Ink and the calendar data are loaded only here, so no other command pays for them.
  const [{ runDashboard, PollingEventSource }, calendar] = await Promise.all([import('../ui/run-dashboard.js'), import('../market/calendar/index.js')]);
  const controls = control
    ? {
        pause: (leg?: number) => requestControl(store, fresh(store, run), 'pause', leg),
        resume: (leg?: number) => requestControl(store, fresh(store, run), 'resume', leg),
        cancel: (leg?: number) => requestControl(store, fresh(store, run), 'cancel', leg),
        halt: (reason: string) => new KillSwitch(store).halt(reason, true, currentActor('ptexec watch')),
        detach: () => undefined,
      }
    : undefined;
  await runDashboard({
    source: new PollingEventSource(store, run.run_id, { intervalMs: POLL_MS, batch: BATCH }),
    ...screen,
    controls,
    color: f.io.color,
    readOnly: !control,
    calendar: { tradingDate: calendar.tradingDate, addBusinessDays: calendar.addBusinessDays, sessionState: calendar.sessionState },
  });
  const now = fresh(store, run);
  if (!ENDED_RUN.has(now.status)) f.io.info(`left the dashboard; run ${run.run_id} is ${now.status} and carries on. \`ptexec watch ${run.run_id}\` attaches again.`);
}

/** A terminal that cannot draw the dashboard (TERM=dumb): the plain progress lines, followed to the end. */
async function progressLines(f: Factory, store: Store, run: RunState): Promise<void> {
  const { ProgressLines } = await import('../ui/progress-lines.js');
  const lines = new ProgressLines({ write: (line) => f.io.info(line) });
  await follow(store, run, true, (events) => lines.apply(events));
}

async function ndjson(f: Factory, store: Store, run: RunState, following: boolean): Promise<void> {
  f.io.endOnClosedPipe();
  await follow(store, run, following, (events) => writeNdjson(events, (text) => f.io.text(text)));
}

/** Reads the run's events in batches; with `following`, polls until the run reaches a final status. */
async function follow(store: Store, run: RunState, following: boolean, emit: (events: StoredEvent[]) => void): Promise<void> {
  let after = 0;
  let ended = isOver(run);
  for (;;) {
    const events = readRunEvents(store, run.run_id, after, BATCH);
    if (events.length) {
      emit(events);
      after = events.at(-1)!.seq;
      for (const e of events) if (e.type === 'run.status' && ENDED_RUN.has(e.payload.status)) ended = true;
      if (events.length >= BATCH) continue;
    }
    if (!following || ended) return;
    ended = isOver(fresh(store, run));
    if (!ended) await sleep(POLL_MS);
  }
}

/** The run's current row (its status changes while we watch). */
function fresh(store: Store, run: RunState): RunState {
  return findRunState(store, run.run_id) ?? run;
}

/** Nothing more will be appended: a final status, or a dry run (it never trades). */
function isOver(run: RunState): boolean {
  return ENDED_RUN.has(run.status) || run.dry_run === 1;
}

/**
 * Watching never needs to write unless --control is given, so the database is opened read-only
 * (a watcher cannot disturb the run). A database that cannot be opened read-only (for example one
 * whose newest migrations are not applied yet) is opened normally.
 */
function openForWatch(path: string, control: boolean): Store {
  if (!control) {
    try {
      return openDatabase(path, { readonly: true });
    } catch {
      // fall through to a normal open
    }
  }
  return openDatabase(path);
}
