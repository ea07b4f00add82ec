import { describe, expect, it } from 'vitest';
import { sessionLengthMs, sessionWindow } from '../../src/market/calendar/index.js';
import { formatExchangeTime, parseExchangeTime } from '../../src/market/exchange-time.js';
import { defaultProfileBins, defaultVolumeProfile, profileFromBins, sliceVolumeWeights } from '../../src/market/volume-profile.js';

describe('trading sessions', () => {
  it('places NSE 09:15–15:30 IST and New York 09:30–16:00 with daylight saving', () => {
    expect(sessionWindow('NSE', Date.UTC(2026, 0, 5, 6))).toEqual({ open: Date.UTC(2026, 0, 5, 3, 45), close: Date.UTC(2026, 0, 5, 10, 0) });
    expect(sessionWindow('NYSE', Date.UTC(2026, 0, 5, 18))).toEqual({ open: Date.UTC(2026, 0, 5, 14, 30), close: Date.UTC(2026, 0, 5, 21, 0) });
    expect(sessionWindow('NASDAQ', Date.UTC(2026, 6, 6, 18))).toEqual({ open: Date.UTC(2026, 6, 6, 13, 30), close: Date.UTC(2026, 6, 6, 20, 0) });
    expect(sessionLengthMs('NSE')).toBe(375 * 60_000);
    expect(sessionLengthMs('NYSE')).toBe(390 * 60_000);
  });

  it('reads start times in exchange-local time', () => {
    const now = Date.UTC(2026, 0, 5, 5);
    expect(parseExchangeTime('now', 'NSE', now)).toBe(now);
    expect(parseExchangeTime('09:15', 'NSE', now)).toBe(Date.UTC(2026, 0, 5, 3, 45));
    expect(parseExchangeTime('2026-07-06 09:30', 'NYSE', now)).toBe(Date.UTC(2026, 6, 6, 13, 30));
    expect(parseExchangeTime('2026-01-05T10:00:30', 'NSE', now)).toBe(Date.UTC(2026, 0, 5, 4, 30, 30));
    expect(parseExchangeTime('2026-01-05T03:45:00Z', 'NSE', now)).toBe(Date.UTC(2026, 0, 5, 3, 45));
    for (const bad of ['25:00', '2026-02-30 09:15', 'tomorrow', '2026-01-05']) expect(parseExchangeTime(bad, 'NSE', now), bad).toBeUndefined();
    expect(formatExchangeTime('NSE', Date.UTC(2026, 0, 5, 3, 45))).toBe('2026-01-05 09:15:00');
  });
});

describe('volume profiles', () => {
  it('the default is a normalised U shape', () => {
    expect(defaultVolumeProfile(0)).toBe(0);
    expect(defaultVolumeProfile(1)).toBe(1);
    expect(defaultVolumeProfile(0.5)).toBeCloseTo(0.5, 12);
    const bins = defaultProfileBins(10);
    const per = bins.map((v, i) => v - (bins[i - 1] ?? 0));
    for (let i = 1; i < 10; i++) expect(bins[i]!).toBeGreaterThan(bins[i - 1]!);
    expect(per[0]!).toBeGreaterThan(per[4]!);
    expect(per[9]!).toBeGreaterThan(per[5]!);
    // Intensity 1 + 3(2s − 1)²: the first tenth holds (0.1 + (0.8³·(−1) + 1)/2)/2 = 0.172.
    expect(bins[0]!).toBeCloseTo(0.172, 12);
  });

  it('a broker profile becomes a piecewise-linear cumulative function; bad data is refused', () => {
    const u = profileFromBins([0.3, 0.45, 0.6, 0.75, 1])!;
    expect(u(0)).toBe(0);
    expect(u(0.2)).toBeCloseTo(0.3, 12);
    expect(u(0.3)).toBeCloseTo(0.375, 12);
    expect(u(1)).toBe(1);
    expect(profileFromBins([3, 6, 12])!(1 / 3)).toBeCloseTo(0.25, 12);
    expect(profileFromBins([])).toBeUndefined();
    expect(profileFromBins([0.5, 0.4, 1])).toBeUndefined();
    expect(profileFromBins([0, 0])).toBeUndefined();
    expect(profileFromBins([0.5, Number.NaN])).toBeUndefined();
  });

  it('weights slices by the volume expected in them; none outside the session', () => {
    const u = profileFromBins([0.3, 0.45, 0.6, 0.75, 1])!;
    const open = Date.UTC(2026, 0, 5, 3, 45);
    const w = sliceVolumeWeights(u, 'NSE', open, 375 * 60_000, 5);
    [0.3, 0.15, 0.15, 0.15, 0.25].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 12));
    // An hour starting 30 minutes before the close: only the first half has volume.
    const late = sliceVolumeWeights(u, 'NSE', Date.UTC(2026, 0, 5, 9, 30), 3_600_000, 2);
    expect(late[0]!).toBeCloseTo(0.25 * (30 / 75), 12);
    expect(late[1]).toBe(0);
    expect(sliceVolumeWeights(u, 'NSE', Date.UTC(2026, 0, 5, 12), 3_600_000, 3)).toEqual([0, 0, 0]);
  });
});
