import { unhaltTrading } from '../app/halt-service.js';
import { BaseCommand } from './base-command.js';

export default class Unhalt extends BaseCommand {
  static override summary = 'Lift the kill switch: orders may be sent again.';
  static override description = 'Records the release in the database; every process sees it at its next check. Runs that stopped while halted are resumed with `ptexec resume`.';
  static override examples = ['<%= config.bin %> unhalt', '<%= config.bin %> unhalt --json'];

  async run(): Promise<unknown> {
    await this.parse(Unhalt);
    return this.finish(await unhaltTrading(this.factory));
  }
}
