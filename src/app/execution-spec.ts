import type { ExecutionSpec } from '../domain/plan.js';
import { algorithmNames } from '../engine/algos/index.js';
import { InputError } from '../lib/errors.js';

/** Builds the default execution of a run from `--algo`, `--duration`, `--slices` and `--param k=v`. */
export function executionFromFlags(flags: { algo: string; duration?: string; slices?: number; param?: string[] }): ExecutionSpec {
  const algo = flags.algo.toLowerCase();
  if (!algorithmNames().includes(algo)) throw new InputError(`unknown algorithm "${flags.algo}"`, `use one of ${algorithmNames().join(', ')}`);
  const params: Record<string, string | number | boolean> = {};
  for (const kv of flags.param ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new InputError(`--param ${kv} is not key=value`, 'write it like --param rate=0.1');
    const key = kv.slice(0, i).trim();
    const raw = kv.slice(i + 1).trim();
    params[key] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  if (flags.duration) params['duration'] = flags.duration;
  if (flags.slices !== undefined) params['slices'] = flags.slices;
  return { algo, orderType: algo === 'market' ? 'market' : 'limit', params };
}
