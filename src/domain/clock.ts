/**
 * Time as the engine and brokers see it: market time. Implementations: wall clock (real brokers),
 * a scaled clock (paper `--speed N`) and a virtual clock that jumps to the next timer (tests,
 * `--speed max`). The paper market's clock may run ahead of the wall clock; what ptexec records
 * is stamped with the wall clock by the store, and market time is kept beside it.
 */
export interface Clock {
  /** Milliseconds since the epoch, in this clock's time. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface TimerHandle {
  readonly id: number;
}

/** `clock.sleep` in terms of its timers: resolves after `ms` of clock time, or at once on abort. */
export function sleepOn(clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(handle);
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Sleeps on a clock that one call ends together (an adapter closing). Each sleep is a timer in
 * one set, not a listener on a shared AbortSignal: a run sending many orders at once would pile
 * up listeners there (Node warns from eleven on), though each is removed when its sleep ends.
 */
export class CancellableSleeps {
  private readonly pending = new Map<number, { handle: TimerHandle; wake: () => void }>();
  private cancelled = false;
  private nextKey = 0;

  constructor(private readonly clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>) {}

  /** Resolves after `ms` of clock time, or at once when cancelled. */
  sleep(ms: number): Promise<void> {
    if (this.cancelled) return Promise.resolve();
    return new Promise((resolve) => {
      const key = this.nextKey++;
      const handle = this.clock.setTimeout(() => {
        this.pending.delete(key);
        resolve();
      }, ms);
      this.pending.set(key, { handle, wake: resolve });
    });
  }

  /** Ends every pending sleep now, and every later one at once. */
  cancelAll(): void {
    this.cancelled = true;
    for (const { handle, wake } of this.pending.values()) {
      this.clock.clearTimeout(handle);
      wake();
    }
    this.pending.clear();
  }
}
