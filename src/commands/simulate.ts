import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { simulateTarget } from '../app/simulate/simulate-service.js';
import { BaseCommand } from './base-command.js';

export default class Simulate extends BaseCommand {
  static override summary = 'Compare algorithms on many seeded paper-market paths; sends nothing.';
  static override description = `Nothing is sent to any broker and nothing is written to the database: each path is a fresh paper market (an in-memory account, a virtual clock) seeded with seed + path number, so every algorithm meets the same markets and the same seed gives the same figures whatever the number of worker threads. Per algorithm: mean, standard deviation and 95th percentile of implementation shortfall in bps, slippage against interval VWAP, fill rate, legs fully filled and completed within their horizon, fills within the bid/offer, and the pre-trade estimate against the result (README "ptexec simulate").`;
  static override examples = [
    '<%= config.bin %> simulate examples/portfolio.json --paths 20',
    '<%= config.bin %> simulate bench/fixtures/execution-quality.csv --algo twap,auto --paths 50 --seed 7 --json',
  ];
  static override args = { file: Args.string({ ignoreStdin: true, description: 'target portfolio: a JSON or CSV file, or - for standard input', required: true }) };
  static override flags = {
    algo: Flags.string({ description: 'comma-separated: market, twap, vwap, pov, is, auto', default: 'twap,vwap,pov,is,auto', helpValue: 'LIST' }),
    paths: Flags.integer({ description: 'seeded market paths per algorithm', default: 200, min: 1, max: 100_000, helpValue: 'N' }),
    seed: Flags.integer({ description: 'seed of the first path (path i uses seed + i)', default: 1, helpValue: 'N' }),
    duration: Flags.string({ description: 'horizon of twap, vwap, pov and is (auto chooses its own)', default: '1h', helpValue: 'D' }),
    workers: Flags.integer({ description: 'worker threads (default: the available parallelism; 0 runs in this thread)', min: 0, max: 256, helpValue: 'N' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Simulate);
    return this.finish(await simulateTarget(this.factory, { file: args.file, flags }));
  }
}
