import { sleepOn, type Clock, type TimerHandle } from '../../domain/clock.js';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * Deterministic time for tests and `--speed max`: nothing happens until time is advanced, and
 * `run()` drives a whole async scenario by jumping to the next timer whenever the program is idle.
 * An hour of trading takes milliseconds.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(start = Date.UTC(2026, 0, 5, 4, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn };
    // Keep timers ordered by time, then by creation, so equal times fire in scheduling order.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }


  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer due on the way (in order). */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await settle();
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = end;
    await settle();
  }

  /**
   * Runs until `promise` settles: whenever the program is idle, jumps to the next timer.
   * Throws if the program is idle with no timer left (it would wait forever).
   */
  async run<T>(promise: Promise<T>, maxSteps = 10_000_000): Promise<T> {
    let done = false;
    let value: T | undefined;
    let error: unknown;
    let failed = false;
    promise.then(
      (v) => {
        done = true;
        value = v;
      },
      (e) => {
        done = true;
        failed = true;
        error = e;
      },
    );
    for (let step = 0; step < maxSteps; step++) {
      await settle();
      if (done) break;
      const next = this.timers.shift();
      if (!next) {
        await settle(5);
        if (done) break;
        if (this.timers.length) continue;
        throw new Error('VirtualClock.run: the program is waiting but no timer is pending (deadlock)');
      }
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    if (!done) throw new Error(`VirtualClock.run: not finished after ${maxSteps} timer steps`);
    if (failed) throw error;
    return value as T;
  }
}

/** Lets pending promise callbacks and I/O callbacks run (a few macrotask turns). */
async function settle(turns = 2): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
