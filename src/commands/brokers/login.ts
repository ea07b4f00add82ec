import * as Args from '@oclif/core/args';
import { logIn } from '../../app/broker-session-service.js';
import { BROKERS_WITH_LOGIN } from '../../brokers/registry.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersLogin extends BaseCommand {
  static override summary = 'Log in to a broker and store the session in the credentials file.';
  static override description = `Logs in the broker's way and stores the session (token, user id, expiry) in $XDG_CONFIG_HOME/ptexec/credentials.json (mode 0600). Zerodha, Upstox and Fyers print a login URL: open it, log in, and paste the URL your browser is redirected to (or just its code) at the prompt, or pipe it on stdin. Angel One asks for the current TOTP code, and Groww for it or uses its API secret; with a TOTP secret stored (PTEXEC_<BROKER>_TOTP_SECRET) they log in, and later renew, by themselves. Fyers renews its session with its refresh token and PTEXEC_FYERS_PIN.

What a login needs (API key and secret, client code, PIN, …) comes from PTEXEC_<BROKER>_<FIELD>, the credentials file, or a prompt on a terminal. Secrets are never taken from flags.`;
  static override examples = [
    '<%= config.bin %> brokers login zerodha',
    'echo AbC123xyz | <%= config.bin %> brokers login zerodha',
    'PTEXEC_ANGELONE_TOTP_SECRET=… <%= config.bin %> brokers login angelone',
  ];
  static override args = { broker: Args.string({ ignoreStdin: true, description: 'broker to log in to', required: true, options: [...BROKERS_WITH_LOGIN] }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(BrokersLogin);
    return logIn(this.factory, args.broker);
  }
}
