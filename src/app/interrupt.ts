import type { Output } from '../lib/output.js';

/**
 * Ctrl-C (CLI.md): the first stops sending new orders and lets the run save its state; the
 * second exits at once with 130. Either way `ptexec resume` continues the run.
 */
export function interruptOnSigint(out: Output): { signal: AbortSignal; abort(): void; dispose(): void } {
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      out.info('interrupted again: exiting; the run is resumable with `ptexec resume`');
      process.exit(130);
    }
    out.info('stopping: no new orders will be sent (Ctrl-C again to exit now)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, abort: () => controller.abort(), dispose: () => process.off('SIGINT', onSigint) };
}
