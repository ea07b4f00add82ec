import * as Args from '@oclif/core/args';
import { sendTestNotification } from '../../app/notify-service.js';
import { BaseCommand } from '../base-command.js';

export default class NotifyTest extends BaseCommand {
  static override summary = 'Send a test message to one notification channel or to all.';
  static override description = 'One attempt per channel, waited for; each result is shown and recorded (`ptexec notify log`). Exit 0 when every channel took the message, 4 when any did not, 2 when no channel (or not that one) is configured.';
  static override examples = ['<%= config.bin %> notify test', '<%= config.bin %> notify test telegram'];
  static override args = { channel: Args.string({ description: 'webhook, slack, ntfy, telegram or email (default: every configured channel)' }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(NotifyTest);
    return this.finish(await sendTestNotification(this.factory, { channel: args.channel }));
  }
}
