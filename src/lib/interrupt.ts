/** Signals that stop a run: Ctrl-C, supervisors (systemd, `docker stop`, `timeout`, cron) and a closed terminal. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

const WHY: Record<StopSignal, string> = {
  SIGINT: 'interrupted by the user',
  SIGTERM: 'stopped by SIGTERM',
  SIGHUP: 'stopped: the terminal closed (SIGHUP)',
};

/** Where signals come from: the process, or a fake in tests. */
export interface SignalSource {
  on(name: StopSignal, handler: () => void): unknown;
  off(name: StopSignal, handler: () => void): unknown;
}

/** The process's own stop signals: the I/O object's, and a dashboard's when none is given. */
export function processSignals(): SignalSource {
  return process;
}

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
export function interruptOnSignals(deps: { signals: SignalSource; info: (line: string) => void; exit: (code: number) => never; terminalClosed: () => void }): Interrupt {
  const controller = new AbortController();
  const onSignal = (name: StopSignal) => {
    if (name === 'SIGHUP') deps.terminalClosed();
    if (controller.signal.aborted) {
      deps.info('interrupted again: exiting; the run is resumable with `ptexec resume`');
      deps.exit(130);
    }
    const key = name === 'SIGINT' ? 'Ctrl-C' : name;
    deps.info(`stopping (${key}): no new orders will be sent (${key} again to exit now)`);
    controller.abort(WHY[name]);
  };
  const handlers = STOP_SIGNALS.map((name) => [name, () => onSignal(name)] as const);
  for (const [name, handler] of handlers) deps.signals.on(name, handler);
  return {
    signal: controller.signal,
    abort: (reason = WHY.SIGINT) => controller.abort(reason),
    dispose: () => {
      for (const [name, handler] of handlers) deps.signals.off(name, handler);
    },
  };
}
