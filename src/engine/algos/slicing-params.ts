import type { Leg } from '../../domain/plan.js';
import type { Instrument } from '../../domain/instrument.js';
import { AlgoParamError } from './algo-param-error.js';
import type { ChildStyle, PricingContext } from './child-pricing.js';
import { CLEANUP_MODES } from './scheduled-execution.js';
import { DURATION_FORMAT } from './duration.js';
import { duration, numeric, oneOf, param, wholeNumber } from './params.js';
import { z } from 'zod';

/** Parameters every scheduled algorithm (TWAP, VWAP, IS, POV) understands, with their defaults. */
export const childParamSpecs = {
  child_type: param(oneOf(['limit', 'market'] as const).default('limit'), 'use child_type=limit (at the touch ± offset_bps) or child_type=market'),
  offset_bps: param(numeric.pipe(z.number().min(-500, 'must be ≥ -500').max(500, 'must be ≤ 500')).default(0), 'use a number of basis points between -500 and 500 (positive = more aggressive), e.g. offset_bps=2'),
  cleanup: param(oneOf(CLEANUP_MODES).default('market'), 'use cleanup=market, cleanup=aggressive_limit or cleanup=leave'),
  cleanup_bps: param(numeric.pipe(z.number().min(0, 'must be ≥ 0').max(500, 'must be ≤ 500')).default(10), 'use how many basis points past the far touch the clean-up limit may go, e.g. cleanup_bps=10'),
};

export const DEFAULT_DURATION_MS = 30 * 60_000;
export const DEFAULT_SLICES = 10;
/** No slice shorter than this: slices closer together than a second would only churn orders. */
export const MIN_SLICE_MS = 1_000;

export const horizonSpecs = {
  duration: param(duration.default(DEFAULT_DURATION_MS), DURATION_FORMAT),
  slices: param(wholeNumber(1).pipe(z.number().max(10_000, 'must be ≤ 10000')).default(DEFAULT_SLICES), 'use a whole number of slices between 1 and 10000, e.g. slices=10'),
};

export function checkSliceLength(algo: string, durationMs: number, slices: number, name = 'slices'): void {
  if (durationMs / slices < MIN_SLICE_MS) {
    throw new AlgoParamError(algo, name, `= ${slices} makes slices shorter than one second over ${durationMs / 1000}s`, `use at most ${Math.max(1, Math.floor(durationMs / MIN_SLICE_MS))} ${name} or a longer duration`);
  }
}

export function childStyle(p: { child_type: 'limit' | 'market'; offset_bps: number }): ChildStyle {
  return p.child_type === 'market' ? { type: 'market' } : { type: 'limit', offsetBps: p.offset_bps };
}

/** Side, tick and the leg's limit price, which no child may cross. */
export function pricingFor(leg: Leg, instrument: Instrument, specLimit?: number): PricingContext {
  const cap = specLimit ?? leg.limitPrice;
  return cap === undefined ? { side: leg.side, tickSize: instrument.tickSize } : { side: leg.side, tickSize: instrument.tickSize, cap };
}
