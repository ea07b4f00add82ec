import type { ExecutionSpec } from '../domain/plan.js';
import { AlgoParamError } from '../engine/algos/algo-param-error.js';
import { algorithmNames, algorithmParameters } from '../engine/algos/index.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { AUTO_ALGO } from '../engine/planner/draft-legs.js';

/** The flags that set the default execution of a run (`rebalance` and `check`). */
export interface ExecutionFlags {
  algo: string;
  duration?: string;
  slices?: number;
  param?: string[];
}

/**
 * Builds the default execution of a run from `--algo`, `--duration`, `--slices` and `--param k=v`,
 * checked by the algorithm's own rules before any broker is opened (exit 2). Checks that need
 * the instrument (a lot size) are made per line by the planner.
 */
export function executionFromFlags(flags: ExecutionFlags): ExecutionSpec {
  const algo = flags.algo.toLowerCase();
  if (algo === AUTO_ALGO) return autoFromFlags(flags);
  if (!algorithmNames().includes(algo)) throw new InvalidInputError(`unknown algorithm "${flags.algo}"`, `use one of ${algorithmNames().join(', ')}`);
  const params = paramsOf(flags.param);
  if (flags.duration) params['duration'] = flags.duration;
  if (flags.slices !== undefined) params['slices'] = flags.slices;
  try {
    algorithmParameters[algo]!.parse(params);
  } catch (err) {
    if (!(err instanceof AlgoParamError)) throw err;
    const flag = err.param === 'duration' && flags.duration ? '--duration' : err.param === 'slices' && flags.slices !== undefined ? '--slices' : `--param ${err.param}`;
    throw new InvalidInputError(`--algo ${algo}: ${flag} ${err.problem}`, err.fix);
  }
  return { algo, orderType: algo === 'market' ? 'market' : 'limit', params };
}

function paramsOf(given: string[] | undefined): Record<string, string | number | boolean> {
  const params: Record<string, string | number | boolean> = {};
  for (const kv of given ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new InvalidInputError(`--param ${kv} is not key=value`, 'write it like --param rate=0.1');
    const key = kv.slice(0, i).trim();
    const raw = kv.slice(i + 1).trim();
    params[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return params;
}

/**
 * `--algo auto` chooses each leg's algorithm and horizon from the market (README "`--algo
 * auto`"): a horizon or slice count of the user's would overrule the choice, so they are
 * refused; `--param` values apply where the chosen algorithm takes them.
 */
function autoFromFlags(flags: ExecutionFlags): ExecutionSpec {
  const fixed = flags.duration ? '--duration' : flags.slices !== undefined ? '--slices' : undefined;
  if (fixed) throw new InvalidInputError(`--algo auto chooses each leg's horizon itself: ${fixed} cannot be given with it`, `remove ${fixed}, or name an algorithm (--algo twap ${fixed} …)`);
  const params = paramsOf(flags.param);
  const known = new Set(Object.values(algorithmParameters).flatMap((a) => a.names));
  const unknown = Object.keys(params).find((k) => !known.has(k));
  if (unknown) throw new InvalidInputError(`--algo auto: --param ${unknown} is a parameter of no algorithm`, `remove it (parameters: ${[...known].join(', ')})`);
  return { algo: AUTO_ALGO, orderType: 'limit', params };
}
