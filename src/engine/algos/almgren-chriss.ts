import { tradesFromCumulative } from './cumulative-rounding.js';
import { linearFractions } from './twap-schedule.js';

/**
 * Almgren–Chriss (2000) optimal execution, discrete time. All quantities are in consistent
 * units: X shares, T in the time unit σ, η and γ are expressed in (for example trading days),
 * prices in currency units per share. Temporary impact h(v) = ε·sgn(n) + η·v with v = n/τ,
 * permanent impact g(v) = γ·v.
 */
export interface AlmgrenChrissInput {
  /** Shares to trade (the sign of the trade does not change the schedule). */
  X: number;
  /** Horizon, in the time unit of σ, η and γ. */
  T: number;
  /** Number of periods. */
  N: number;
  /** Volatility, price per √(time unit). */
  sigma: number;
  /** Temporary impact, price per (share per time unit). */
  eta: number;
  /** Permanent impact, price per share. */
  gamma: number;
  /** Fixed cost per share (half the spread plus fees). */
  epsilon: number;
  /** Risk aversion, per unit of currency. */
  lambda: number;
}

export interface AlmgrenChrissResult {
  tau: number;
  etaTilde: number;
  kappaTilde: number;
  kappa: number;
  /** Holdings x_0 = X … x_N = 0 (N + 1 values). */
  trajectory: number[];
  /** Trades n_1 … n_N, n_j = x_{j−1} − x_j. */
  trades: number[];
  expectedCost: number;
  variance: number;
}

function check(name: string, value: number, ok: boolean, requirement: string): void {
  if (!Number.isFinite(value) || !ok) throw new RangeError(`${name} must be ${requirement}, got ${value}`);
}

/** arccosh(1 + y) without the cancellation of computing 1 + y first for small y. */
function arccosh1p(y: number): number {
  return Math.log1p(y + Math.sqrt(y * (y + 2)));
}

/**
 * sinh(κ(T − t)) / sinh(κT) for κ > 0, written with exponentials that neither overflow for a
 * large κT nor lose precision for a small one.
 */
function sinhRatio(kappa: number, t: number, T: number): number {
  if (t >= T) return 0;
  return (Math.exp(-kappa * t) * -Math.expm1(-2 * kappa * (T - t))) / -Math.expm1(-2 * kappa * T);
}

export function almgrenChriss(input: AlmgrenChrissInput): AlmgrenChrissResult {
  const { X, T, N, sigma, eta, gamma, epsilon, lambda } = input;
  check('X', X, X >= 0, '≥ 0');
  check('T', T, T > 0, '> 0');
  check('N', N, Number.isInteger(N) && N >= 1, 'a whole number ≥ 1');
  check('sigma', sigma, sigma >= 0, '≥ 0');
  check('eta', eta, eta > 0, '> 0');
  check('gamma', gamma, gamma >= 0, '≥ 0');
  check('epsilon', epsilon, epsilon >= 0, '≥ 0');
  check('lambda', lambda, lambda >= 0, '≥ 0');
  const tau = T / N;
  const etaTilde = eta - (gamma * tau) / 2;
  if (!(etaTilde > 0)) {
    throw new RangeError(`eta − gamma·tau/2 must be > 0 (eta ${eta}, gamma ${gamma}, tau ${tau}): raise eta, lower gamma or use more periods`);
  }
  const kappaTilde = Math.sqrt((lambda * sigma * sigma) / etaTilde);
  const kappa = arccosh1p((tau * tau * kappaTilde * kappaTilde) / 2) / tau;
  const trajectory = Array.from({ length: N + 1 }, (_, j) => (j === 0 ? X : j === N ? 0 : kappa > 0 ? X * sinhRatio(kappa, j * tau, T) : (X * (N - j)) / N));
  const trades = trajectory.slice(1).map((x, j) => trajectory[j]! - x);
  const { expectedCost, variance } = scheduleCost(trajectory, { tau, sigma, eta, gamma, epsilon });
  return { tau, etaTilde, kappaTilde, kappa, trajectory, trades, expectedCost, variance };
}

/**
 * Fraction of X traded by the end of each period: 1 − sinh(κ(T − t_j))/sinh(κT). κ = 0 (λ = 0, or
 * κ too small to register) is the limit of that expression, the straight line j/N.
 */
export function cumulativeFractions(kappa: number, T: number, N: number): number[] {
  if (!(kappa > 0)) return linearFractions(N);
  const tau = T / N;
  return Array.from({ length: N }, (_, i) => (i === N - 1 ? 1 : 1 - sinhRatio(kappa, (i + 1) * tau, T)));
}

/**
 * E and V of any trajectory x_0 … x_N (x_N = 0), as in Almgren–Chriss:
 * E = ½γX² + εΣ|n_j| + (η̃/τ)Σn_j², V = σ²τ Σ_{j=1..N} x_j².
 */
export function scheduleCost(
  trajectory: readonly number[],
  p: { tau: number; sigma: number; eta: number; gamma: number; epsilon: number },
): { expectedCost: number; variance: number } {
  const X = trajectory[0] ?? 0;
  const etaTilde = p.eta - (p.gamma * p.tau) / 2;
  let absTrades = 0;
  let squares = 0;
  let holdings = 0;
  for (let j = 1; j < trajectory.length; j++) {
    const n = trajectory[j - 1]! - trajectory[j]!;
    absTrades += Math.abs(n);
    squares += n * n;
    holdings += trajectory[j]! * trajectory[j]!;
  }
  return {
    expectedCost: 0.5 * p.gamma * X * X + p.epsilon * absTrades + (etaTilde / p.tau) * squares,
    variance: p.sigma * p.sigma * p.tau * holdings,
  };
}

/** The optimal trajectory as whole shares in lots: cumulative holdings rounded, so it sums to X. */
export function almgrenChrissSchedule(input: AlmgrenChrissInput, lot = 1): number[] {
  const { kappa } = almgrenChriss(input);
  return tradesFromCumulative(cumulativeFractions(kappa, input.T, input.N), input.X, lot);
}

/**
 * Rule-of-thumb impact parameters (Almgren–Chriss): trading 1% of the daily volume costs one
 * spread of temporary impact, 10% moves the price permanently by one spread; the fixed cost is
 * half the spread. σ from the annualised volatility over 252 trading days. Units: price per
 * share, time in trading days.
 */
export function estimateImpactParameters(m: { price: number; annualVolatility: number; adv: number; spread: number }): {
  sigma: number;
  eta: number;
  gamma: number;
  epsilon: number;
} {
  check('price', m.price, m.price > 0, '> 0');
  check('volatility', m.annualVolatility, m.annualVolatility >= 0, '≥ 0');
  check('adv', m.adv, m.adv > 0, '> 0');
  check('spread', m.spread, m.spread > 0, '> 0');
  return {
    sigma: (m.price * m.annualVolatility) / Math.sqrt(TRADING_DAYS_PER_YEAR),
    eta: m.spread / (0.01 * m.adv),
    gamma: m.spread / (0.1 * m.adv),
    epsilon: m.spread / 2,
  };
}

export const TRADING_DAYS_PER_YEAR = 252;
