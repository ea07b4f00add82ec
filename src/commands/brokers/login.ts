import * as Args from '@oclif/core/args';
import { logIn } from '../../app/broker-session-service.js';
import { BROKERS_WITH_LOGIN } from '../../brokers/registry.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersLogin extends BaseCommand {
  static override summary = 'Log in to a broker and store the session in the credentials file.';
  static override description = `Prints the broker's login URL. Open it, log in, and paste the URL your browser is redirected to (or just its request_token) at the prompt, or pipe it on stdin. The one-time token is exchanged for an access token, which is stored with the user id and its expiry (Kite: about 06:00 IST the next day) in $XDG_CONFIG_HOME/ptexec/credentials.json (mode 0600).

The API key and secret come from PTEXEC_ZERODHA_API_KEY / PTEXEC_ZERODHA_API_SECRET, the credentials file, or a prompt on a terminal. Secrets are never taken from flags.`;
  static override examples = [
    '<%= config.bin %> brokers login zerodha',
    'echo AbC123xyz | <%= config.bin %> brokers login zerodha',
  ];
  static override args = { broker: Args.string({ ignoreStdin: true, description: 'broker to log in to', required: true, options: [...BROKERS_WITH_LOGIN] }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(BrokersLogin);
    return logIn(this.factory, args.broker);
  }
}
