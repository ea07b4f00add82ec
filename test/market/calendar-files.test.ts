import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCalendarFile } from '../../src/market/calendar/index.js';

const dir = join(import.meta.dirname, '../../data/calendars');

describe('shipped calendar files', () => {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    it(`${name} is well formed: dates, hours, no duplicate holidays, only weekdays`, () => {
      const file = parseCalendarFile(JSON.parse(readFileSync(join(dir, name), 'utf8')), name);
      const dates = file.holidays.map((h) => h.date);
      expect(new Set(dates).size).toBe(dates.length);
      for (const d of dates) {
        const day = new Date(`${d}T12:00:00Z`).getUTCDay();
        expect([0, 6]).not.toContain(day);
        expect(file.years).toContain(Number(d.slice(0, 4)));
      }
    });
  }

  it('a malformed file is refused with every problem named', () => {
    expect(() => parseCalendarFile({ exchanges: ['LSE'], timeZone: 'Europe/London', source: 1, years: ['x'], hours: { normal: ['9:15', '15:30'] }, holidays: [{ date: '26-01-2026' }], specialSessions: [], earlyCloses: [] }, 'bad.json')).toThrow(
      'bad.json: invalid calendar file: exchanges: a non-empty list of known exchanges; timeZone: Asia/Kolkata or America/New_York; source: text; years: whole numbers; hours: HH:MM windows; holidays: entries with a YYYY-MM-DD date and a name',
    );
  });
});
