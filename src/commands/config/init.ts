import * as Flags from '@oclif/core/flags';
import { initConfig } from '../../app/config-report.js';
import { BaseCommand } from '../base-command.js';

export default class ConfigInit extends BaseCommand {
  static override summary = 'Write a config.json that explains every key in comments.';
  static override description = `Writes config.json in the config folder ($PTEXEC_CONFIG_DIR, else $XDG_CONFIG_HOME/ptexec, else ~/.config/ptexec). ptexec reads it as JSON with comments: every key is written out, commented, at its default or an example value; uncomment a line to use it. An existing file is kept unless --force.`;
  static override examples = ['<%= config.bin %> config init', '<%= config.bin %> config init --force'];
  static override flags = { force: Flags.boolean({ description: 'replace an existing config.json' }) };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ConfigInit);
    const result = initConfig({ force: flags.force, env: this.factory.env });
    this.out.info(`${result.replaced ? 'replaced' : 'wrote'} ${result.path}; \`ptexec config\` shows the values in use`);
    return { path: result.path, replaced: result.replaced };
  }
}
