import { configReport } from '../../app/config-report.js';
import { renderConfigReport } from '../../app/render/config-view.js';
import { BaseCommand } from '../base-command.js';

export default class ConfigShow extends BaseCommand {
  static override summary = 'Show the configuration in use and where each value comes from.';
  static override description = `Every key ptexec reads from config.json, with the value it uses and its source: the file, an environment variable, a flag or the default. The file is JSON with comments; \`ptexec config init\` writes one that explains every key. Secrets are not shown (see \`ptexec brokers status\`).`;
  static override aliases = ['config:show'];
  static override examples = ['<%= config.bin %> config', '<%= config.bin %> config --json', '<%= config.bin %> config init'];

  async run(): Promise<unknown> {
    const { flags } = await this.parse(ConfigShow);
    const report = configReport({ dbFlag: flags.db, env: this.factory.env });
    if (!this.jsonEnabled()) renderConfigReport(this.out, report);
    return report;
  }
}
