import { describe, expect, it } from 'vitest';
import { almgrenChriss, almgrenChrissSchedule, estimateImpactParameters, scheduleCost } from '../../src/engine/algos/almgren-chriss.js';
import { twapSchedule } from '../../src/engine/algos/twap-schedule.js';

/** Almgren & Chriss (2000), section 3 example: 1M shares over 5 days in daily periods. */
const textbook = { X: 1e6, T: 5, N: 5, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625, lambda: 2e-6 };

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('almgrenChriss: the textbook example, computed by hand', () => {
  const r = almgrenChriss(textbook);
  const { X, T, N, sigma, eta, gamma, epsilon, lambda } = textbook;
  const tau = T / N;
  const etaTilde = eta - (gamma * tau) / 2; // 2.375e-6
  const kappaTildeSq = (lambda * sigma * sigma) / etaTilde; // 0.76
  const kappa = Math.acosh((tau * tau * kappaTildeSq) / 2 + 1) / tau; // acosh(1.38)
  const x = Array.from({ length: N + 1 }, (_, j) => (X * Math.sinh(kappa * (T - j * tau))) / Math.sinh(kappa * T));
  const n = x.slice(1).map((xj, j) => x[j]! - xj);
  let E = 0.5 * gamma * X * X;
  let V = 0;
  for (let j = 1; j <= N; j++) {
    E += epsilon * Math.abs(n[j - 1]!) + (etaTilde / tau) * n[j - 1]! ** 2;
    V += sigma * sigma * tau * x[j]! ** 2;
  }

  it('uses the discrete κ, not the continuous shortcut', () => {
    expect(etaTilde).toBeCloseTo(2.375e-6, 15);
    expect(kappaTildeSq).toBeCloseTo(0.76, 12);
    expect(r.etaTilde).toBeCloseTo(etaTilde, 18);
    expect(r.kappa).toBeCloseTo(kappa, 12);
    expect(r.kappa).toBeCloseTo(0.846297, 5);
    expect(r.kappa).not.toBeCloseTo(Math.sqrt((lambda * sigma * sigma) / eta), 3);
  });

  it('gives the sinh trajectory and its trades', () => {
    expect(r.trajectory).toHaveLength(N + 1);
    r.trajectory.forEach((v, j) => expect(v).toBeCloseTo(x[j]!, 6));
    r.trades.forEach((v, j) => expect(v).toBeCloseTo(n[j]!, 6));
    expect(r.trajectory[0]).toBe(X);
    expect(r.trajectory[N]).toBe(0);
    expect(sum(r.trades)).toBeCloseTo(X, 6);
  });

  it('gives E and V', () => {
    expect(r.expectedCost).toBeCloseTo(E, 4);
    expect(r.variance / V).toBeCloseTo(1, 12);
    // The figures themselves, to four significant digits.
    expect(r.expectedCost / 1_140_715).toBeCloseTo(1, 4);
    expect(r.variance / 2.019313e11).toBeCloseTo(1, 4);
  });

  it('rounds cumulative holdings to whole shares, summing exactly to X', () => {
    const s = almgrenChrissSchedule(textbook);
    expect(sum(s)).toBe(X);
    expect(s).toEqual([571401, 245666, 106637, 48653, 27643]);
    let held = X;
    s.forEach((q, j) => {
      held -= q;
      expect(Math.abs(held - x[j + 1]!)).toBeLessThanOrEqual(0.5 + 1e-6);
    });
    const lots = almgrenChrissSchedule(textbook, 100);
    expect(sum(lots)).toBe(X);
    for (const q of lots) expect(q % 100).toBe(0);
  });
});

describe('almgrenChriss: limits and shape', () => {
  it('λ = 0 is the straight line and exactly the TWAP schedule', () => {
    for (const [X, N] of [[1e6, 5], [1000, 7], [1003, 10], [7, 10], [999_999, 13], [5, 2]] as const) {
      const input = { ...textbook, X, N, lambda: 0 };
      const r = almgrenChriss(input);
      expect(r.kappa).toBe(0);
      r.trajectory.forEach((v, j) => expect(v).toBeCloseTo((X * (N - j)) / N, 6));
      expect(almgrenChrissSchedule(input)).toEqual(twapSchedule(X, N));
    }
    // E of the straight line: ½γX² + εX + (η̃/τ)·N·(X/N)².
    const r = almgrenChriss({ ...textbook, lambda: 0 });
    expect(r.expectedCost).toBeCloseTo(0.5 * 2.5e-7 * 1e12 + 0.0625 * 1e6 + 2.375e-6 * 5 * (2e5) ** 2, 4);
  });

  it('σ = 0 (no risk) is also the straight line', () => {
    expect(almgrenChrissSchedule({ ...textbook, sigma: 0 })).toEqual(twapSchedule(1e6, 5));
  });

  it('tends to the straight line as κ → 0, without NaN', () => {
    for (const lambda of [1e-30, 1e-20, 1e-14]) {
      const r = almgrenChriss({ ...textbook, lambda });
      for (const v of [...r.trajectory, r.kappa, r.expectedCost, r.variance]) expect(Number.isFinite(v)).toBe(true);
      r.trajectory.forEach((v, j) => expect(v / 1e6).toBeCloseTo((5 - j) / 5, 6));
    }
  });

  it('stays finite when κT is far beyond where sinh overflows', () => {
    const r = almgrenChriss({ ...textbook, N: 1000, lambda: 1e6 });
    expect(r.kappa * 5).toBeGreaterThan(1000);
    for (const v of r.trajectory) expect(Number.isFinite(v)).toBe(true);
    expect(r.trades[0]! / 1e6).toBeGreaterThan(0.99);
    expect(sum(almgrenChrissSchedule({ ...textbook, N: 1000, lambda: 1e6 }))).toBe(1e6);
  });

  it('front-loads more as λ rises', () => {
    const firsts = [0, 1e-7, 1e-6, 2e-6, 1e-5, 1e-4].map((lambda) => almgrenChrissSchedule({ ...textbook, lambda })[0]!);
    for (let i = 1; i < firsts.length; i++) expect(firsts[i]!).toBeGreaterThan(firsts[i - 1]!);
    // And the variance falls while the expected cost rises: the efficient frontier.
    const a = almgrenChriss({ ...textbook, lambda: 1e-6 });
    const b = almgrenChriss({ ...textbook, lambda: 1e-5 });
    expect(b.variance).toBeLessThan(a.variance);
    expect(b.expectedCost).toBeGreaterThan(a.expectedCost);
  });

  it('the optimum beats TWAP on E + λV', () => {
    const opt = almgrenChriss(textbook);
    const line = almgrenChriss({ ...textbook, lambda: 0 });
    const lineCost = scheduleCost(line.trajectory, { tau: 1, sigma: 0.95, eta: 2.5e-6, gamma: 2.5e-7, epsilon: 0.0625 });
    expect(opt.expectedCost + 2e-6 * opt.variance).toBeLessThan(lineCost.expectedCost + 2e-6 * lineCost.variance);
  });

  it('refuses inputs the model cannot solve', () => {
    expect(() => almgrenChriss({ ...textbook, gamma: 1e-4 })).toThrow(/eta − gamma·tau\/2 must be > 0/);
    expect(() => almgrenChriss({ ...textbook, N: 2.5 })).toThrow(/N must be/);
    expect(() => almgrenChriss({ ...textbook, T: 0 })).toThrow(/T must be/);
    expect(() => almgrenChriss({ ...textbook, lambda: -1 })).toThrow(/lambda must be/);
    expect(() => almgrenChriss({ ...textbook, eta: Number.NaN })).toThrow(/eta must be/);
  });
});

describe('estimateImpactParameters', () => {
  it('reproduces the Almgren–Chriss example parameters from price, volatility, ADV and spread', () => {
    // $50 stock, 30% annual volatility, 5M shares a day, 1/8 spread.
    const p = estimateImpactParameters({ price: 50, annualVolatility: 0.3, adv: 5e6, spread: 0.125 });
    expect(p.sigma).toBeCloseTo((50 * 0.3) / Math.sqrt(252), 12);
    expect(p.sigma).toBeCloseTo(0.945, 3);
    expect(p.eta).toBeCloseTo(2.5e-6, 15);
    expect(p.gamma).toBeCloseTo(2.5e-7, 16);
    expect(p.epsilon).toBe(0.0625);
  });
});
