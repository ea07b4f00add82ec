import type { CalendarFile } from './calendar-file.js';

/**
 * A user's calendar file on top of the shipped ones: for each exchange it names, its years,
 * holidays, special sessions and early closes are added to the shipped calendar's (its own win
 * on the same date) and its hours replace the shipped hours. A year can so be added (the next
 * year's holiday list, before ptexec ships it) without copying the shipped years.
 */
export function mergeCalendarFiles(shipped: readonly CalendarFile[], user: readonly CalendarFile[]): CalendarFile[] {
  const merged = [...shipped];
  for (const extra of user) {
    for (const exchange of extra.exchanges) {
      const base = [...merged].reverse().find((f) => f.exchanges.includes(exchange));
      const byDate = <T extends { date: string }>(a: readonly T[] = [], b: readonly T[] = []) => [...new Map([...a, ...b].map((x) => [x.date, x])).values()].sort((x, y) => x.date.localeCompare(y.date));
      merged.push({
        exchanges: [exchange],
        timeZone: extra.timeZone,
        source: base ? `${base.source}; ${extra.source}` : extra.source,
        years: [...new Set([...(base?.years ?? []), ...extra.years])].sort(),
        hours: extra.hours,
        holidays: byDate(base?.holidays, extra.holidays),
        specialSessions: byDate(base?.specialSessions, extra.specialSessions),
        earlyCloses: byDate(base?.earlyCloses, extra.earlyCloses),
      });
    }
  }
  return merged;
}
