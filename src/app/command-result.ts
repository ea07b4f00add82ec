import type { ExitCodeValue } from '../lib/exit-codes.js';

/** What a use case hands back to its front end: the exit code, and the result for `--json`. */
export interface CommandResult {
  exitCode: ExitCodeValue;
  json: unknown;
}
