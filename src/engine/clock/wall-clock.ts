import { sleepOn, type Clock, type TimerHandle } from '../../domain/clock.js';

/**
 * Real time. `speed` > 1 runs time faster (paper broker demos: a 30-minute TWAP at 60× takes
 * 30 s); `start` makes the clock read that time now and run on from there (a simulated market
 * that is ahead of the wall clock continues where it stopped).
 */
export class WallClock implements Clock {
  private readonly origin = Date.now();
  private readonly start: number;
  private nextId = 1;
  private readonly timers = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly speed = 1,
    start?: number,
  ) {
    if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`);
    this.start = start ?? this.origin;
  }

  now(): number {
    if (this.speed === 1 && this.start === this.origin) return Date.now();
    return Math.round(this.start + (Date.now() - this.origin) * this.speed);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.max(0, ms / this.speed));
    this.timers.set(id, t);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t) clearTimeout(t);
    this.timers.delete(handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

}
