import { describe, expect, it } from 'vitest';
import { previewAlgorithm } from '../../src/app/algo-preview-service.js';
import { algoPreviewJson, renderAlgoPreview } from '../../src/app/render/algo-preview-view.js';
import { fakeIO } from '../lib/fake-terminal.js';

// Monday 5 January 2026, 10:00 in Mumbai: "now" and "HH:MM" are placed on the factory's wall clock.
const factory = { wallNow: () => Date.parse('2026-01-05T04:30:00Z') };
const base = { qty: 1000, lot: 1, exchange: 'NSE', start: 'now' };

describe('previewAlgorithm', () => {
  it('twap: equal slices from the wall clock’s now, shown in exchange time and as JSON', () => {
    const result = previewAlgorithm(factory, { ...base, algo: 'twap', slices: '4', duration: '1h' });
    expect(result.rows.map((r) => r.quantity)).toEqual([250, 250, 250, 250]);
    expect(algoPreviewJson(result)).toMatchObject({ algo: 'twap', start: '2026-01-05T04:30:00.000Z', duration: '1h', slices: 4, schedule: [{ period: 1, time: '2026-01-05T04:30:00.000Z', quantity: 250 }, {}, {}, {}] });
    const { io, stdout } = fakeIO();
    renderAlgoPreview(io, result, 'NSE');
    expect(stdout.text()).toMatch(/time \(NSE\)/);
    expect(stdout.text()).toMatch(/10:00/);
  });

  it('is with a plain horizon: model time units and the Almgren–Chriss figures under the table', () => {
    const result = previewAlgorithm(factory, { ...base, qty: 1_000_000, algo: 'is', horizon: '5', periods: '5', sigma: '0.95', eta: '2.5e-6', gamma: '2.5e-7', epsilon: '0.0625', lambda: '2e-6' });
    expect(result.timeKind).toBe('units');
    expect(result.notes[0]).toMatch(/^T = 5 time units, N = 5/);
    expect(result.rows.at(-1)!.remaining).toBe(0);
  });

  it('refuses flags that do not apply, and parameters against the flag that gave them', () => {
    expect(() => previewAlgorithm(factory, { ...base, algo: 'twap', adv: '5000000' })).toThrow(/--adv does not apply to --algo twap/);
    expect(() => previewAlgorithm(factory, { ...base, algo: 'iceberg', slices: '4' })).toThrow(/--slices does not apply to --algo iceberg/);
    expect(() => previewAlgorithm(factory, { ...base, qty: 1001, lot: 10, algo: 'twap' })).toThrow(/--qty 1001 is not a multiple of --lot 10/);
  });
});
