import { availableParallelism } from 'node:os';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { parseDuration } from '../../engine/algos/duration.js';
import { ExitCode } from '../../lib/exit-codes.js';
import { splitCsvLine } from '../../market/csv.js';
import type { CommandResult } from '../command-result.js';
import { executionFromFlags } from '../execution-spec.js';
import type { Factory } from '../factory.js';
import { loadCostModel } from '../loaders/cost-model.js';
import { parseTargetPortfolio } from '../loaders/target-file.js';
import { DEFAULT_MAX_INPUT_BYTES, readInput } from '../read-input.js';
import { simulationJson, renderSimulation } from '../render/simulate-view.js';
import type { PathJob } from './simulate-path.js';
import { summarise, type AlgoSummary } from './simulate-report.js';
import { runJobs } from './worker-pool.js';

export interface SimulateFlags {
  algo: string;
  paths: number;
  seed: number;
  workers?: number;
  duration: string;
}

/** Every path starts at 10:00 IST on a Monday (2026-01-05): inside the NSE session, 5h30m before the close. */
export const SIMULATION_START = Date.UTC(2026, 0, 5, 4, 30);
const SIMULATED_ALGOS = ['market', 'twap', 'vwap', 'pov', 'is', 'auto'];
/** POV in a simulation: 10% participation, the rest at the horizon by a market clean-up. */
const POV_PARAMS = ['rate=0.1', 'cleanup=market'];

/**
 * `ptexec simulate`: the target on `paths` seeded paper-market paths per algorithm, in worker
 * threads, nothing sent to any broker and nothing written to the user's database. Path i of
 * every algorithm has the same seed (seed + i), so the algorithms meet the same markets, and the
 * figures do not depend on the number of workers.
 */
export async function simulateTarget(f: Factory, input: { file: string; flags: SimulateFlags }): Promise<CommandResult> {
  const { flags } = input;
  const algos = splitCsvLine(flags.algo).map((a) => a.trim().toLowerCase()).filter(Boolean);
  const unknown = algos.find((a) => !SIMULATED_ALGOS.includes(a));
  if (!algos.length || unknown !== undefined) throw new InvalidInputError(`--algo ${flags.algo}: "${unknown ?? ''}" is not an algorithm simulate runs`, `use a comma-separated list of ${SIMULATED_ALGOS.join(', ')}`);
  try {
    parseDuration(flags.duration);
  } catch (err) {
    throw new InvalidInputError(`--duration ${flags.duration}: ${(err as Error).message}`, 'e.g. --duration 1h');
  }
  const { text, source } = await readInput(input.file, { maxBytes: DEFAULT_MAX_INPUT_BYTES, stdin: () => f.io.stdin });
  parseTargetPortfolio(text, source);
  const model = loadCostModel(f.env).model;
  for (const algo of algos) executionFromFlags(specFlags(algo, flags.duration));
  const jobs: PathJob[] = algos.flatMap((algo) => Array.from({ length: flags.paths }, (_, i) => ({ targetText: text, targetName: source, algo, params: specFlags(algo, flags.duration), seed: flags.seed + i, start: SIMULATION_START, model })));
  const workers = flags.workers ?? availableParallelism();
  const started = Date.now();
  let reported = 0;
  const results = await runJobs(jobs, workers, (done) => {
    // One progress line per tenth, on stderr: scripts read stdout.
    if (done * 10 >= (reported + 1) * jobs.length) f.io.info(`simulated ${done}/${jobs.length} paths`), (reported = Math.floor((done * 10) / jobs.length));
  });
  const summaries: AlgoSummary[] = algos.map((algo, a) => summarise(algo, results.slice(a * flags.paths, (a + 1) * flags.paths)));
  const seconds = (Date.now() - started) / 1000;
  if (!f.io.jsonMode) renderSimulation(f.io, summaries, { paths: flags.paths, seed: flags.seed, workers, seconds, duration: flags.duration });
  return { exitCode: ExitCode.ok, json: simulationJson(summaries, { paths: flags.paths, seed: flags.seed, workers, duration: flags.duration, source }) };
}

/** The execution flags of a simulated algorithm: the run's horizon for every scheduled one. */
function specFlags(algo: string, duration: string) {
  if (algo === 'auto' || algo === 'market') return { algo };
  return { algo, duration, ...(algo === 'pov' ? { param: POV_PARAMS } : { slices: Math.max(4, Math.round(parseDuration(duration) / 300_000)) }) };
}
