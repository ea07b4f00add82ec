import type { CommandResult } from './command-result.js';
import type { Factory } from './factory.js';
import { executeRebalance, type RebalanceFlags } from './rebalance-command-service.js';
import { withRunLog } from './run-log.js';

/** `ptexec rebalance` with its log (`--log-file`, or config.json `logs.file`). */
export function executeLoggedRebalance(f: Factory, input: { file: string; flags: RebalanceFlags }, fallbackLog?: string): Promise<CommandResult> {
  return withRunLog(f, { command: 'rebalance', logFile: input.flags['log-file'], fallback: fallbackLog }, () => executeRebalance(f, input));
}
