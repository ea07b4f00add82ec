import * as Args from '@oclif/core/args';
import { logOut } from '../../app/broker-session-service.js';
import { BROKERS_WITH_LOGIN } from '../../brokers/registry.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersLogout extends BaseCommand {
  static override summary = 'End a broker session and remove its access token.';
  static override description =
    'Invalidates the access token with the broker (Kite: DELETE /session/token) and removes it from the credentials file; the API key and secret are kept for the next login. Without an argument, logs out of every stored session. A token that the broker already considers invalid is removed all the same.';
  static override examples = ['<%= config.bin %> brokers logout zerodha', '<%= config.bin %> brokers logout'];
  static override args = { broker: Args.string({ ignoreStdin: true, description: 'broker to log out of (default: all)', options: [...BROKERS_WITH_LOGIN] }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(BrokersLogout);
    return logOut(this.factory, args.broker);
  }
}
