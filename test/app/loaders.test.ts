import { describe, expect, it, vi } from 'vitest';
import { readShippedCalendars, supplyShippedCalendars } from '../../src/app/loaders/calendars.js';
import { regularHours, sessionLengthMs, sessionState, supplyCalendars, type CalendarFile } from '../../src/market/calendar/index.js';

describe('calendar loading', () => {
  it('reads every shipped calendar file, checked', () => {
    const files = readShippedCalendars();
    expect(files.flatMap((f) => f.exchanges).sort()).toEqual(['BSE', 'NASDAQ', 'NSE', 'NYSE']);
    expect(files.find((f) => f.exchanges.includes('NYSE'))?.hours.normal).toEqual(['09:30', '16:00']);
  });

  it('the market module knows only the calendars it was handed', () => {
    const nse = readShippedCalendars().find((f) => f.exchanges.includes('NSE'))!;
    const shorter: CalendarFile = { ...nse, hours: { normal: ['10:00', '15:00'] }, specialSessions: [], earlyCloses: [] };
    try {
      supplyCalendars(() => [shorter]);
      expect(regularHours('NSE')).toEqual({ open: 600, close: 900 });
      expect(sessionLengthMs('NSE')).toBe(5 * 3_600_000);
      expect(sessionState('NSE', Date.parse('2025-06-10T09:45:00+05:30')).state).toBe('closed');
      expect(() => sessionState('NYSE', 0)).toThrow('no calendar shipped for exchange NYSE');
    } finally {
      supplyShippedCalendars();
    }
    expect(sessionState('NSE', Date.parse('2025-06-10T09:45:00+05:30')).state).toBe('open');
  });

  it('says so when nobody supplied calendars, instead of reading files itself', async () => {
    vi.resetModules();
    const fresh = await import('../../src/market/calendar/index.js');
    expect(() => fresh.sessionLengthMs('NSE')).toThrow('no exchange calendars were supplied');
  });
});
