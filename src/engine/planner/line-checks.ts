import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { Instrument } from '../../domain/instrument.js';
import { isSingleOrderExecution, type ExecutionSpec, type Leg } from '../../domain/plan.js';
import type { TargetPosition } from '../../domain/target-portfolio.js';
import { AlgoParamError } from '../algos/algo-param-error.js';
import { algorithmNames, algorithmParameters, algorithms } from '../algos/index.js';
import { offTickProblems, orderLabel } from './leg-order.js';

export interface LineProblem {
  /** The JSON key (or CSV column) to point at, e.g. `limit_price` or `algo_params.duration`. */
  field: string;
  message: string;
}

/**
 * What is wrong with one line of the target, found the same way whether the account already
 * holds the line's target or not, so a file that passes today passes tomorrow: prices off the
 * instrument's tick, an unknown algorithm, `algo_params` the leg's order does not take, and
 * parameter values its algorithm refuses. The last is the runtime's own check: the algorithm is
 * built as the runtime builds it, for the line's leg (one lot when the line has nothing to trade).
 */
export function lineProblems(position: TargetPosition, leg: Omit<Leg, 'index'>, instrument: Instrument, startAt: number): LineProblem[] {
  const problems: LineProblem[] = offTickProblems(position, instrument);
  const execution = leg.execution;
  if (!algorithms[execution.algo]) return [...problems, { field: 'algo', message: `unknown algorithm "${execution.algo}": use one of ${algorithmNames().join(', ')}` }];

  const allowed = lineParameterNames(execution);
  const given = Object.keys(position.algoParams ?? {});
  for (const name of given.filter((n) => !allowed.includes(n))) {
    problems.push({ field: `algo_params.${name}`, message: `"${name}" is not a parameter of ${takerOf(execution)}: it takes ${allowed.join(', ')}` });
  }
  if (problems.length) return problems;
  try {
    buildAlgorithm(leg, instrument, startAt);
  } catch (err) {
    if (!(err instanceof AlgoParamError)) throw err;
    // A parameter of the line is pointed at; one from the run's flags is the algorithm's.
    if (given.includes(err.param)) problems.push({ field: `algo_params.${err.param}`, message: `${err.param} ${err.problem}; ${err.fix}` });
    else problems.push({ field: 'algo', message: err.message });
  }
  return problems;
}

/**
 * The parameters a line may give its leg: those of the algorithm that works it, except
 * `offset_bps` on a limit with a limit price (it prices only a limit at the touch).
 */
function lineParameterNames(execution: ExecutionSpec): readonly string[] {
  const names = algorithmParameters[execution.algo]!.names;
  return execution.algo === 'limit' && execution.limitPrice !== undefined ? names.filter((n) => n !== 'offset_bps') : names;
}

function takerOf(execution: ExecutionSpec): string {
  if (isSingleOrderExecution(execution)) return `a ${orderLabel(execution)} leg`;
  return execution.algo === 'limit' && execution.limitPrice !== undefined ? 'limit with a limit_price' : execution.algo;
}

/** Builds the leg's algorithm as the runtime does; a bad parameter throws {@link AlgoParamError}. */
export function buildAlgorithm(leg: Omit<Leg, 'index'>, instrument: Instrument, startAt: number): void {
  const factory = algorithms[leg.execution.algo];
  if (!factory) throw new InvalidInputError(`unknown algorithm "${leg.execution.algo}" for ${leg.symbol}`, `use one of ${algorithmNames().join(', ')}`);
  factory(leg.execution, { leg: { ...leg, index: 0 }, instrument, startAt });
}
