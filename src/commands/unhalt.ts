import { KillSwitch } from '../store/risk-queries.js';
import { BaseCommand } from './base-command.js';

export default class Unhalt extends BaseCommand {
  static override summary = 'Lift the kill switch: orders may be sent again.';
  static override description = 'Records the release in the database; every process sees it at its next check. Runs that stopped while halted are resumed with `ptexec resume`.';
  static override examples = ['<%= config.bin %> unhalt', '<%= config.bin %> unhalt --json'];

  async run(): Promise<unknown> {
    await this.parse(Unhalt);
    const killSwitch = new KillSwitch(this.store());
    const before = killSwitch.isHalted();
    if (!before.halted) {
      this.out.info('trading is not halted; nothing to do');
      return { halted: false, changed: false };
    }
    killSwitch.unhalt();
    this.out.info(`trading resumed (halted since ${new Date(before.at ?? 0).toISOString()}${before.reason ? `: ${before.reason}` : ''})`);
    return { halted: false, changed: true, was_reason: before.reason ?? null };
  }
}
