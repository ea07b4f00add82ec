import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { driftCommand } from '../app/drift-service.js';
import { bandFlag } from '../oclif/band-flags.js';
import { BaseCommand } from './base-command.js';

export default class Drift extends BaseCommand {
  static override summary = "Show how far each line of a target has drifted from its weight.";

  static override description = `Per line of the target: current and target weight of the account value (holdings at the last price plus cash, as rebalance values it), drift in percentage points and relative to the target weight, and whether it is outside its band (--band, or "band" on the line). Exit 0 whether or not a line is outside; 2 bad input, 5 broker down.`;

  static override examples = ['<%= config.bin %> drift examples/weights.csv --band abs=2%,rel=25%', '<%= config.bin %> drift examples/portfolio.json --json'];

  static override args = {
    file: Args.string({ ignoreStdin: true, description: 'target portfolio: JSON or CSV file, or - for stdin', required: true }),
  };

  static override flags = {
    broker: Flags.string({ char: 'b', description: 'broker (default: file, config, paper)', helpValue: 'NAME' }),
    ...bandFlag,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Drift);
    return this.finish(await driftCommand(this.factory, { file: args.file, flags }));
  }
}
