import type { Clock } from '../../domain/clock.js';

export interface Settle {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * A wait that something else ends (a Logon, a Heartbeat answering a TestRequest), or that fails
 * with `onTimeout()` after `ms`. `register` hands the settle functions to whoever ends the wait
 * and returns how to forget them when the time runs out.
 */
export function settleWithin(clock: Clock, ms: number, onTimeout: () => Error, register: (settle: Settle) => () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      forget();
      reject(onTimeout());
    }, ms);
    const forget = register({
      resolve: () => {
        clock.clearTimeout(timer);
        resolve();
      },
      reject: (err) => {
        clock.clearTimeout(timer);
        reject(err);
      },
    });
  });
}
