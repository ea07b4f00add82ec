import * as Args from '@oclif/core/args';
import { BaseCommand } from './base-command.js';
import { completionCommands, completionScript, SHELLS, type ManifestCommand, type Shell } from '../app/completion-script.js';

/** `ptexec completion <shell>`: prints the completion script, built from the command manifest. */
export default class Completion extends BaseCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish.';
  static override description = `Completes commands, subcommands, flags, the values of flags that take one of a list (--algo, --status, …) and file names. Load it once in your shell's startup file:

bash (~/.bashrc): source <(ptexec completion bash)

zsh (~/.zshrc, after compinit): source <(ptexec completion zsh)

fish: ptexec completion fish > ~/.config/fish/completions/ptexec.fish`;
  static override examples = ['<%= config.bin %> completion bash', 'source <(<%= config.bin %> completion zsh)', '<%= config.bin %> completion fish > ~/.config/fish/completions/ptexec.fish'];
  static override args = { shell: Args.string({ description: 'bash, zsh or fish', options: [...SHELLS], required: true, ignoreStdin: true }) };

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    const commands = completionCommands(this.config.commands as unknown as ManifestCommand[]);
    const topics = Object.fromEntries(this.config.topics.map((t) => [t.name.replaceAll(':', ' '), t.description ?? '']));
    this.out.text(completionScript(args.shell as Shell, commands, topics, this.config.bin));
  }
}
