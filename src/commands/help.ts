import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { loadHelpClass } from '@oclif/core/help';
import { unknownCommand } from '../lib/did-you-mean.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { commandWords } from '../oclif/command-not-found.js';
import { BaseCommand } from './base-command.js';

/**
 * `ptexec help [command]`. oclif's help plugin offers the same command, but as a plugin it is
 * looked up and loaded on every start of every command; this one lives in the command bundle
 * and costs nothing until it is asked for.
 */
export default class Help extends BaseCommand {
  static override summary = 'Show help for ptexec or one of its commands.';
  static override examples = ['<%= config.bin %> help', '<%= config.bin %> help rebalance', '<%= config.bin %> help runs show'];
  static override args = { command: Args.string({ ignoreStdin: true, description: 'command to show help for', required: false }) };
  static override flags = { 'nested-commands': Flags.boolean({ char: 'n', description: 'include all nested commands in the output' }) };
  static override strict = false;

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Help);
    const words = (argv as string[]).filter((a) => !a.startsWith('-'));
    const id = words.join(':');
    if (words.length > 0 && !this.config.findCommand(id) && !this.config.findTopic(id)) {
      const { message, hint } = unknownCommand(words, commandWords(this.config));
      throw new InvalidInputError(message, hint);
    }
    const HelpClass = await loadHelpClass(this.config);
    await new HelpClass(this.config, { all: flags['nested-commands'] }).showHelp(argv as string[]);
  }
}
