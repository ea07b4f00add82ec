import { isoFromDayNumber, weekday } from './day-number.js';
import { fromLocal, toLocal } from './time-zone.js';

/**
 * The five standard fields of a crontab line (minute hour day-of-month month day-of-week), with
 * `*`, lists (`1,15`), ranges (`1-5`), steps (`*\/15`, `9-17/2`) and the names `jan`–`dec`,
 * `sun`–`sat` (day-of-week 7 is Sunday too). As cron does, when both day fields are restricted a
 * day matches if either does. Enough to say when a schedule runs next; ptexec installs the line
 * and cron itself runs it.
 */
export interface CronExpression {
  text: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** Whether the day-of-month / day-of-week field was `*` (cron's OR rule needs to know). */
  anyDayOfMonth: boolean;
  anyDayOfWeek: boolean;
}

export class CronError extends Error {}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, base: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, base: 0 },
] as const;

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const value = (word: string): number => {
    const named = 'names' in field ? (field.names as readonly string[]).indexOf(word.toLowerCase()) : -1;
    const n = named >= 0 ? named + (field as { base: number }).base : /^\d+$/.test(word) ? Number(word) : NaN;
    if (!(n >= field.min && n <= field.max)) throw new CronError(`${field.name} "${word}" is not ${field.min}–${field.max}`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText))) throw new CronError(`${field.name} step "${stepText}" is not a whole number from 1`);
    let [from, to] = [field.min as number, field.max as number];
    if (range !== '*') {
      const bounds = range.split('-');
      if (bounds.length > 2 || bounds.some((b) => b === '')) throw new CronError(`${field.name} "${part}" is not a number, a range or *`);
      from = value(bounds[0]!);
      to = bounds.length === 2 ? value(bounds[1]!) : stepText === undefined ? from : field.max;
      if (to < from) throw new CronError(`${field.name} range "${range}" goes backwards`);
    }
    for (let n = from; n <= to; n += step) out.add(field.name === 'day of week' && n === 7 ? 0 : n);
  }
  return out;
}

export function parseCron(text: string): CronExpression {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') throw new CronError(`"${text}" has ${parts[0] === '' ? 0 : parts.length} fields; cron takes 5: minute hour day-of-month month day-of-week`);
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = parts.map((p, i) => parseField(p, FIELDS[i]!)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return { text: parts.join(' '), minutes, hours, daysOfMonth, months, daysOfWeek, anyDayOfMonth: parts[2] === '*', anyDayOfWeek: parts[4] === '*' };
}

function dayMatches(cron: CronExpression, day: number): boolean {
  const iso = isoFromDayNumber(day);
  if (!cron.months.has(Number(iso.slice(5, 7)))) return false;
  const dom = cron.daysOfMonth.has(Number(iso.slice(8, 10)));
  const dow = cron.daysOfWeek.has(weekday(day));
  if (cron.anyDayOfMonth || cron.anyDayOfWeek) return dom && dow;
  return dom || dow;
}

/**
 * The next `count` instants after `after` at which cron, keeping time in `zone`, runs the line.
 * Looks up to eight years ahead (a 29 February line runs at least once in eight).
 */
export function nextRuns(cron: CronExpression, zone: string, after: number, count = 1): number[] {
  const runs: number[] = [];
  const minutes = [...cron.hours].sort((a, b) => a - b).flatMap((h) => [...cron.minutes].sort((a, b) => a - b).map((m) => h * 60 + m));
  const start = toLocal(zone, after).day;
  for (let day = start; day <= start + 366 * 8 && runs.length < count; day++) {
    if (!dayMatches(cron, day)) continue;
    for (const minute of minutes) {
      const at = fromLocal(zone, day, minute);
      if (at > after) runs.push(at);
      if (runs.length === count) break;
    }
  }
  return runs;
}
