import { describe, expect, it } from 'vitest';
import { nextRuns, parseCron } from '../../src/market/cron.js';

const iso = (ts: number[]) => ts.map((t) => new Date(t).toISOString());

describe('cron expressions', () => {
  it('reads lists, ranges, steps and names; day-of-week 7 is Sunday', () => {
    const c = parseCron('*/15 9-11,14 1 jan-mar mon-fri');
    expect([...c.minutes]).toEqual([0, 15, 30, 45]);
    expect([...c.hours]).toEqual([9, 10, 11, 14]);
    expect([...c.months]).toEqual([1, 2, 3]);
    expect([...c.daysOfWeek]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 5-7').daysOfWeek]).toEqual([5, 6, 0]);
    expect([...parseCron('0 10-20/5 * * *').hours]).toEqual([10, 15, 20]);
    expect([...parseCron('0 3/8 * * *').hours]).toEqual([3, 11, 19]);
  });

  it('refuses what cron would refuse, naming the field', () => {
    expect(() => parseCron('20 9 * *')).toThrow(/has 4 fields; cron takes 5/);
    expect(() => parseCron('60 9 * * *')).toThrow(/minute "60" is not 0–59/);
    expect(() => parseCron('0 9 * * 1-9')).toThrow(/day of week "9"/);
    expect(() => parseCron('0 9 5-1 * *')).toThrow(/goes backwards/);
    expect(() => parseCron('*/0 * * * *')).toThrow(/step "0"/);
    expect(() => parseCron('0 9 * foo *')).toThrow(/month "foo"/);
  });

  it('the next runs in a time zone: weekdays at 09:20 IST, across a weekend', () => {
    const friday = Date.parse('2026-03-06T04:00:00Z'); // Friday 09:30 IST: today's run has passed
    expect(iso(nextRuns(parseCron('20 9 * * 1-5'), 'Asia/Kolkata', friday, 2))).toEqual(['2026-03-09T03:50:00.000Z', '2026-03-10T03:50:00.000Z']);
    expect(iso(nextRuns(parseCron('0 9 * * *'), 'America/New_York', Date.parse('2026-03-07T00:00:00Z'), 2))).toEqual(['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z']); // daylight saving starts on the 8th
  });

  it('both day fields restricted: either matches, as in cron; a date that never comes has no next run', () => {
    const runs = iso(nextRuns(parseCron('0 12 13 * fri'), 'UTC', Date.parse('2026-03-01T00:00:00Z'), 3));
    expect(runs).toEqual(['2026-03-06T12:00:00.000Z', '2026-03-13T12:00:00.000Z', '2026-03-20T12:00:00.000Z']);
    expect(iso(nextRuns(parseCron('0 0 29 2 *'), 'UTC', Date.parse('2026-03-01T00:00:00Z')))).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(nextRuns(parseCron('0 0 31 2 *'), 'UTC', Date.parse('2026-03-01T00:00:00Z'))).toEqual([]);
  });
});
