import type { Instrument } from '../../domain/instrument.js';
import { mid } from '../../domain/instrument.js';
import { toMajor } from '../../domain/money.js';
import { sessionLengthMs } from '../../market/calendar/index.js';
import { z } from 'zod';
import { AlgoParamError } from './algo-param-error.js';
import type { AlgorithmFactory } from './algorithm.js';
import { almgrenChriss, almgrenChrissSchedule, estimateImpactParameters, type AlmgrenChrissInput } from './almgren-chriss.js';
import { catchUpRule } from './cumulative-rounding.js';
import { numeric, param, parseParams, type ParsedParams, type RawParams } from './params.js';
import { scheduledExecution } from './scheduled-execution.js';
import { checkSliceLength, childParamSpecs, childStyle, horizonSpecs, pricingFor } from './slicing-params.js';
import { evenTimeline } from './timeline.js';
import { twapSchedule } from './twap-schedule.js';

/** Default risk aversion λ, per unit of currency (the order of Almgren–Chriss's example). */
export const DEFAULT_LAMBDA = 1e-6;

const nonNegative = (name: string, example: string) => param(numeric.pipe(z.number().min(0, 'must be ≥ 0')).optional(), `use a number ≥ 0, e.g. ${name}=${example}`);
const positive = (name: string, example: string) => param(numeric.pipe(z.number().gt(0, 'must be > 0')).optional(), `use a number > 0, e.g. ${name}=${example}`);

export const isParamSpecs = {
  duration: horizonSpecs.duration,
  periods: param(horizonSpecs.slices.schema, 'use a whole number of periods between 1 and 10000, e.g. periods=10'),
  ...childParamSpecs,
  /** Price per √(trading day), currency units. */
  sigma: nonNegative('sigma', '0.95'),
  /** Temporary impact, currency units per (share per trading day). */
  eta: positive('eta', '2.5e-6'),
  /** Permanent impact, currency units per share. */
  gamma: nonNegative('gamma', '2.5e-7'),
  /** Fixed cost per share, currency units. */
  epsilon: nonNegative('epsilon', '0.0625'),
  lambda: param(numeric.pipe(z.number().min(0, 'must be ≥ 0')).default(DEFAULT_LAMBDA), 'use a risk aversion ≥ 0 per unit of currency, e.g. lambda=1e-6 (0 = straight line)'),
};

/** `slices` is accepted for `periods`, since `--slices` is what the other algorithms take. */
function withPeriodsAlias(raw: RawParams): RawParams {
  if (raw['slices'] === undefined) return raw;
  if (raw['periods'] !== undefined && String(raw['periods']) !== String(raw['slices'])) {
    throw new AlgoParamError('is', 'slices', `= ${JSON.stringify(raw['slices'])} contradicts periods = ${JSON.stringify(raw['periods'])}`, 'give only periods');
  }
  const { slices, ...rest } = raw;
  return { ...rest, periods: slices };
}

type IsParams = ParsedParams<typeof isParamSpecs>;

/** The checks that need no instrument; the factory starts with them. */
export function parseIsParams(raw: RawParams): IsParams {
  const p = parseParams('is', isParamSpecs, withPeriodsAlias(raw));
  checkSliceLength('is', p.duration, p.periods, 'periods');
  return p;
}

/**
 * The Almgren–Chriss model inputs for a leg: the parameters given, else the rule-of-thumb
 * estimates from the instrument's volatility and ADV and the quoted spread. Time is in trading
 * days (the exchange's session length), prices in currency units.
 */
export function isModelInputs(p: IsParams, instrument: Instrument, quantity: number, market: { price: number; spread: number }): AlmgrenChrissInput {
  const needsVolatility = p.sigma === undefined;
  const needsAdv = p.eta === undefined || p.gamma === undefined;
  if (needsVolatility && instrument.volatility === undefined) {
    throw new AlgoParamError('is', 'sigma', `is required: ${instrument.symbol} has no known volatility`, 'give sigma= in currency units per √(trading day), e.g. sigma=12.5');
  }
  if (needsAdv && !(instrument.adv !== undefined && instrument.adv > 0)) {
    const name = p.eta === undefined ? 'eta' : 'gamma';
    throw new AlgoParamError('is', name, `is required: ${instrument.symbol} has no known average daily volume`, 'give eta= and gamma= (e.g. eta=2.5e-6 gamma=2.5e-7)');
  }
  const estimate = estimateImpactParameters({
    price: market.price > 0 ? market.price : 1,
    annualVolatility: instrument.volatility ?? 0,
    adv: instrument.adv !== undefined && instrument.adv > 0 ? instrument.adv : 1,
    spread: market.spread,
  });
  return {
    X: quantity,
    T: p.duration / sessionLengthMs(instrument.exchange),
    N: p.periods,
    sigma: p.sigma ?? estimate.sigma,
    eta: p.eta ?? estimate.eta,
    gamma: p.gamma ?? estimate.gamma,
    epsilon: p.epsilon ?? estimate.epsilon,
    lambda: p.lambda,
  };
}

/**
 * The optimal schedule; if the live spread makes the model unsolvable (η given, γ estimated from
 * a spread much wider than at validation, so η̃ ≤ 0), the straight line — the λ = 0 solution —
 * rather than failing an order that is already running.
 */
function planned(model: AlmgrenChrissInput, lot: number): number[] {
  try {
    return almgrenChrissSchedule(model, lot);
  } catch (err) {
    if (err instanceof RangeError) return twapSchedule(model.X, model.N, lot);
    throw err;
  }
}

/**
 * Implementation shortfall: the Almgren–Chriss discrete optimal trajectory over `duration` in
 * `periods` periods. Higher λ trades faster early (less timing risk, more impact); λ = 0 is TWAP.
 * A period that does not fill is made up by rescaling the rest of the trajectory, which is what
 * re-solving the model from the new holdings gives.
 */
export const implementationShortfallAlgorithm: AlgorithmFactory = (spec, ctx) => {
  const p = parseIsParams(spec.params);
  const lot = ctx.instrument.lotSize;
  const tick = toMajor(ctx.instrument.tickSize);
  // Check the model can be solved before anything is sent. η̃ > 0 does not depend on the spread
  // when η and γ are both estimated (both scale with it), so one tick stands in for it here.
  try {
    almgrenChriss(isModelInputs(p, ctx.instrument, ctx.leg.quantity, { price: toMajor(ctx.leg.decisionPrice), spread: tick }));
  } catch (err) {
    if (err instanceof RangeError) throw new AlgoParamError('is', 'eta', `with these parameters cannot be solved (${err.message})`, 'raise eta, lower gamma or use more periods');
    throw err;
  }
  let sliceQuantity: (remaining: number, slice: number) => number = () => 0;
  return scheduledExecution({
    name: 'is',
    style: childStyle(p),
    pricing: pricingFor(ctx.leg, ctx.instrument, spec.limitPrice),
    cleanup: p.cleanup,
    cleanupBps: p.cleanup_bps,
    timeline(state, market) {
      const price = toMajor(market.arrivalPrice > 0 ? market.arrivalPrice : mid(market.quote) || market.quote.last);
      const spread = Math.max(tick, toMajor(market.quote.ask - market.quote.bid));
      const quantity = state.quantity - (state.quantity % lot);
      sliceQuantity = catchUpRule(planned(isModelInputs(p, ctx.instrument, quantity, { price, spread }), lot), lot);
      return evenTimeline(state.startedAt, p.duration, p.periods);
    },
    quantityAt: (j, _state, _market, remaining) => sliceQuantity(remaining, j),
  });
};
