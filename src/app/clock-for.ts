import type { Clock } from '../domain/clock.js';
import { InputError } from '../lib/errors.js';
import { VirtualClock, WallClock } from '../engine/clock/index.js';

export interface DrivenClock {
  clock: Clock;
  /** Runs an async operation to completion on this clock (a virtual clock must be driven). */
  drive<T>(work: Promise<T>): Promise<T>;
}

/**
 * Real brokers always use the wall clock. The paper broker accepts `--speed N` (N× real time)
 * or `--speed max` (a virtual clock that jumps from event to event: an hour of TWAP in a second).
 */
export function clockFor(brokerId: string, speed: string | undefined, notBefore = 0): DrivenClock {
  if (speed === undefined || speed === '1') return { clock: new WallClock(), drive: (w) => w };
  if (brokerId !== 'paper') throw new InputError(`--speed works only with the paper broker (not ${brokerId})`, 'remove --speed: real brokers trade in real time');
  if (speed === 'max') {
    // Virtual time runs ahead of the wall clock; a later process must not start in its past.
    const clock = new VirtualClock(Math.max(Date.now(), notBefore + 1));
    return { clock, drive: (w) => clock.run(w) };
  }
  const n = Number(speed);
  if (!Number.isFinite(n) || n <= 0 || n > 10_000) throw new InputError(`--speed ${speed} is not valid`, 'use a number from 0.1 to 10000, or max');
  return { clock: new WallClock(n), drive: (w) => w };
}
