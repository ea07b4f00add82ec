import { EventEmitter } from 'node:events';
import type { SignalSource, StopSignal } from '../lib/interrupt.js';

/**
 * The stop signals of one run the server executes: the process's SIGTERM/SIGINT belong to the
 * server, which passes a stop on to each run through this, so a run stops exactly as the first
 * Ctrl-C stops `ptexec rebalance` (no new orders, state saved, resumable).
 */
export class RunSignals implements SignalSource {
  private readonly emitter = new EventEmitter();

  on(name: StopSignal, handler: () => void): this {
    this.emitter.on(name, handler);
    return this;
  }

  off(name: StopSignal, handler: () => void): this {
    this.emitter.off(name, handler);
    return this;
  }

  stop(): void {
    this.emitter.emit('SIGTERM');
  }
}
