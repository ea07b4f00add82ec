import { z } from 'zod';
import { AlgoParamError } from './algo-param-error.js';
import type { AlgorithmFactory } from './algorithm.js';
import { DURATION_FORMAT } from './duration.js';
import { duration, numeric, oneOf, param, parseParams, wholeNumber, type RawParams } from './params.js';
import { povChildQuantity } from './pov-sizing.js';
import { CLEANUP_MODES, scheduledExecution } from './scheduled-execution.js';
import { childParamSpecs, childStyle, MIN_SLICE_MS, pricingFor } from './slicing-params.js';
import { intervalTimeline } from './timeline.js';

export const DEFAULT_POV_INTERVAL_MS = 60_000;

export const povParamSpecs = {
  rate: param(numeric.pipe(z.number().gt(0, 'must be > 0').lt(1, 'must be < 1')), 'give the participation rate as a fraction between 0 and 1, e.g. rate=0.1 for 10%'),
  interval: param(duration.default(DEFAULT_POV_INTERVAL_MS), 'write the interval with a unit, e.g. interval=1m or 30s (at most 24h)'),
  duration: param(duration.optional(), `${DURATION_FORMAT}, or leave it out to participate until done`),
  min_child: param(wholeNumber(1).optional(), 'use a whole number of shares ≥ 1, e.g. min_child=10'),
  max_child: param(wholeNumber(1).optional(), 'use a whole number of shares ≥ 1, e.g. max_child=5000'),
  ...childParamSpecs,
  // Participation stops at the horizon rather than dumping the rest: clean-up is opt-in.
  cleanup: param(oneOf(CLEANUP_MODES).default('leave'), childParamSpecs.cleanup.fix),
};

/** The checks that need no instrument; the factory starts with them. */
export function parsePovParams(raw: RawParams) {
  const p = parseParams('pov', povParamSpecs, raw);
  if (p.interval < MIN_SLICE_MS) throw new AlgoParamError('pov', 'interval', `= ${p.interval}ms is shorter than one second`, 'use interval=1s or longer');
  if (p.min_child !== undefined && p.max_child !== undefined && p.min_child > p.max_child) {
    throw new AlgoParamError('pov', 'min_child', `= ${p.min_child} is above max_child = ${p.max_child}`, 'make min_child ≤ max_child');
  }
  return p;
}

/**
 * POV: every `interval`, trade ρ/(1−ρ) of the volume others traded since the previous tick,
 * between `min_child` and `max_child`, until the parent is done or the horizon ends.
 */
export const povAlgorithm: AlgorithmFactory = (spec, ctx) => {
  const p = parsePovParams(spec.params);
  const lot = ctx.instrument.lotSize;
  if (p.max_child !== undefined && p.max_child < lot) {
    throw new AlgoParamError('pov', 'max_child', `= ${p.max_child} is below the lot size ${lot}`, `use max_child ≥ ${lot}`);
  }
  return scheduledExecution({
    name: 'pov',
    style: childStyle(p),
    pricing: pricingFor(ctx.leg, ctx.instrument, spec.limitPrice),
    cleanup: p.cleanup,
    cleanupBps: p.cleanup_bps,
    timeline: (state) => intervalTimeline(state.startedAt, p.interval, p.duration),
    quantityAt: (_j, state, market, remaining) =>
      povChildQuantity({ rate: p.rate, marketVolumeSinceStart: market.marketVolumeSinceStart, filled: state.filled, remaining, minChild: p.min_child ?? lot, maxChild: p.max_child, lot }),
  });
};
