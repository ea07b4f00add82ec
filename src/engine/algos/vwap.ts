import type { AlgorithmFactory } from './algorithm.js';
import { catchUpRule } from './cumulative-rounding.js';
import { parseParams, type RawParams } from './params.js';
import { scheduledExecution } from './scheduled-execution.js';
import { checkSliceLength, childParamSpecs, childStyle, horizonSpecs, pricingFor } from './slicing-params.js';
import { evenTimeline } from './timeline.js';
import { defaultVolumeProfile, profileFromBins, sessionVolumeWeights, sliceVolumeWeights } from '../../market/volume-profile.js';
import { vwapSchedule } from './vwap-schedule.js';

export const vwapParamSpecs = { ...horizonSpecs, ...childParamSpecs };

/** The checks that need no instrument; the factory starts with them. */
export function parseVwapParams(raw: RawParams) {
  const p = parseParams('vwap', vwapParamSpecs, raw);
  checkSliceLength('vwap', p.duration, p.slices);
  return p;
}

/**
 * VWAP: the horizon is cut into `slices` bins; bin j's weight u_j is the share of the day's
 * volume the profile expects in it (the broker's profile when it has one, else the default U
 * shape) in the broker's session (else the exchange's regular hours), and the bin's child is remaining · u_j / Σ_{k≥j} u_k, so the cumulative fill tracks
 * Q·U(t).
 */
export const vwapAlgorithm: AlgorithmFactory = (spec, ctx) => {
  const p = parseVwapParams(spec.params);
  const profile = (ctx.volumeProfile && profileFromBins(ctx.volumeProfile)) ?? defaultVolumeProfile;
  const lot = ctx.instrument.lotSize;
  let sliceQuantity: (remaining: number, slice: number) => number = () => 0;
  return scheduledExecution({
    name: 'vwap',
    style: childStyle(p),
    pricing: pricingFor(ctx.leg, ctx.instrument, spec.limitPrice),
    cleanup: p.cleanup,
    cleanupBps: p.cleanup_bps,
    timeline(state) {
      const volumes = ctx.session
        ? sessionVolumeWeights(profile, ctx.session, state.startedAt, p.duration, p.slices)
        : sliceVolumeWeights(profile, ctx.instrument.exchange, state.startedAt, p.duration, p.slices);
      sliceQuantity = catchUpRule(vwapSchedule(state.quantity - (state.quantity % lot), volumes, lot), lot);
      return evenTimeline(state.startedAt, p.duration, p.slices);
    },
    quantityAt: (j, _state, _market, remaining) => sliceQuantity(remaining, j),
  });
};
