import { BlockedError } from '../../domain/errors/blocked-error.js';
import type { HaltReader } from './types.js';

/**
 * While the kill switch is on nothing starts trading: the caller is refused before it takes a
 * lock, asks the broker anything or records an event, so a run stays as it was. `unchanged`
 * says what did not happen; `then`, what to do after `ptexec unhalt`.
 */
export function refuseWhileHalted(halt: HaltReader, unchanged: string, then?: string): void {
  const state = halt.isHalted();
  if (!state.halted) return;
  const since = state.at === undefined ? '' : ` since ${new Date(state.at).toISOString()}`;
  throw new BlockedError(`trading is halted${since}${state.reason ? ` (${state.reason})` : ''}; ${unchanged}`, `\`ptexec unhalt\` lifts it${then ? `; then ${then}` : ''}`);
}
