import type { Clock } from '../../domain/clock.js';
import type { HaltReader, HaltStatus } from './types.js';

/**
 * Polls the kill switch on the engine's clock and reports transitions, so a running engine
 * stops sending (and cancels its open orders when the halt asks for it) within one poll of
 * `ptexec halt` in any other process. Every send is also checked by the gate itself; this is
 * what lets the engine act on open orders without waiting for its next send.
 */
export function watchKillSwitch(reader: HaltReader, clock: Clock, pollMs: number, onChange: (status: HaltStatus) => void): () => void {
  let last = reader.isHalted();
  let stopped = false;
  let timer = clock.setTimeout(tick, pollMs);
  if (last.halted) onChange(last);

  function tick(): void {
    if (stopped) return;
    const now = reader.isHalted();
    if (now.halted !== last.halted || now.at !== last.at) {
      last = now;
      onChange(now);
    }
    timer = clock.setTimeout(tick, pollMs);
  }

  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
