import * as Flags from '@oclif/core/flags';
import { flattenAccount } from '../app/flatten-service.js';
import { executionFlags } from '../oclif/execution-flags.js';
import { BaseCommand } from './base-command.js';

export default class Flatten extends BaseCommand {
  static override summary = 'Emergency: stop the running run and sell the holdings.';
  static override description = `Takes over the account: a run executing in any process is asked to cancel (its open orders are cancelled and confirmed; flatten waits up to a minute), a stopped run's open orders are cancelled here; then the listed holdings (or every holding) are sold as a new run, through the pre-trade checks and the chosen algorithm. While trading is halted it is refused (exit 3) unless --override-halt --reason "…" is given; the override and its reason are recorded with the run. Exit codes as for rebalance.`;
  static override examples = [
    '<%= config.bin %> flatten --dry-run',
    '<%= config.bin %> flatten --symbols INFY,TCS --yes',
    '<%= config.bin %> flatten --algo twap --duration 30m --yes',
    '<%= config.bin %> flatten --override-halt --reason "broker outage, closing out" --yes',
  ];
  static override flags = {
    symbols: Flags.string({ description: 'sell only these holdings (comma-separated; default: all)', helpValue: 'A,B' }),
    broker: Flags.string({ char: 'b', description: 'paper (default); others: brokers status', helpValue: 'NAME' }),
    ...executionFlags,
    'dry-run': Flags.boolean({ description: 'show what would be stopped and sold; change nothing' }),
    yes: Flags.boolean({ char: 'y', description: 'answer yes to the confirmation' }),
    'override-halt': Flags.boolean({ description: 'sell even while trading is halted (needs --reason)' }),
    reason: Flags.string({ description: 'why the halt is overridden (recorded with the run)', helpValue: 'TEXT' }),
    risk: Flags.string({ description: 'risk limits file instead of config.json\'s "risk"', helpValue: 'FILE' }),
    speed: Flags.string({ description: 'paper: N times real time, or max', helpValue: 'N' }),
    seed: Flags.integer({ description: 'paper: seed of the simulated market', helpValue: 'N' }),
    'no-ui': Flags.boolean({ description: 'progress lines on stderr, no dashboard' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Flatten);
    return this.finish(await flattenAccount(this.factory, flags));
  }
}
