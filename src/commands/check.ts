import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { checkTarget } from '../app/check-command-service.js';
import { executionFlags } from '../oclif/execution-flags.js';
import { BaseCommand } from './base-command.js';

export default class Check extends BaseCommand {
  static override summary = 'Plan a target and run the pre-trade checks; sends nothing.';
  static override description = `The same plan and risk verdicts as \`rebalance --dry-run\`. Every line of the file and the execution flags (--algo, --duration, --slices, --param) are validated exactly as rebalance validates them, whether or not the line has anything to trade, so a scheduled job can be checked with the flags it will trade with. Exit 0 when every leg passes or only warns, 3 when any leg or the run is blocked, 2 on invalid input.`;
  static override examples = [
    '<%= config.bin %> check examples/weights.json',
    '<%= config.bin %> check examples/weights.csv --algo twap --duration 30m --slices 10',
    'cat examples/portfolio.json | <%= config.bin %> check - --json',
  ];
  static override args = { file: Args.string({ ignoreStdin: true, description: 'target portfolio: a JSON or CSV file, or - for standard input', required: true }) };
  static override flags = {
    broker: Flags.string({ char: 'b', description: 'broker whose account is checked (default: the file\'s "broker", then default_broker, then paper)' }),
    risk: Flags.string({ description: 'risk limits file (JSON), instead of the risk section of config.json', helpValue: 'FILE' }),
    ...executionFlags,
    'min-trade-value': Flags.string({ description: 'skip legs worth less than this amount (account currency)' }),
    'band-pct': Flags.string({ description: 'skip legs smaller than this % of the account value' }),
    'liquidate-unlisted': Flags.boolean({ description: 'plan sells of holdings the target does not list' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Check);
    return this.finish(await checkTarget(this.factory, { file: args.file, flags }));
  }
}
