import type { Output } from '../lib/output.js';

/** Signals that stop a run: Ctrl-C, supervisors (systemd, `docker stop`, `timeout`, cron) and a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

const WHY: Record<StopSignal, string> = {
  SIGINT: 'interrupted by the user',
  SIGTERM: 'stopped by SIGTERM',
  SIGHUP: 'stopped: the terminal closed (SIGHUP)',
};

export interface Interrupt {
  /** Aborted by the first stop signal (or `abort`); its reason says why. */
  signal: AbortSignal;
  abort(reason?: string): void;
  dispose(): void;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP (CLI.md): the first stops sending new orders and lets the run save
 * its state, release its lock and exit 130; a second exits at once with 130. Either way
 * `ptexec resume` continues the run. Without these handlers SIGTERM and SIGHUP would kill the
 * process mid-step and leave the run `running`.
 */
export function interruptOnSignals(out: Output): Interrupt {
  const controller = new AbortController();
  const onSignal = (name: StopSignal) => {
    if (name === 'SIGHUP') ignoreClosedTerminal();
    if (controller.signal.aborted) {
      out.info('interrupted again: exiting; the run is resumable with `ptexec resume`');
      process.exit(130);
    }
    const key = name === 'SIGINT' ? 'Ctrl-C' : name;
    out.info(`stopping (${key}): no new orders will be sent (${key} again to exit now)`);
    controller.abort(WHY[name]);
  };
  const handlers = STOP_SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, handler] of handlers) process.on(name, handler);
  return {
    signal: controller.signal,
    abort: (reason = WHY.SIGINT) => controller.abort(reason),
    dispose: () => {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}

/**
 * After SIGHUP the terminal is gone: writing to it fails (EIO). The run still has to save its
 * state and release its lock, so a failed write must not end the process as a crash.
 */
function ignoreClosedTerminal(): void {
  for (const stream of [process.stdout, process.stderr, process.stdin]) {
    if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
  }
}

function ignore(): void {
  // The terminal closed; there is nobody to tell.
}
