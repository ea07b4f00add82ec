import { sleepOn, type Clock, type TimerHandle } from '../../domain/clock.js';

/**
 * The least market time between a run's looks at its controls (kill switch, pause and cancel
 * requests from other processes) on a clock that jumps from event to event: other processes act
 * in wall time, and ten seconds of market time there pass in well under a wall millisecond, so
 * a run still looks many times a wall second without one database read per 250 ms of market time.
 */
export const VIRTUAL_POLL_MS = 10_000;

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/** Earlier time first; equal times in scheduling order. */
function before(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
}

/**
 * Deterministic time for tests and `--speed max`: nothing happens until time is advanced, and
 * `run()` drives a whole async scenario by jumping to the next timer whenever the program is idle.
 * An hour of trading takes milliseconds.
 */
export class VirtualClock implements Clock {
  private current: number;
  private nextId = 1;
  /**
   * A binary heap of timers, and the ids still live. A run arms a timer per order (thousands),
   * so arming and clearing must not walk the list; a cleared timer stays in the heap until it
   * reaches the top, where it is dropped.
   */
  private readonly heap: Timer[] = [];
  private readonly live = new Set<number>();

  constructor(start = Date.UTC(2026, 0, 5, 4, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn };
    this.live.add(timer.id);
    const heap = this.heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!before(timer, heap[up]!)) break;
      heap[i] = heap[up]!;
      i = up;
    }
    heap[i] = timer;
    return { id: timer.id };
  }

  clearTimeout(handle: TimerHandle): void {
    this.live.delete(handle.id);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }


  pendingTimers(): number {
    return this.live.size;
  }

  /** When the next live timer is due (undefined: none), for a test that moves time itself. */
  nextTimerAt(): number | undefined {
    return this.peekNext()?.at;
  }

  /** The next live timer, without removing it. */
  private peekNext(): Timer | undefined {
    while (this.heap.length && !this.live.has(this.heap[0]!.id)) this.removeTop();
    return this.heap[0];
  }

  /** Removes and returns the next live timer. */
  private takeNext(): Timer | undefined {
    const next = this.peekNext();
    if (!next) return undefined;
    this.removeTop();
    this.live.delete(next.id);
    return next;
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (!heap.length) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, last)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
  }

  /** Moves time forward by `ms`, firing every timer due on the way (in order). */
  async advance(ms: number): Promise<void> {
    const end = this.current + ms;
    for (;;) {
      await settle();
      const next = this.peekNext();
      if (!next || next.at > end) break;
      this.takeNext();
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
      const next = this.takeNext();
      if (!next) {
        await settle(5);
        if (done) break;
        if (this.live.size) continue;
        throw new Error('VirtualClock.run: the program is waiting but no timer is pending (deadlock)');
      }
      const armedBefore = this.nextId;
      this.current = Math.max(this.current, next.at);
      next.fn();
      await this.fireSameInstant(armedBefore);
    }
    if (!done) throw new Error(`VirtualClock.run: not finished after ${maxSteps} timer steps`);
    if (failed) throw error;
    return value as T;
  }

  /**
   * Fires the other timers due at this instant before I/O and immediates run, each after the
   * promise callbacks of the one before, as Node runs the timers due in one turn of its loop. What
   * one moment starts then reaches the program together — a placement's answer and the broker's
   * updates sent at the same time make one engine step, not one each. Timers armed since this
   * instant began (one set for `0` ms by a callback) wait until the program has run.
   */
  private async fireSameInstant(armedBefore: number): Promise<void> {
    for (;;) {
      await promiseCallbacks();
      const next = this.peekNext();
      if (!next || next.at !== this.current || next.id >= armedBefore) return;
      this.takeNext();
      next.fn();
    }
  }
}

/** Lets the promise callbacks already started run, and those they start, a few deep (no macrotask turn). */
async function promiseCallbacks(depth = 8): Promise<void> {
  for (let i = 0; i < depth; i++) await Promise.resolve();
}

/** Lets pending promise callbacks and I/O callbacks run (a few macrotask turns). */
async function settle(turns = 2): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
