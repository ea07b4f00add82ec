import type { AlgorithmFactory } from './algorithm.js';
import { catchUpRule } from './cumulative-rounding.js';
import { parseParams, type RawParams } from './params.js';
import { scheduledExecution } from './scheduled-execution.js';
import { checkSliceLength, childParamSpecs, childStyle, horizonSpecs, pricingFor } from './slicing-params.js';
import { evenTimeline } from './timeline.js';
import { twapSchedule } from './twap-schedule.js';

export const twapParamSpecs = { ...horizonSpecs, ...childParamSpecs };

/** The checks that need no instrument; the factory starts with them. */
export function parseTwapParams(raw: RawParams) {
  const p = parseParams('twap', twapParamSpecs, raw);
  checkSliceLength('twap', p.duration, p.slices);
  return p;
}

/**
 * TWAP: `slices` equal slices over `duration`. Each slice targets remaining / slices left (with
 * the planned integer slices as weights), so a partly filled slice is made up later; the rest
 * is cleaned up at the end of the horizon.
 */
export const twapAlgorithm: AlgorithmFactory = (spec, ctx) => {
  const p = parseTwapParams(spec.params);
  let sliceQuantity: (remaining: number, slice: number) => number = () => 0;
  return scheduledExecution({
    name: 'twap',
    style: childStyle(p),
    pricing: pricingFor(ctx.leg, ctx.instrument, spec.limitPrice),
    cleanup: p.cleanup,
    cleanupBps: p.cleanup_bps,
    timeline(state) {
      sliceQuantity = catchUpRule(twapSchedule(state.quantity - (state.quantity % ctx.instrument.lotSize), p.slices, ctx.instrument.lotSize), ctx.instrument.lotSize);
      return evenTimeline(state.startedAt, p.duration, p.slices);
    },
    quantityAt: (j, _state, _market, remaining) => sliceQuantity(remaining, j),
  });
};
