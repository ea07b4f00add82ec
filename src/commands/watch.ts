import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { openDatabase } from '../app/database.js';
import { eventJson } from '../app/render/event-json.js';
import { requestControl } from '../app/run-control.js';
import type { StoredEvent } from '../domain/events/index.js';
import { ENDED_RUN } from '../domain/run-status.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { databasePath } from '../lib/paths.js';
import { findRun, latestRun, type RunRow } from '../store/queries.js';
import { currentActor, KillSwitch } from '../store/risk-queries.js';
import type { Store } from '../store/store.js';
import { readRunEvents } from '../ui/event-source.js';
import { BaseCommand } from './base-command.js';

const POLL_MS = 150;
const BATCH = 5000;

export default class Watch extends BaseCommand {
  static override summary = 'Watch a run live from any terminal, or replay a finished one.';
  static override description = `Attaches to a run that is executing in another process (a terminal, cron, a server) or replays a finished one, reading its events from the database. On a terminal it shows the live dashboard; it is read-only unless --control is given, which enables the keys that pause, resume or cancel and the kill switch (each recorded as an event, as with \`ptexec pause|resume|cancel|halt\`). Leaving with q never stops the run. A terminal that cannot draw it (TERM=dumb) gets plain progress lines on stderr instead, followed until the run ends.

Without a terminal, or with --json, it prints the run's events as NDJSON on stdout, one object per line: {"seq", "run_id", "ts", "time", "market_ts", "market_time", "type", "payload"}. ts/time is the wall-clock time the event was recorded; market_ts/market_time is the engine's market time (simulated on the paper broker at --speed; null for events recorded outside a run's engine); the payload has snake_case keys, amounts as decimal strings with *_minor twins and prices as decimal strings (README "Output contract"; schemas/watch-event.json). It prints what is there and exits, or with --follow keeps streaming until the run ends.`;

  static override examples = [
    '<%= config.bin %> watch',
    '<%= config.bin %> watch --control',
    '<%= config.bin %> watch --json',
    `<%= config.bin %> watch --json | jq -c 'select(.type == "fill.recorded")'`,
  ];

  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or a unique prefix (default: the most recent run)' }) };

  static override flags = {
    follow: Flags.boolean({ char: 'f', description: 'for NDJSON output: keep streaming new events until the run ends' }),
    control: Flags.boolean({ description: 'allow the dashboard keys that steer the run (p pause/resume, c cancel a leg, X kill switch)' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Watch);
    const path = databasePath(flags.db);
    if (!existsSync(path)) throw new InvalidInputError(`no runs yet: there is no database at ${path}`, 'start one with `ptexec rebalance`, or point --db / PTEXEC_DB at the right database');
    const store = openForWatch(path, flags.control);
    try {
      const run = args.run ? findRun(store, args.run) : latestRun(store);
      if (!run) throw new InvalidInputError(args.run ? `no run ${args.run}` : 'no runs yet', 'list runs with `ptexec runs`');
      const dashboard = process.stdout.isTTY && !this.jsonEnabled();
      if (dashboard && process.env.TERM !== 'dumb') await this.dashboard(store, run, flags.control);
      else if (dashboard) await this.progressLines(store, run);
      else await this.ndjson(store, run, flags.follow);
      return undefined;
    } finally {
      store.close();
    }
  }

  private async dashboard(store: Store, run: RunRow, control: boolean): Promise<void> {
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
      controls,
      color: this.out.color,
      readOnly: !control,
      calendar: { tradingDate: calendar.tradingDate, addBusinessDays: calendar.addBusinessDays, sessionState: calendar.sessionState },
    });
    const now = fresh(store, run);
    if (!ENDED_RUN.has(now.status)) this.out.info(`left the dashboard; run ${run.run_id} is ${now.status} and carries on. \`ptexec watch ${run.run_id}\` attaches again.`);
  }

  /** A terminal that cannot draw the dashboard (TERM=dumb): the plain progress lines, followed to the end. */
  private async progressLines(store: Store, run: RunRow): Promise<void> {
    const { ProgressLines } = await import('../ui/progress-lines.js');
    const lines = new ProgressLines({ write: (line) => this.out.info(line) });
    await this.follow(store, run, true, (events) => lines.apply(events));
  }

  private async ndjson(store: Store, run: RunRow, follow: boolean): Promise<void> {
    // A closed pipe (`| head`) ends the stream quietly instead of with an EPIPE trace.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
    await this.follow(store, run, follow, (events) => {
      for (const e of events) this.out.ndjson(eventJson(e));
    });
  }

  /** Reads the run's events in batches; with `follow`, polls until the run reaches a final status. */
  private async follow(store: Store, run: RunRow, follow: boolean, emit: (events: StoredEvent[]) => void): Promise<void> {
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
      if (!follow || ended) return;
      ended = isOver(fresh(store, run));
      if (!ended) await sleep(POLL_MS);
    }
  }
}

/** The run's current row (its status changes while we watch). */
function fresh(store: Store, run: RunRow): RunRow {
  return findRun(store, run.run_id) ?? run;
}

/** Nothing more will be appended: a final status, or a dry run (it never trades). */
function isOver(run: RunRow): boolean {
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
