import * as Args from '@oclif/core/args';
import { loadZerodhaSettings } from '../../brokers/zerodha/factory.js';
import { deleteKiteSession, openKiteSessionClient } from '../../brokers/zerodha/session.js';
import { isBrokerError } from '../../domain/errors/broker-error.js';
import { WallClock } from '../../engine/clock/index.js';
import { loadConfig } from '../../lib/config.js';
import { readCredentialsFile, resolveCredentials, updateBrokerCredentials } from '../../lib/credentials.js';
import { credentialsFilePath } from '../../lib/paths.js';
import { BaseCommand } from '../base-command.js';

export default class BrokersLogout extends BaseCommand {
  static override summary = 'End a broker session and remove its access token.';
  static override description =
    'Invalidates the access token with the broker (Kite: DELETE /session/token) and removes it from the credentials file; the API key and secret are kept for the next login. Without an argument, logs out of every stored session. A token that the broker already considers invalid is removed all the same.';
  static override examples = ['<%= config.bin %> brokers logout zerodha', '<%= config.bin %> brokers logout'];
  static override args = { broker: Args.string({ ignoreStdin: true, description: 'broker to log out of (default: all)', options: ['zerodha'] }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(BrokersLogout);
    const env = process.env;
    const path = credentialsFilePath(env);
    const stored = readCredentialsFile(path).brokers;
    const targets = args.broker ? [args.broker] : Object.keys(stored).filter((b) => stored[b]?.access_token);
    const results: { broker: string; revoked: boolean; removed: boolean }[] = [];
    for (const broker of targets) {
      const token = stored[broker]?.access_token;
      if (!token) {
        this.out.info(`${broker}: no stored session`);
        results.push({ broker, revoked: false, removed: false });
        continue;
      }
      const revoked = await this.revoke(broker, token, env);
      updateBrokerCredentials(broker, { access_token: undefined, user_id: undefined, user_name: undefined, login_time: undefined, expires_at: undefined }, path);
      this.out.info(`${broker}: logged out${revoked ? '' : ' (the token was removed locally; the broker could not be told)'}`);
      results.push({ broker, revoked, removed: true });
    }
    if (results.length === 0) this.out.info('no stored sessions');
    return { brokers: results };
  }

  private async revoke(broker: string, token: string, env: NodeJS.ProcessEnv): Promise<boolean> {
    if (broker !== 'zerodha') return false;
    const apiKey = resolveCredentials(broker, env).apiKey;
    if (!apiKey) return false;
    const settings = loadZerodhaSettings(loadConfig().brokers?.zerodha, env);
    const { client, close } = openKiteSessionClient(settings, apiKey, new WallClock());
    try {
      await deleteKiteSession(client, token);
      return true;
    } catch (err) {
      if (isBrokerError(err, 'auth')) return true;
      this.out.warn(`${broker}: ${(err as Error).message}`);
      return false;
    } finally {
      await close();
    }
  }
}
