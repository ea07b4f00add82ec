import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isOpen, listCalendar } from '../../src/app/calendar-service.js';
import { configuredCalendarFiles, supplyShippedCalendars } from '../../src/app/loaders/calendars.js';
import { Factory } from '../../src/app/factory.js';
import { sessionOpenFrom } from '../../src/market/calendar/index.js';
import { fakeIO } from '../lib/fake-terminal.js';

const dirs: string[] = [];
afterEach(() => {
  supplyShippedCalendars();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function factoryAt(iso: string, json = false) {
  const fake = fakeIO({ json, env: {} });
  return { ...fake, f: new Factory(fake.io, { wallClock: () => Date.parse(iso) }) };
}

describe('ptexec calendar', () => {
  it('lists trading days with their session, holidays by name, weekends, and says which weekdays it cannot know', () => {
    const { f, stdout, stderr } = factoryAt('2026-12-28T03:00:00Z');
    const result = listCalendar(f, { exchange: 'nse', from: '2026-12-24', to: '2027-01-04' });
    const days = (result.json as { days: { date: string; kind: string; name?: string; open?: string }[] }).days;
    expect(days.find((d) => d.date === '2026-12-24')).toMatchObject({ kind: 'trading', open: '09:15' });
    expect(days.find((d) => d.date === '2026-12-25')).toMatchObject({ kind: 'holiday', name: 'Christmas' });
    expect(days.find((d) => d.date === '2026-12-26')).toMatchObject({ kind: 'weekend' });
    expect(days.find((d) => d.date === '2027-01-01')).toMatchObject({ kind: 'unknown', name: 'no holiday list for 2027' });
    expect(stdout.text()).toMatch(/2026-12-25\s+Fri\s+holiday/);
    expect(stderr.text()).toMatch(/no NSE holiday list for 2027: .*will not run a real broker/);
    expect(() => listCalendar(f, { from: '2026-02-30' })).toThrow(/--from 2026-02-30 is not a date/);
    expect(() => listCalendar(f, { exchange: 'LSE' })).toThrow(/unknown exchange "LSE"/);
  });

  it('is-open answers with its exit code: 0 open, 8 closed with the next open, 9 when the year has no holiday list', () => {
    const { f, stderr } = factoryAt('2026-03-02T05:00:00Z');
    expect(isOpen(f, { exchange: 'NSE' }).exitCode).toBe(0); // Monday 10:30 IST
    const holiday = isOpen(f, { at: '2026-01-26 10:00' });
    expect(holiday.exitCode).toBe(8);
    expect(holiday.json).toMatchObject({ open: false, reason: 'Republic Day', next_open: '2026-01-27T03:45:00.000Z' });
    expect(isOpen(f, { at: '09:00' }).exitCode).toBe(8); // pre-open is not the normal session
    expect(isOpen(f, { at: '2027-01-05 10:00' }).exitCode).toBe(9);
    expect(stderr.text()).toMatch(/unknown — no holiday list for 2027/);
    expect(() => isOpen(f, { at: 'soon' })).toThrow(/--at soon is not a time/);
  });

  it('a calendar file named in config.json adds a year on top of the shipped lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-cal-'));
    dirs.push(dir);
    writeFileSync(
      join(dir, 'config.json'),
      `{ // the next year's list, before ptexec ships it\n "calendars": { "files": ["nse-2027.json"] } }`,
    );
    writeFileSync(
      join(dir, 'nse-2027.json'),
      JSON.stringify({ exchanges: ['NSE'], timeZone: 'Asia/Kolkata', source: 'my list', years: [2027], hours: { normal: ['09:15', '15:30'] }, holidays: [{ date: '2027-01-26', name: 'Republic Day' }], specialSessions: [], earlyCloses: [] }),
    );
    const env = { PTEXEC_CONFIG_DIR: dir };
    expect(configuredCalendarFiles(env)).toEqual([join(dir, 'nse-2027.json')]);
    supplyShippedCalendars(() => configuredCalendarFiles(env));
    const { f } = factoryAt('2027-01-20T03:00:00Z');
    const days = (listCalendar(f, { from: '2027-01-25', to: '2027-01-26' }).json as { days: { kind: string }[] }).days;
    expect(days.map((d) => d.kind)).toEqual(['trading', 'holiday']);
    expect(isOpen(f, { at: '2026-12-25 10:00' }).json).toMatchObject({ reason: 'Christmas' }); // shipped years kept
    expect(sessionOpenFrom('NSE', Date.parse('2027-01-26T02:00:00Z'), false)).toMatchObject({ date: '2027-01-27' });
  });

  it('an invalid calendar file is the user\'s to fix (exit 2), naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ptexec-cal-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'bad.json'), '{"exchanges": ["NSE"]}');
    supplyShippedCalendars(() => [join(dir, 'bad.json')]);
    const { f } = factoryAt('2027-01-20T03:00:00Z');
    expect(() => listCalendar(f, {})).toThrow(expect.objectContaining({ category: 'invalid_input', message: expect.stringMatching(/bad\.json: invalid calendar file/) }));
  });

  it('the next session for a real broker stops at a day the calendar cannot know; a simulated market assumes weekdays trade', () => {
    const friday = Date.parse('2026-12-31T11:00:00Z'); // after the close
    expect(sessionOpenFrom('NSE', friday, false)).toEqual({ unknown: '2027-01-01' });
    expect(sessionOpenFrom('NSE', friday, true)).toMatchObject({ date: '2027-01-01', open: Date.parse('2027-01-01T03:45:00Z') });
  });
});
