import type { RunSignals } from './run-signals.js';

/** The runs this server is executing: stopped together when it shuts down. */
export class RunsInFlight {
  private readonly running = new Map<string, { signals: RunSignals; done: Promise<unknown> }>();

  get size(): number {
    return this.running.size;
  }

  has(runId: string): boolean {
    return this.running.has(runId);
  }

  add(runId: string, signals: RunSignals, work: Promise<unknown>): void {
    const done = work.catch(() => undefined).finally(() => this.running.delete(runId));
    this.running.set(runId, { signals, done });
  }

  /** Stops every run (no new orders) and waits for each to save its state; the ids of those stopped. */
  async stopAll(): Promise<string[]> {
    const runs = [...this.running];
    for (const [, run] of runs) run.signals.stop();
    await Promise.all(runs.map(([, run]) => run.done));
    return runs.map(([id]) => id);
  }
}
