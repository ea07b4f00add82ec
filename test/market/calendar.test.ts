import { describe, expect, it } from 'vitest';
import { addBusinessDays, calendarCovers, holidays, isBusinessDay, sessionState, tradingDate } from '../../src/market/calendar/index.js';

/** Epoch ms of an IST wall-clock time (fixed +05:30). */
function ist(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00+05:30`);
}

/** Epoch ms of a New York wall-clock time at a given offset. */
function ny(date: string, time: string, offset: '-05:00' | '-04:00'): number {
  return Date.parse(`${date}T${time}:00${offset}`);
}

describe('business days', () => {
  it('treats weekends as non-business days', () => {
    expect(isBusinessDay('NSE', '2025-06-07')).toBe(false); // Saturday
    expect(isBusinessDay('NSE', '2025-06-08')).toBe(false); // Sunday
    expect(isBusinessDay('NSE', '2025-06-09')).toBe(true);
    expect(isBusinessDay('NYSE', '2026-11-21')).toBe(false);
  });

  it('knows the published holidays of each exchange', () => {
    expect(isBusinessDay('NSE', '2025-02-26')).toBe(false);
    expect(isBusinessDay('BSE', '2025-10-22')).toBe(false);
    expect(isBusinessDay('NSE', '2026-01-15')).toBe(false);
    expect(isBusinessDay('NSE', '2026-11-24')).toBe(false);
    expect(isBusinessDay('NYSE', '2025-01-09')).toBe(false);
    expect(isBusinessDay('NASDAQ', '2026-07-03')).toBe(false);
    expect(isBusinessDay('NYSE', '2026-11-26')).toBe(false);
    // A US holiday is an Indian business day and vice versa.
    expect(isBusinessDay('NSE', '2026-11-26')).toBe(true);
    expect(isBusinessDay('NYSE', '2026-11-24')).toBe(true);
  });

  it('lists holidays of a year in date order, with names', () => {
    const nse2025 = holidays('NSE', 2025);
    expect(nse2025).toHaveLength(14);
    expect(nse2025[0]).toEqual({ date: '2025-02-26', name: 'Mahashivratri' });
    expect(nse2025.map((h) => h.date)).toContain('2025-04-18');
    expect(holidays('NSE', 2026)).toHaveLength(16);
    expect(holidays('NYSE', 2026)).toHaveLength(10);
    expect(holidays('NASDAQ', 2025)).toEqual(holidays('NYSE', 2025));
    expect(calendarCovers('NSE', 2026)).toBe(true);
    expect(calendarCovers('NSE', 2027)).toBe(false);
  });

  it('settles T+1 across weekends and holidays', () => {
    expect(addBusinessDays('NSE', '2025-06-10', 1)).toBe('2025-06-11');
    expect(addBusinessDays('NSE', '2025-06-13', 1)).toBe('2025-06-16'); // Friday → Monday
    expect(addBusinessDays('NSE', '2025-02-25', 1)).toBe('2025-02-27'); // over Mahashivratri
    expect(addBusinessDays('NSE', '2025-10-20', 1)).toBe('2025-10-23'); // over Diwali + Balipratipada
    expect(addBusinessDays('NSE', '2026-04-02', 1)).toBe('2026-04-06'); // Good Friday + weekend
    expect(addBusinessDays('NYSE', '2026-07-02', 1)).toBe('2026-07-06'); // observed Independence Day
    expect(addBusinessDays('NYSE', '2026-11-25', 1)).toBe('2026-11-27');
    expect(addBusinessDays('NSE', '2025-10-20', 2)).toBe('2025-10-24');
    expect(addBusinessDays('NSE', '2025-10-23', -1)).toBe('2025-10-20');
    expect(addBusinessDays('NSE', '2025-06-14', 0)).toBe('2025-06-14');
  });

  it('rejects malformed dates', () => {
    expect(() => isBusinessDay('NSE', '2025-02-30')).toThrow(RangeError);
    expect(() => addBusinessDays('NSE', '25-01-01', 1)).toThrow(RangeError);
  });
});

describe('trading date', () => {
  it('uses IST for Indian exchanges', () => {
    expect(tradingDate('NSE', Date.parse('2025-06-09T18:29:59Z'))).toBe('2025-06-09');
    expect(tradingDate('NSE', Date.parse('2025-06-09T18:30:00Z'))).toBe('2025-06-10');
  });

  it('follows New York daylight time across the March and November switches', () => {
    // 2026: EDT from Sunday 8 March 07:00 UTC to Sunday 1 November 06:00 UTC.
    expect(tradingDate('NYSE', Date.parse('2026-03-08T04:59:59Z'))).toBe('2026-03-07'); // 23:59:59 EST
    expect(tradingDate('NYSE', Date.parse('2026-03-09T03:59:59Z'))).toBe('2026-03-08'); // 23:59:59 EDT
    expect(tradingDate('NYSE', Date.parse('2026-03-09T04:00:00Z'))).toBe('2026-03-09');
    expect(tradingDate('NYSE', Date.parse('2026-11-02T04:59:59Z'))).toBe('2026-11-01'); // 23:59:59 EST
    expect(tradingDate('NYSE', Date.parse('2026-11-02T05:00:00Z'))).toBe('2026-11-02');
  });

  it('agrees with the platform time-zone database over two years of hourly instants', () => {
    const format = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });
    for (let ts = Date.parse('2025-01-01T00:30:00Z'); ts < Date.parse('2027-01-01T00:00:00Z'); ts += 3_600_000) {
      expect(tradingDate('NYSE', ts)).toBe(format.format(ts));
    }
  });
});

describe('session state', () => {
  it('walks an NSE day through its sessions at the boundaries', () => {
    const d = '2025-06-10';
    expect(sessionState('NSE', ist(d, '08:59')).state).toBe('closed');
    expect(sessionState('NSE', ist(d, '09:00')).state).toBe('pre_open');
    expect(sessionState('NSE', ist(d, '09:07')).state).toBe('pre_open');
    const matching = sessionState('NSE', ist(d, '09:08'));
    expect(matching.state).toBe('closed');
    expect(matching.nextOpen).toBe(ist(d, '09:15'));
    expect(sessionState('NSE', ist(d, '09:15')).state).toBe('open');
    expect(sessionState('NSE', ist(d, '15:30') - 1).state).toBe('open');
    expect(sessionState('NSE', ist(d, '15:30')).state).toBe('closed');
    expect(sessionState('NSE', ist(d, '15:40')).state).toBe('closing');
    const after = sessionState('NSE', ist(d, '16:00'));
    expect(after.state).toBe('closed');
    expect(after.nextOpen).toBe(ist('2025-06-11', '09:15'));
  });

  it('is closed on holidays with the holiday as the reason', () => {
    const s = sessionState('NSE', ist('2025-03-14', '11:00'));
    expect(s).toEqual({ state: 'closed', reason: 'Holi', nextOpen: ist('2025-03-17', '09:15') });
    expect(sessionState('BSE', ist('2026-01-26', '10:00')).reason).toBe('Republic Day');
    expect(sessionState('NSE', ist('2025-06-14', '10:00')).reason).toBe('weekend');
  });

  it('opens for special sessions on otherwise closed days', () => {
    expect(sessionState('NSE', ist('2025-10-21', '14:00')).state).toBe('open');
    expect(sessionState('NSE', ist('2025-10-21', '10:00')).state).toBe('closed');
    expect(sessionState('NSE', ist('2025-02-01', '10:00')).state).toBe('open'); // budget Saturday
    expect(sessionState('BSE', ist('2026-02-01', '09:05')).state).toBe('pre_open'); // budget Sunday
    expect(isBusinessDay('NSE', '2026-02-01')).toBe(false); // a settlement holiday all the same
  });

  it('follows New York hours in both EST and EDT', () => {
    expect(sessionState('NYSE', ny('2026-03-06', '09:29', '-05:00')).state).toBe('closed');
    expect(sessionState('NYSE', ny('2026-03-06', '09:30', '-05:00')).state).toBe('open');
    expect(sessionState('NYSE', ny('2026-03-06', '16:00', '-05:00')).state).toBe('closed');
    // After the switch the open is 13:30 UTC instead of 14:30 UTC.
    const friday = sessionState('NYSE', ny('2026-03-06', '17:00', '-05:00'));
    expect(friday.nextOpen).toBe(Date.parse('2026-03-09T13:30:00Z'));
    expect(sessionState('NASDAQ', ny('2026-03-09', '09:30', '-04:00')).state).toBe('open');
    expect(sessionState('NASDAQ', ny('2026-03-09', '09:29', '-04:00')).state).toBe('closed');
  });

  it('closes early on half days', () => {
    expect(sessionState('NYSE', ny('2026-11-27', '12:59', '-05:00')).state).toBe('open');
    const s = sessionState('NYSE', ny('2026-11-27', '13:00', '-05:00'));
    expect(s.state).toBe('closed');
    expect(s.reason).toContain('Day after Thanksgiving');
  });
});
