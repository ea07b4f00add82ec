import { readCredentialsFile, resolveCredentials } from '../../lib/credentials.js';
import { credentialsFilePath } from '../../lib/paths.js';
import { BaseCommand } from '../base-command.js';

/** Brokers that have a login flow, shown even when nothing is stored for them. */
const LOGIN_BROKERS = ['zerodha'];

export default class BrokersStatus extends BaseCommand {
  static override summary = 'Show which broker sessions are stored and when they expire.';
  static override description =
    'Reads the credentials file and the PTEXEC_<BROKER>_* environment variables. Shows the user id, where each credential comes from and when the session expires; never the secrets themselves.';
  static override examples = ['<%= config.bin %> brokers status', '<%= config.bin %> brokers status --json'];

  async run(): Promise<unknown> {
    await this.parse(BrokersStatus);
    const env = process.env;
    const path = credentialsFilePath(env);
    const names = [...new Set([...LOGIN_BROKERS, ...Object.keys(readCredentialsFile(path).brokers)])].sort();
    const now = Date.now();
    const rows = names.map((broker) => {
      const c = resolveCredentials(broker, env);
      const expired = c.expiresAt !== undefined && c.expiresAt <= now;
      return {
        broker,
        logged_in: Boolean(c.apiKey && c.accessToken) && !expired,
        user_id: c.userId ?? null,
        token_source: c.sources.accessToken ?? null,
        api_key_source: c.sources.apiKey ?? null,
        api_secret_source: c.sources.apiSecret ?? null,
        login_time: c.loginTime !== undefined ? new Date(c.loginTime).toISOString() : null,
        expires_at: c.expiresAt !== undefined ? new Date(c.expiresAt).toISOString() : null,
        expired,
      };
    });
    if (!this.jsonEnabled()) {
      this.out.table(
        [{ header: 'broker' }, { header: 'status' }, { header: 'user', priority: 2 }, { header: 'token from', priority: 1 }, { header: 'expires', truncate: true, minWidth: 10, priority: 3 }],
        rows.map((r) => [
          r.broker,
          r.logged_in ? this.out.c.green('logged in') : r.expired ? this.out.c.yellow('expired') : 'not logged in',
          r.user_id ?? '-',
          r.token_source ?? '-',
          r.expires_at ?? (r.token_source === 'env' ? 'unknown (from environment)' : '-'),
        ]),
      );
      this.out.info(`credentials file: ${path}`);
    }
    return { credentials_file: path, brokers: rows };
  }
}
