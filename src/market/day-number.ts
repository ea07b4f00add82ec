/**
 * Calendar dates as day numbers (days since 1970-01-01): exchange calendars index holidays by
 * them and step through business days with plain arithmetic instead of formatting dates.
 */
export const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO date, validating it. */
export function dayNumber(isoDate: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${isoDate}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${isoDate}`);
  }
  return ms / MS_PER_DAY;
}

export function isoFromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const wd = weekday(day);
  return wd === 0 || wd === 6;
}

/** The next weekday after an ISO date, holidays not considered. */
export function nextWeekday(isoDate: string): string {
  let day = dayNumber(isoDate) + 1;
  while (isWeekend(day)) day++;
  return isoFromDayNumber(day);
}
