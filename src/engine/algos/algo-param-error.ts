import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';

/**
 * A bad algorithm parameter (from `--algo twap --slices …` or a leg of the target file). It is
 * invalid input, found before anything is sent: exit 2. `param` is the parameter's name as the
 * user wrote it (snake_case), so a command can translate it back to its flag.
 */
export class AlgoParamError extends InvalidInputError {
  constructor(
    readonly algo: string,
    readonly param: string,
    /** What is wrong, e.g. `= "abc" is not a number` or `is required`. */
    readonly problem: string,
    readonly fix: string,
  ) {
    super(`${algo} parameter "${param}" ${problem}; ${fix}`, fix);
    this.name = 'AlgoParamError';
  }
}
