import { roundToTick, isOnTick } from './price.js';
import type { Side } from './side.js';

/**
 * How far a trailing stop trails the best price seen since it was placed (its water mark: the
 * highest for a sell, the lowest for a buy): a percent of that price, or a price offset in minor
 * units. Exactly one of the two.
 */
export type Trail = { percent: number; price?: undefined } | { price: number; percent?: undefined };

/** A trail percent is written with at most two decimals (2.5 = 2.5 %), between 0 and 100. */
export const TRAIL_PERCENT_DECIMALS = 2;

/** The percent in hundredths of a percent (basis points), exact: 2.55 → 255. */
export function trailBasisPoints(percent: number): number {
  return Math.round(percent * 10 ** TRAIL_PERCENT_DECIMALS);
}

/** Why a trail percent cannot be used, or undefined. */
export function trailPercentProblem(percent: number): string | undefined {
  if (!Number.isFinite(percent) || percent <= 0 || percent >= 100) return `must be above 0 and below 100 (a percent of the price), got ${percent}`;
  if (Math.abs(trailBasisPoints(percent) - percent * 100) > 1e-9) return `may have at most ${TRAIL_PERCENT_DECIMALS} decimals (e.g. 2.25), got ${percent}`;
  return undefined;
}

/** Why a trail is malformed for an instrument of tick `tickSize`, or undefined. */
export function trailProblem(trail: Trail | undefined, tickSize: number): string | undefined {
  if (!trail) return 'a trailing stop needs a trail: a percent or a price offset';
  if ((trail.percent === undefined) === (trail.price === undefined)) return 'a trailing stop trails by a percent or by a price offset, exactly one';
  if (trail.percent !== undefined) {
    const problem = trailPercentProblem(trail.percent);
    return problem && `the trail percent ${problem}`;
  }
  if (!Number.isInteger(trail.price) || trail.price! <= 0) return `the trail price offset must be a positive integer number of minor units, got ${trail.price}`;
  if (!isOnTick(trail.price!, tickSize)) return `the trail price offset ${trail.price} is not on the tick of ${tickSize}`;
  return undefined;
}

/**
 * The stop price a trailing stop stands at for a water mark: below it for a sell, above it for a
 * buy, by the offset or the percent, on the tick and rounded away from the market (a sell's stop
 * down, a buy's up) so that it never stands closer than the trail.
 */
export function trailingStopPrice(side: Side, mark: number, trail: Trail, tickSize: number): number {
  const distance = trail.price ?? (mark * trailBasisPoints(trail.percent!)) / 10_000;
  return side === 'sell' ? roundToTick(mark - distance, tickSize, 'down') : roundToTick(mark + distance, tickSize, 'up');
}

/** The water mark after a new price: a sell's rises with the price, a buy's falls with it. */
export function nextWaterMark(side: Side, mark: number, price: number): number {
  return side === 'sell' ? Math.max(mark, price) : Math.min(mark, price);
}
