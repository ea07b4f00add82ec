import * as Flags from '@oclif/core/flags';
import { notificationLog } from '../../app/notify-service.js';
import { BaseCommand } from '../base-command.js';

export default class NotifyLog extends BaseCommand {
  static override summary = 'Show the notifications sent and the attempts that failed.';
  static override description = 'One line per delivery attempt, oldest first: when, the channel, what was notified, the attempt, sent or failed (with the receiver\'s status or why). Never the channel\'s URL or secret.';
  static override examples = ['<%= config.bin %> notify log', '<%= config.bin %> notify log --limit 20 --json'];
  static override flags = {
    limit: Flags.integer({ description: 'the latest N attempts', default: 100, min: 1 }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(NotifyLog);
    return this.finish(notificationLog(this.factory, { limit: flags.limit }));
  }
}
