import type { Clock } from '../domain/clock.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { paperMarketTime } from '../brokers/paper/paper-db.js';
import { VirtualClock, WallClock } from '../engine/clock/index.js';
import type { Store } from '../store/store.js';

export interface DrivenClock {
  clock: Clock;
  /** Runs an async operation to completion on this clock (a virtual clock must be driven). */
  drive<T>(work: Promise<T>): Promise<T>;
}

/**
 * The engine's clock. Real brokers always use the wall clock. The paper market keeps its own time
 * (its account and orders are dated in it) and never goes back: it starts at the wall clock or
 * just after the latest market time the paper account or the event log reached, whichever is
 * later, and runs at real speed, at `--speed N` (N× real time), or at `--speed max` (a virtual
 * clock that jumps from event to event: an hour of TWAP in a second). Only the market runs ahead:
 * what is recorded, and the run's identity, stay on the wall clock.
 */
export function clockFor(brokerId: string, speed: string | undefined, store: Store, wallNow = Date.now()): DrivenClock {
  if (brokerId !== 'paper') {
    if (speed === undefined || speed === '1') return { clock: new WallClock(), drive: (w) => w };
    throw new InvalidInputError(`--speed works only with the paper broker (not ${brokerId})`, 'remove --speed: real brokers trade in real time');
  }
  const start = Math.max(wallNow, paperClockFloor(store) + 1);
  if (speed === 'max') {
    const clock = new VirtualClock(start);
    return { clock, drive: (w) => clock.run(w) };
  }
  const n = speed === undefined ? 1 : Number(speed);
  if (!Number.isFinite(n) || n <= 0 || n > 10_000) throw new InvalidInputError(`--speed ${speed} is not valid`, 'use a number from 0.1 to 10000, or max');
  return { clock: new WallClock(n, start > wallNow ? start : undefined), drive: (w) => w };
}

/**
 * The latest market time recorded anywhere: by the paper broker with each change it made, or by
 * an engine in the event log (a process can stop after recording an order's intent and before
 * the broker wrote anything).
 */
function paperClockFloor(store: Store): number {
  return Math.max(paperMarketTime(store.db), store.lastMarketTs());
}
