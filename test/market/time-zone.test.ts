import { describe, expect, it } from 'vitest';
import { isWithinExchangeHours, sessionAt } from '../../src/brokers/paper/session.js';
import { formatKiteTime, istDate, parseKiteTime } from '../../src/brokers/zerodha/kite-mapping.js';
import { kiteTokenExpiry } from '../../src/brokers/zerodha/session.js';
import { sessionState, tradingDate } from '../../src/market/calendar/index.js';
import { endOfExchangeDay, exchangeLocalTime } from '../../src/market/exchange-time.js';
import { exchangeTimeZone, fromLocal, localDateTime, toLocal, utcOffsetMinutes } from '../../src/market/time-zone.js';

const NEW_YORK = 'America/New_York';

describe('exchange time zones', () => {
  it('maps each exchange to its zone', () => {
    expect(['NSE', 'BSE', 'NYSE', 'NASDAQ', 'LSE', undefined].map(exchangeTimeZone)).toEqual(['Asia/Kolkata', 'Asia/Kolkata', NEW_YORK, NEW_YORK, undefined, undefined]);
  });

  it('switches New York to daylight time at the instants the zone database gives', () => {
    // 2026: EDT from Sunday 8 March 07:00 UTC to Sunday 1 November 06:00 UTC.
    expect(utcOffsetMinutes(NEW_YORK, Date.parse('2026-03-08T06:59:59.999Z'))).toBe(-300);
    expect(utcOffsetMinutes(NEW_YORK, Date.parse('2026-03-08T07:00:00Z'))).toBe(-240);
    expect(utcOffsetMinutes(NEW_YORK, Date.parse('2026-11-01T05:59:59.999Z'))).toBe(-240);
    expect(utcOffsetMinutes(NEW_YORK, Date.parse('2026-11-01T06:00:00Z'))).toBe(-300);
    expect(utcOffsetMinutes('Asia/Kolkata', Date.parse('2026-07-01T00:00:00Z'))).toBe(330);
  });

  it('follows the rule of the year, not one written for today (2006: April to October)', () => {
    // Before 2007 the United States kept daylight time from the first Sunday of April to the
    // last Sunday of October; a rule written for today puts 20 March 2006 in EDT.
    expect(utcOffsetMinutes(NEW_YORK, Date.parse('2006-03-20T14:00:00Z'))).toBe(-300);
    expect(utcOffsetMinutes(NEW_YORK, Date.parse('2006-11-01T04:30:00Z'))).toBe(-300);
    expect(tradingDate('NYSE', Date.parse('2006-11-01T04:30:00Z'))).toBe('2006-10-31');
    const early = sessionState('NYSE', Date.parse('2006-03-20T14:15:00Z')); // 09:15 EST
    expect(early.state).toBe('closed');
    expect(early.nextOpen).toBe(Date.parse('2006-03-20T14:30:00Z'));
    // The paper market cuts its day by the same clock.
    expect(sessionAt('NYSE', Date.parse('2006-03-20T14:15:00Z')).real).toBe(false);
    expect(sessionAt('NYSE', Date.parse('2006-03-20T14:30:00Z'))).toMatchObject({ start: Date.parse('2006-03-20T14:30:00Z'), real: true });
    expect(isWithinExchangeHours('NASDAQ', Date.parse('2006-03-20T20:30:00Z'))).toBe(true);
  });

  it('keeps India at +05:30 from October 1945 without asking Intl, and before it the zone database (war time +06:30)', () => {
    expect(utcOffsetMinutes('Asia/Kolkata', Date.parse('1943-01-01T00:00:00Z'))).toBe(390);
    expect(utcOffsetMinutes('Asia/Kolkata', Date.parse('1945-10-15T00:00:00Z'))).toBe(330);
    expect(localDateTime('Asia/Kolkata', Date.parse('1945-10-14T12:00:00Z'))).toBe('1945-10-14 18:30:00');
  });

  it('agrees with the platform time-zone database from 1995 to 2035', () => {
    const formats = ['Asia/Kolkata', NEW_YORK].map((timeZone) => ({
      timeZone,
      format: new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
    }));
    for (let ts = Date.parse('1995-01-01T00:00:00Z'); ts < Date.parse('2035-01-01T00:00:00Z'); ts += 11 * 86_400_000 + 5 * 3_600_000 + 7 * 60_000 + 3_000) {
      for (const { timeZone, format } of formats) expect(localDateTime(timeZone, ts)).toBe(format.format(ts));
    }
  });

  it('converts local wall-clock times back to instants on both sides of a switch', () => {
    for (const date of ['2026-03-06', '2026-03-09', '2026-10-30', '2026-11-02']) {
      const { day } = toLocal(NEW_YORK, Date.parse(`${date}T17:00:00Z`));
      const open = fromLocal(NEW_YORK, day, 9 * 60 + 30);
      expect(localDateTime(NEW_YORK, open)).toBe(`${date} 09:30:00`);
      expect(exchangeLocalTime('NYSE', Date.parse(`${date}T17:00:00Z`), 9 * 60 + 30)).toBe(open);
    }
    // A DAY order placed early on the switch Sunday expires at the next local midnight (EDT by then).
    expect(endOfExchangeDay('NYSE', Date.parse('2026-03-08T06:00:00Z'))).toBe(Date.parse('2026-03-09T04:00:00Z'));
    expect(endOfExchangeDay('NSE', Date.parse('2026-03-08T06:00:00Z'))).toBe(Date.parse('2026-03-08T18:30:00Z'));
  });

  it("reads and writes Kite's IST timestamps and trading day as before", () => {
    expect(parseKiteTime('2026-01-05 09:15:00')).toBe(Date.UTC(2026, 0, 5, 3, 45));
    expect(formatKiteTime(Date.UTC(2026, 0, 5, 3, 45, 7))).toBe('2026-01-05 09:15:07');
    expect(istDate(Date.UTC(2026, 0, 5, 18, 29, 59))).toBe('2026-01-05');
    expect(istDate(Date.UTC(2026, 0, 5, 18, 30))).toBe('2026-01-06');
    expect(kiteTokenExpiry(Date.UTC(2026, 0, 5, 0, 29))).toBe(Date.UTC(2026, 0, 5, 0, 30));
    expect(kiteTokenExpiry(Date.UTC(2026, 0, 5, 0, 30))).toBe(Date.UTC(2026, 0, 6, 0, 30));
  });
});
