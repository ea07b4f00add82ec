import { spawnSync } from 'node:child_process';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';

/**
 * The current user's crontab, through the system's `crontab` command (`crontab -l` to read,
 * `crontab -` to replace), or the program `PTEXEC_CRONTAB` names (the same two calls). ptexec
 * only ever changes lines that end with its marker, `# ptexec:<name>`.
 */
export interface Crontab {
  read(): string;
  write(text: string): void;
}

export const MARKER = '# ptexec:';

export function systemCrontab(env: NodeJS.ProcessEnv): Crontab {
  const command = env.PTEXEC_CRONTAB || 'crontab';
  const call = (args: string[], input?: string) => {
    const result = spawnSync(command, args, { input, encoding: 'utf8', env });
    if (result.error) {
      const missing = (result.error as NodeJS.ErrnoException).code === 'ENOENT';
      throw new InvalidInputError(
        missing ? `the crontab command (${command}) is not installed` : `${command} ${args.join(' ')} failed: ${result.error.message}`,
        missing ? 'install cron (Debian/Ubuntu: apt-get install cron), or use --print and install the line yourself' : 'use --print and install the line yourself',
      );
    }
    return result;
  };
  return {
    read() {
      const result = call(['-l']);
      if (result.status === 0) return result.stdout;
      if (/no crontab/i.test(result.stderr)) return '';
      throw new InvalidInputError(`${command} -l failed: ${result.stderr.trim() || `exit ${result.status}`}`, 'check that you may use cron (cron.allow / cron.deny), or use --print');
    },
    write(text) {
      const result = call(['-'], text);
      if (result.status !== 0) throw new InvalidInputError(`${command} - failed: ${result.stderr.trim() || `exit ${result.status}`}`, 'check that you may use cron (cron.allow / cron.deny), or use --print');
    },
  };
}

/** The ptexec lines of a crontab, by schedule name. */
export function ptexecEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const at = line.lastIndexOf(MARKER);
    if (at >= 0 && !line.trimStart().startsWith('#')) entries.set(line.slice(at + MARKER.length).trim(), line);
  }
  return entries;
}

/** The crontab with the line of `name` replaced by `line` (or removed when `line` is undefined); every other line as it was. */
export function withEntry(text: string, name: string, line: string | undefined): string {
  const kept = text.split('\n').filter((l) => !(l.trimEnd().endsWith(`${MARKER}${name}`) && !l.trimStart().startsWith('#')));
  while (kept.length && kept.at(-1) === '') kept.pop();
  if (line !== undefined) kept.push(line);
  return kept.length ? `${kept.join('\n')}\n` : '';
}

/** A word for `sh`, single-quoted when it needs to be; `%` is escaped because cron turns it into a newline. */
export function shellWord(word: string): string {
  const quoted = /^[A-Za-z0-9_./:=@+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
  return quoted.replaceAll('%', '\\%');
}

/**
 * The environment a cron job needs to find what the user's shell finds: where the config and
 * the database are, and the time zone. Nothing else is copied: credentials stay in the
 * credentials file (or are given to cron by the user), never in the crontab.
 */
const CARRIED = ['PTEXEC_CONFIG_DIR', 'PTEXEC_DB', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'TZ'];

/** The crontab line of a schedule: the absolute node and ptexec, run from the target's folder. */
export function crontabLine(schedule: { name: string; cron: string }, where: { node: string; ptexec: string; cwd: string; env: NodeJS.ProcessEnv; db?: string }): string {
  const values = new Map(CARRIED.filter((k) => where.env[k]).map((k) => [k, where.env[k]!]));
  if (where.db) values.set('PTEXEC_DB', where.db);
  const env = [...values].map(([k, v]) => `${k}=${shellWord(v)}`);
  const command = [`cd ${shellWord(where.cwd)} &&`, ...env, shellWord(where.node), shellWord(where.ptexec), 'schedule', 'run', shellWord(schedule.name)];
  return `${schedule.cron} ${command.join(' ')} ${MARKER}${schedule.name}`;
}
