import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { ExitCode } from '../lib/exit-codes.js';
import { pickRun } from './resume-command-service.js';
import { requestControl } from './run-control.js';

/**
 * `ptexec pause`: asks the process executing a run (by id or prefix; else the one running) to
 * pause it, or one of its legs; `ptexec resume` continues it.
 */
export function pauseRun(f: Factory, request: { run?: string; leg?: number }): CommandResult {
  const run = pickRun(f.store(), request.run);
  requestControl(f.store(), run, 'pause', request.leg);
  const leg = request.leg === undefined ? '' : ` leg ${request.leg}`;
  f.io.info(`asked run ${run.run_id} to pause${leg}; \`ptexec resume ${run.run_id}${request.leg === undefined ? '' : ` --leg ${request.leg}`}\` continues it`);
  return { exitCode: ExitCode.ok, json: { run_id: run.run_id, action: 'pause', leg: request.leg ?? null } };
}
