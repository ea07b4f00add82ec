import { brokerSessions } from '../../app/broker-session-service.js';
import { renderBrokerSessions } from '../../app/render/broker-sessions-view.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersStatus extends BaseCommand {
  static override summary = 'Show which broker sessions are stored and when they expire.';
  static override description =
    'Reads the credentials file and the PTEXEC_<BROKER>_* environment variables. Shows the user id, where each credential comes from and when the session expires; never the secrets themselves.';
  static override examples = ['<%= config.bin %> brokers status', '<%= config.bin %> brokers status --json'];

  async run(): Promise<unknown> {
    await this.parse(BrokersStatus);
    const sessions = brokerSessions(this.factory);
    if (!this.jsonEnabled()) renderBrokerSessions(this.out, sessions);
    return sessions;
  }
}
