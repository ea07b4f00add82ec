import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { executeRebalance } from '../app/rebalance-command-service.js';
import { executionFlags } from '../lib/execution-flags.js';
import { BaseCommand } from './base-command.js';

export default class Rebalance extends BaseCommand {
  static override summary = 'Rebalance a broker account to a target portfolio.';

  static override description = `Reads the target portfolio (JSON or CSV, or - for standard input), takes a snapshot of the
account, plans the orders (sells first, lot and tick rounding, cash check), runs the pre-trade
checks, asks for confirmation and executes with the chosen algorithm. Every fact is stored, so
the run can be watched (ptexec watch), resumed (ptexec resume) and analysed afterwards.

Running the same file again on the same day reports the existing run instead of trading twice
(--new-run forces a new one). Exit codes: 0 done, 2 invalid input, 3 blocked by checks,
4 incomplete, 5 broker unreachable, 6 account locked or run exists, 130 interrupted.`;

  static override examples = [
    '<%= config.bin %> rebalance examples/portfolio.json --dry-run',
    '<%= config.bin %> rebalance examples/portfolio.json --yes',
    '<%= config.bin %> rebalance examples/weights.csv --algo twap --duration 30m --slices 10 --speed 60 --yes',
    'cat examples/portfolio.json | <%= config.bin %> rebalance - --json --yes',
  ];

  static override args = {
    file: Args.string({ ignoreStdin: true, description: 'target portfolio: a JSON or CSV file, or - for standard input', required: true }),
  };

  static override flags = {
    broker: Flags.string({ char: 'b', description: 'broker to trade through (default: the file\'s "broker", then default_broker in config, then paper)' }),
    'dry-run': Flags.boolean({ description: 'plan and check only; send nothing' }),
    yes: Flags.boolean({ char: 'y', description: 'answer yes to the confirmation (needed to send real orders without a terminal)' }),
    'new-run': Flags.boolean({ description: 'start a new run even if this target already ran today' }),
    'run-id': Flags.string({ description: 'use this run id (4–10 lowercase letters and digits) instead of the derived one' }),
    ...executionFlags,
    'min-trade-value': Flags.string({ description: 'skip legs worth less than this amount (account currency)' }),
    'band-pct': Flags.string({ description: 'skip legs smaller than this % of the account value (no-trade band)' }),
    'liquidate-unlisted': Flags.boolean({ description: 'sell holdings the target does not list (default: leave them)' }),
    'allow-partial': Flags.boolean({ description: 'when some legs are blocked by the pre-trade checks, send the others' }),
    'allow-duplicate': Flags.boolean({ description: 'send a target that an earlier run traded today anyway (a warning instead of the duplicate block)' }),
    risk: Flags.string({ description: 'risk limits file (JSON), instead of the risk section of config.json' }),
    speed: Flags.string({ description: 'paper broker only: run the market N times faster than real time, or max' }),
    seed: Flags.integer({ description: 'paper broker only: seed of the simulated market' }),
    'no-ui': Flags.boolean({ description: 'plain progress lines on stderr instead of the dashboard' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Rebalance);
    const result = await executeRebalance({
      file: args.file,
      flags,
      out: this.out,
      store: () => this.store(),
      json: this.jsonEnabled(),
    });
    process.exitCode = result.exitCode;
    return result.json;
  }
}
