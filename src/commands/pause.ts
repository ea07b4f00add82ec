import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { pauseRun } from '../app/pause-service.js';
import { BaseCommand } from './base-command.js';

export default class Pause extends BaseCommand {
  static override summary = 'Pause a running run or one leg (open orders stay).';
  static override examples = [
    '<%= config.bin %> pause',
    '<%= config.bin %> pause --leg 3',
  ];
  static override args = { run: Args.string({ ignoreStdin: true, description: 'run id or unique prefix (default: the latest unfinished run)' }) };
  static override flags = { leg: Flags.integer({ description: 'pause only this leg', min: 0 }) };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Pause);
    return this.finish(pauseRun(this.factory, { run: args.run, leg: flags.leg }));
  }
}
