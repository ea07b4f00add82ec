import { z } from 'zod';
import { roundPassive } from '../../domain/price.js';
import { AlgoParamError } from './algo-param-error.js';
import type { AlgorithmFactory } from './algorithm.js';
import { icebergShownQuantity } from './iceberg-sizing.js';
import { DURATION_FORMAT } from './duration.js';
import { duration, flag, numeric, param, parseParams, wholeNumber, type RawParams } from './params.js';
import { CANCEL_RETRY_MS, cancelRequests } from './cancel-requests.js';
import { fnv1a32 } from '../../market/hash.js';

/** How often a shown slice's price is compared with the touch. */
export const REPRICE_CHECK_MS = 10_000;

export const icebergParamSpecs = {
  display_qty: param(wholeNumber(1), 'give the quantity to show at a time, e.g. display_qty=100'),
  randomize_pct: param(numeric.pipe(z.number().min(0, 'must be ≥ 0').max(50, 'must be ≤ 50')).default(0), 'use a percentage between 0 and 50, e.g. randomize_pct=20 for ±20%'),
  seed: param(wholeNumber(0).optional(), 'use a whole number ≥ 0, e.g. seed=42 (default: derived from the order id)'),
  offset_bps: param(numeric.pipe(z.number().min(-500, 'must be ≥ -500').max(500, 'must be ≤ 500')).default(0), 'use basis points between -500 and 500 (positive = more aggressive), e.g. offset_bps=2'),
  native: param(flag.default(false), 'use native=true to let the broker hold the hidden part (disclosed quantity), native=false to refill from ptexec'),
  duration: param(duration.optional(), `${DURATION_FORMAT}, or leave it out to work until filled`),
};

/** The checks that need no instrument; the factory starts with them. */
export function parseIcebergParams(raw: RawParams) {
  return parseParams('iceberg', icebergParamSpecs, raw);
}

/**
 * Iceberg: a limit child showing `display_qty` (± `randomize_pct`), replaced by the next one each
 * time it fills completely, until the parent is done. The price is the leg's limit, else the
 * touch ± `offset_bps` at each refill; a shown slice the market leaves behind (a buy below the
 * bid) is cancelled and shown again at the touch, every REPRICE_CHECK_MS at most. With `native=true` a single child carries the whole
 * quantity with the broker's disclosed-quantity field instead. With `duration`, whatever is still
 * shown at the end of the horizon is cancelled and the rest left unfilled.
 */
export const icebergAlgorithm: AlgorithmFactory = (spec, ctx) => {
  const p = parseIcebergParams(spec.params);
  const lot = ctx.instrument.lotSize;
  if (p.display_qty < lot) throw new AlgoParamError('iceberg', 'display_qty', `= ${p.display_qty} is below the lot size ${lot}`, `show at least one lot, e.g. display_qty=${lot}`);
  const side = ctx.leg.side;
  const fixedPrice = spec.limitPrice ?? ctx.leg.limitPrice;
  let seed = p.seed;
  /** The child in flight: how much it showed and the parent's fill when it was sent. */
  let sent: { quantity: number; filledBefore: number } | undefined;
  /** The shown slice was cancelled to move it to the touch: what it had left is shown again. */
  let repricing = false;
  const cancelsDue = cancelRequests();

  const priceNow = (quote: { bid: number; ask: number; last: number }): number => {
    if (fixedPrice !== undefined) return fixedPrice;
    const touch = side === 'buy' ? quote.bid : quote.ask;
    const base = touch > 0 ? touch : quote.last;
    const sign = side === 'buy' ? 1 : -1;
    return Math.max(ctx.instrument.tickSize, roundPassive(base * (1 + (sign * p.offset_bps) / 10_000), ctx.instrument.tickSize, side));
  };

  return {
    name: 'iceberg',
    decide(state, market) {
      const remaining = state.quantity - state.filled;
      if (remaining <= 0) return { done: true };
      const end = p.duration === undefined ? undefined : state.startedAt + p.duration;
      if (end !== undefined && state.now >= end) {
        if (state.working === 0) return { done: true };
        const cancel = cancelsDue(state);
        return cancel.length > 0 ? { cancel, cancelReason: 'horizon', wakeAt: state.now + CANCEL_RETRY_MS } : { wakeAt: state.now + CANCEL_RETRY_MS };
      }
      const check = fixedPrice === undefined ? state.now + REPRICE_CHECK_MS : Number.POSITIVE_INFINITY;
      const wake = Math.min(end ?? Number.POSITIVE_INFINITY, check);
      const horizon = Number.isFinite(wake) ? { wakeAt: wake } : {};
      const limitPrice = priceNow(market.quote);
      if (state.working > 0) {
        const behind = state.openChildren.some((c) => c.limitPrice !== undefined && c.filled < c.quantity && (side === 'buy' ? c.limitPrice < limitPrice : c.limitPrice > limitPrice));
        if (fixedPrice !== undefined || !behind || p.native) return horizon;
        const cancel = cancelsDue(state);
        if (cancel.length > 0) repricing = true;
        return cancel.length > 0 ? { ...horizon, cancel, cancelReason: 'reprice' } : horizon;
      }
      if (repricing && sent) {
        // The moved slice shows what the cancelled one had not filled.
        repricing = false;
        const quantity = Math.min(remaining, sent.quantity - (state.filled - sent.filledBefore));
        if (quantity > 0) {
          sent = { quantity, filledBefore: state.filled };
          return { ...horizon, place: [{ quantity, type: 'limit', limitPrice, timeInForce: 'day' }] };
        }
      }
      // The last child ended without filling what it showed (cancelled, rejected, expired):
      // stop rather than re-sending into the same problem; the runtime reports the leg incomplete.
      if (sent && state.filled - sent.filledBefore < sent.quantity) return { done: true };
      if (p.native) {
        sent = { quantity: remaining, filledBefore: state.filled };
        return { ...horizon, place: [{ quantity: remaining, type: 'limit', limitPrice, timeInForce: 'day', displayQuantity: Math.min(p.display_qty, remaining) }] };
      }
      seed ??= fnv1a32(state.parentId);
      const quantity = icebergShownQuantity({ display: p.display_qty, randomizePct: p.randomize_pct, seed, filled: state.filled, remaining, lot });
      sent = { quantity, filledBefore: state.filled };
      return { ...horizon, place: [{ quantity, type: 'limit', limitPrice, timeInForce: 'day' }] };
    },
  };
};
