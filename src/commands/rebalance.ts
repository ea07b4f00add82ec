import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { executeLoggedRebalance } from '../app/logged-rebalance.js';
import { driftTradingFlags } from '../oclif/band-flags.js';
import { executionFlags } from '../oclif/execution-flags.js';
import { BaseCommand } from './base-command.js';

export default class Rebalance extends BaseCommand {
  static override summary = 'Rebalance a broker account to a target portfolio.';

  static override description = `Plans, checks, asks, executes. Exit codes: 0 done, 2 bad input, 3 blocked, 4 incomplete, 5 broker down, 6 locked or ran today, 7 database, 130 interrupted.`;

  // One example: the help fits one 50-row screen with every flag shown (README has the rest).
  static override examples = ['<%= config.bin %> rebalance examples/weights.csv --algo twap --dry-run'];

  static override args = {
    file: Args.string({ ignoreStdin: true, description: 'target portfolio: JSON or CSV file, or - for stdin', required: true }),
  };

  static override flags = {
    broker: Flags.string({ char: 'b', description: 'paper (default); others: brokers status', helpValue: 'NAME' }),
    // The accounts of config.json "accounts" (README "Rebalancing several accounts"), in their own section of the help.
    account: Flags.string({ description: 'one configured account: an ordinary run on it', helpValue: 'ALIAS', helpGroup: 'ACCOUNT' }),
    accounts: Flags.string({ description: 'all or a,b: one target over several accounts', helpValue: 'LIST', helpGroup: 'ACCOUNT' }),
    failover: Flags.boolean({ allowNo: true, description: 'move unsent legs off a broker gone down (on)', helpGroup: 'ACCOUNT' }),
    'dry-run': Flags.boolean({ description: 'plan and check only; send nothing' }),
    yes: Flags.boolean({ char: 'y', description: 'answer yes to the confirmation' }),
    'new-run': Flags.boolean({ description: 'trade again even if this target ran today' }),
    'run-id': Flags.string({ description: 'name the run (4–10 lowercase letters, digits)', helpValue: 'ID' }),
    ...executionFlags,
    'min-trade-value': Flags.string({ description: 'skip legs worth less than this amount', helpValue: 'AMOUNT' }),
    'band-pct': Flags.string({ description: 'skip legs under this % of the account value', helpValue: 'PCT' }),
    'liquidate-unlisted': Flags.boolean({ description: 'sell holdings the target does not list' }),
    ...driftTradingFlags,
    'allow-partial': Flags.boolean({ description: 'when legs are blocked, send the others' }),
    'allow-duplicate': Flags.boolean({ description: 'send a target an earlier run traded today anyway' }),
    risk: Flags.string({ description: 'risk limits file instead of config.json\'s "risk"', helpValue: 'FILE' }),
    speed: Flags.string({ description: 'paper: N times real time, or max', helpValue: 'N' }),
    seed: Flags.integer({ description: 'paper: seed of the simulated market', helpValue: 'N' }),
    'no-ui': Flags.boolean({ description: 'progress lines on stderr, no dashboard' }),
    at: Flags.string({ description: 'wait until open, open+10m or HH:MM (exchange)', helpValue: 'WHEN' }),
    'wait-lock': Flags.string({ description: 'wait up to D for a locked account', helpValue: 'D' }),
    amo: Flags.boolean({ description: 'after-market orders for the next session' }),
    'log-file': Flags.string({ description: 'append the run\'s NDJSON log to FILE', helpValue: 'FILE' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Rebalance);
    return this.finish(await executeLoggedRebalance(this.factory, { file: args.file, flags }));
  }
}
