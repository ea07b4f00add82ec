import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlockedError } from '../domain/errors/blocked-error.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { Exchange } from '../domain/instrument.js';
import { ExitCode } from '../lib/exit-codes.js';
import { dataDir } from '../lib/paths.js';
import { calendarDayAt } from '../market/calendar/index.js';
import { CronError, nextRuns, parseCron } from '../market/cron.js';
import { formatExchangeTime } from '../market/exchange-time.js';
import { EXCHANGE_TIME_ZONES } from '../market/time-zone.js';
import { CALENDAR_FILE_HINT } from './calendar-service.js';
import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { shippedDataDir } from './loaders/shipped-data.js';
import { parseWaitLock } from './lock-wait.js';
import { executeRebalance } from './rebalance-command-service.js';
import { withRunLog } from './run-log.js';
import { readTargetInput, type RebalanceFlags } from './rebalance-input.js';
import { crontabLine, ptexecEntries, systemCrontab, withEntry } from './schedule/crontab.js';
import { checkScheduleName, findSchedule, readSchedules, schedulesPath, writeSchedules, type Schedule, type ScheduleFlags } from './schedule/schedules-file.js';
import { parseStartAt, targetExchange } from './start-at.js';
import { isBrokerError } from '../domain/errors/broker-error.js';
import { loginNeeded, scheduleSkipped } from './notify/messages.js';
import { notify } from './run-notifications.js';

/** How long a scheduled run waits for another run's account lock unless its flags say otherwise. */
export const SCHEDULE_WAIT_LOCK = '10m';

/** A schedule's flags as a rebalance takes them: the command line's defaults, then the schedule's own, always confirmed. */
function rebalanceFlags(flags: ScheduleFlags): RebalanceFlags {
  return { algo: 'market', 'liquidate-unlisted': false, 'new-run': false, 'allow-partial': false, ...(flags as Partial<RebalanceFlags>), yes: true, 'no-ui': true };
}

/** The time zone cron keeps: the host's (`TZ` when set). */
function hostTimeZone(env: NodeJS.ProcessEnv): string {
  return env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function cronOf(text: string) {
  try {
    return parseCron(text);
  } catch (err) {
    if (err instanceof CronError) throw new InvalidInputError(`--cron ${text}: ${err.message}`, 'e.g. --cron "20 9 * * 1-5" (09:20 Monday to Friday, in the host\'s time zone)');
    throw err;
  }
}

/** The node and ptexec programs, by absolute path: cron's PATH is minimal. */
function programs(): { node: string; ptexec: string } {
  return { node: process.execPath, ptexec: join(dirname(fileURLToPath(shippedDataDir())), 'bin', 'run.js') };
}

function nextRunsJson(s: Schedule, exchange: Exchange, env: NodeJS.ProcessEnv, now: number, count: number): string[] {
  return nextRuns(cronOf(s.cron), hostTimeZone(env), now, count).map((at) => `${formatExchangeTime(exchange, at).slice(0, 16)}`);
}

/**
 * `ptexec schedule add <name> <target> --cron …`: checks the target and its flags as the run
 * would, keeps the schedule in schedules.json (config dir), and installs its crontab line
 * (`--print`: prints it instead).
 */
export async function addSchedule(f: Factory, input: { name: string; target: string; cron: string; print: boolean; db?: string; flags: ScheduleFlags }): Promise<CommandResult> {
  const name = checkScheduleName(input.name);
  const cron = cronOf(input.cron);
  const target = resolve(input.target);
  if (!existsSync(target)) throw new InvalidInputError(`target file ${input.target} does not exist`, 'give the path of a JSON or CSV target portfolio');
  const flags = rebalanceFlags(input.flags);
  if (flags.at !== undefined) parseStartAt(flags.at);
  parseWaitLock(flags['wait-lock']);
  const checked = await readTargetInput(f, target, flags);
  const exchange = targetExchange(checked.target);
  const schedule: Schedule = { name, cron: cron.text, target, flags: input.flags, created_at: new Date(f.wallNow()).toISOString() };
  const line = crontabLine(schedule, { ...programs(), cwd: dirname(target), env: f.env, db: input.db });
  const path = schedulesPath(f.env);
  const schedules = readSchedules(path).filter((s) => s.name !== name);
  if (!input.print) {
    const crontab = systemCrontab(f.env);
    crontab.write(withEntry(crontab.read(), name, line));
  }
  writeSchedules(path, [...schedules, schedule]);
  const next = nextRunsJson(schedule, exchange, f.env, f.wallNow(), 1)[0];
  const io = f.io;
  if (input.print) io.data(line);
  io.info(`${input.print ? 'saved' : 'installed'} schedule ${name}: ${cron.text} (cron keeps the host's time, ${hostTimeZone(f.env)}); next run ${next ?? 'never'} ${exchange} time`);
  if (input.print) io.info('add the line above to your crontab (`crontab -e`); `ptexec schedule run` reads the schedule from ' + path);
  if (hostTimeZone(f.env) !== EXCHANGE_TIME_ZONES[exchange]) io.warn(`the host's time zone (${hostTimeZone(f.env)}) is not ${exchange}'s (${EXCHANGE_TIME_ZONES[exchange]}): write the cron times in the host's zone`);
  return { exitCode: ExitCode.ok, json: { schedule: { ...schedule, exchange }, line, installed: !input.print, next_run: next ?? null } };
}

/** `ptexec schedule list`: each schedule, whether its crontab line is installed, its next runs in the exchange's time. */
export async function listSchedules(f: Factory): Promise<CommandResult> {
  const schedules = readSchedules(schedulesPath(f.env));
  let installed: Map<string, string> | undefined;
  try {
    installed = ptexecEntries(systemCrontab(f.env).read());
  } catch (err) {
    if (!(err instanceof InvalidInputError)) throw err;
    f.io.warn(`${err.message}: cannot tell which schedules are installed`);
  }
  const rows = await Promise.all(
    schedules.map(async (s) => {
      let exchange: Exchange = 'NSE';
      try {
        exchange = targetExchange((await readTargetInput(f, s.target, rebalanceFlags(s.flags))).target);
      } catch {
        // A target that no longer reads is reported when the schedule runs; the list still shows it.
      }
      return { ...s, exchange, installed: installed ? installed.has(s.name) : null, next_runs: nextRunsJson(s, exchange, f.env, f.wallNow(), 3) };
    }),
  );
  const io = f.io;
  if (!io.jsonMode) {
    if (!rows.length) io.info('no schedules; add one with `ptexec schedule add`');
    else {
      io.table(
        [{ header: 'name' }, { header: 'cron' }, { header: 'next run' }, { header: 'installed' }, { header: 'target', truncate: true, minWidth: 12 }],
        rows.map((r) => [r.name, r.cron, r.next_runs[0] ? `${r.next_runs[0]} ${r.exchange}` : 'never', r.installed === null ? '?' : r.installed ? 'yes' : 'no', r.target]),
      );
      io.info(`cron keeps the host's time (${hostTimeZone(f.env)}); next runs are shown in the exchange's time`);
    }
  }
  return { exitCode: ExitCode.ok, json: { schedules: rows, time_zone: hostTimeZone(f.env) } };
}

/** `ptexec schedule remove <name>`: its crontab line (only ptexec's own) and its entry in schedules.json. */
export async function removeSchedule(f: Factory, input: { name: string }): Promise<CommandResult> {
  const path = schedulesPath(f.env);
  const schedules = readSchedules(path);
  const crontab = systemCrontab(f.env);
  let text: string | undefined;
  try {
    text = crontab.read();
  } catch (err) {
    // A schedule saved with --print (a timer, or a crontab kept by hand) is removed without cron.
    if (!(err instanceof InvalidInputError) || !schedules.some((s) => s.name === input.name)) throw err;
    f.io.warn(`${err.message}: remove its line from wherever you installed it`);
  }
  const inCrontab = text !== undefined && ptexecEntries(text).has(input.name);
  if (!inCrontab) findSchedule(schedules, input.name);
  if (inCrontab) crontab.write(withEntry(text!, input.name, undefined));
  writeSchedules(path, schedules.filter((s) => s.name !== input.name));
  f.io.info(`removed schedule ${input.name}`);
  return { exitCode: ExitCode.ok, json: { removed: input.name, crontab_line_removed: inCrontab } };
}

/**
 * `ptexec schedule run <name>` (what cron starts): a weekend or holiday is skipped (exit 0,
 * logged); a day the calendar cannot vouch for is refused for a real broker (exit 3); a broker
 * with a login is opened first, so a login that is needed fails at once (exit 5); then the
 * rebalance runs with `--yes`, waiting for the open (`--at open` unless the schedule says
 * otherwise) and for the account lock (`--wait-lock 10m` unless it says otherwise), logged.
 */
export async function runSchedule(f: Factory, input: { name: string; logFile?: string }): Promise<CommandResult> {
  const schedule = findSchedule(readSchedules(schedulesPath(f.env)), input.name);
  const flags = rebalanceFlags(schedule.flags);
  flags.at ??= 'open';
  flags['wait-lock'] ??= SCHEDULE_WAIT_LOCK;
  if (input.logFile !== undefined) flags['log-file'] = input.logFile;
  const fallback = join(dataDir(f.env), 'logs', 'ptexec.log');
  const skip = async (): Promise<CommandResult | undefined> => {
    const target = await readTargetInput(f, schedule.target, flags);
    const exchange = targetExchange(target.target);
    const day = calendarDayAt(exchange, f.wallNow());
    const traits = await f.brokerTraits(target.brokerId);
    if (day.kind === 'weekend' || day.kind === 'holiday') {
      const why = day.kind === 'weekend' ? 'a weekend' : `an ${exchange} holiday (${day.name})`;
      f.io.info(`schedule ${schedule.name}: ${day.date} is ${why}; skipped, nothing sent`);
      await notify(f, () => scheduleSkipped(schedule.name, day.date, why));
      return { exitCode: ExitCode.ok, json: { schedule: schedule.name, status: 'skipped', reason: day.name ?? day.kind, date: day.date } };
    }
    if (day.kind === 'unknown' && !traits.simulatedMarket) throw new BlockedError(`schedule ${schedule.name}: the ${exchange} calendar has no holiday list for ${day.date}; ptexec does not assume it trades; nothing was sent`, CALENDAR_FILE_HINT);
    // A session that needs a person's login fails now, not after the wait for the open.
    if (await f.brokerLogin(target.brokerId)) {
      await f.broker(target.brokerId, { speed: flags.speed, seed: flags.seed }).catch(async (err: unknown) => {
        if (isBrokerError(err, 'auth')) await notify(f, () => loginNeeded(target.brokerId, schedule.name, err.message));
        throw err;
      });
    }
    return undefined;
  };
  return withRunLog(f, { command: `schedule run ${schedule.name}`, logFile: flags['log-file'], fallback }, async () => (await skip()) ?? executeRebalance(f, { file: schedule.target, flags }));
}
