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
