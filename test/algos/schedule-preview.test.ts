import { describe, expect, it } from 'vitest';
import { previewIceberg, previewIs, previewPov, previewTwap, previewVwap } from '../../src/engine/algos/schedule-preview.js';
import { defaultVolumeProfile } from '../../src/market/volume-profile.js';

const OPEN = Date.UTC(2026, 0, 5, 3, 45); // 09:15 IST
const SESSION = 375 * 60_000;

describe('schedule previews', () => {
  it('TWAP rows: time, quantity, cumulative, remaining', () => {
    expect(previewTwap({ quantity: 10, slices: 3, durationMs: 180_000, start: OPEN, lot: 1 })).toEqual([
      { period: 1, time: OPEN, quantity: 3, cumulative: 3, remaining: 7 },
      { period: 2, time: OPEN + 60_000, quantity: 4, cumulative: 7, remaining: 3 },
      { period: 3, time: OPEN + 120_000, quantity: 3, cumulative: 10, remaining: 0 },
    ]);
  });

  it('VWAP rows carry the volume share of each bin, and say when the horizon has no volume', () => {
    const { rows, outsideSession } = previewVwap({ quantity: 1000, slices: 2, durationMs: SESSION, start: OPEN, lot: 1, exchange: 'NSE' });
    expect(outsideSession).toBe(false);
    expect(rows.map((r) => r.quantity)).toEqual([500, 500]);
    expect(rows[0]!.volumeShare).toBeCloseTo(0.5, 12);
    const night = previewVwap({ quantity: 1000, slices: 4, durationMs: 3_600_000, start: OPEN + 12 * 3_600_000, lot: 1, exchange: 'NSE' });
    expect(night.outsideSession).toBe(true);
    expect(night.rows.map((r) => r.quantity)).toEqual([250, 250, 250, 250]);
  });

  it('IS rows and statistics come from the same model', () => {
    const model = { X: 1e6, T: 5, N: 5, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625, lambda: 2e-6 };
    const { rows, result } = previewIs({ model, lot: 1, time: (j) => j });
    expect(rows.map((r) => r.remaining)).toEqual(result.trajectory.slice(1).map((x) => Math.round(x)));
    expect(rows.map((r) => r.time)).toEqual([0, 1, 2, 3, 4]);
  });

  it('POV trades ρ/(1−ρ) of the volume others are expected to trade in each interval', () => {
    const adv = 5_000_000;
    const rows = previewPov({ quantity: 1_000_000, rate: 0.1, adv, intervalMs: 300_000, durationMs: 3_600_000, start: OPEN + 3_600_000, lot: 1, exchange: 'NSE' });
    expect(rows).toHaveLength(12);
    expect(rows[0]!.quantity).toBe(0);
    rows.slice(1).forEach((row, i) => {
      const from = (3_600_000 + i * 300_000) / SESSION;
      const to = (3_600_000 + (i + 1) * 300_000) / SESSION;
      const volume = adv * (defaultVolumeProfile(to) - defaultVolumeProfile(from));
      expect(row.marketVolume).toBe(Math.round(volume));
      // Each interval adds what is due on the cumulative target; whole shares, rounded down.
      expect(Math.abs(row.quantity - volume / 9)).toBeLessThanOrEqual(1);
    });
    const small = previewPov({ quantity: 2000, rate: 0.1, adv, intervalMs: 300_000, durationMs: 3_600_000, start: OPEN + 3_600_000, lot: 1, exchange: 'NSE' });
    expect(small.at(-1)!.remaining).toBe(0);
    expect(small.length).toBeLessThan(12);
  });

  it('iceberg rows are the shown sizes until the quantity is done', () => {
    const rows = previewIceberg({ quantity: 1000, display: 100, randomizePct: 20, seed: 7, lot: 1 });
    expect(rows.at(-1)!.cumulative).toBe(1000);
    for (const r of rows) {
      expect(r.time).toBeNull();
      expect(r.quantity).toBeLessThanOrEqual(120);
    }
  });
});
