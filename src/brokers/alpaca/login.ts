import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerLogin } from '../registry.js';
import { AlpacaBroker } from './alpaca-broker.js';
import { loadAlpacaSettings } from './factory.js';

/** A key pair does not expire; the session ptexec records for it says so with a date far away. */
const KEY_PAIR_EXPIRY = Date.UTC(9999, 0, 1);

/**
 * The Alpaca "login": Alpaca has no daily session, only an API key pair, checked here with
 * `GET /v2/account` (a wrong pair is refused at once, not in the middle of a run). The key is
 * stored; the secret only when it was typed at the prompt (from the environment it stays there).
 * Nothing is revoked at logout: key pairs are regenerated on Alpaca's dashboard.
 */
export function alpacaLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadAlpacaSettings(section, env);
  return {
    labels: { broker: 'Alpaca', keysWhere: `the Alpaca dashboard (API keys of your ${settings.environment} account)` },
    fields: [
      { name: 'api_key', label: 'Alpaca API key ID', secret: false },
      { name: 'api_secret', label: 'Alpaca API secret key', secret: true },
    ],
    async logIn(values, conversation) {
      const broker = new AlpacaBroker({ settings, keyId: values.api_key!, secretKey: values.api_secret!, clock, readAttempts: 1 });
      try {
        await broker.connect();
      } catch (err) {
        if (isBrokerError(err, 'auth')) throw new BrokerError('auth', `Alpaca refused the API key pair (${err.message})`, 'alpaca', { ...err.details });
        throw err;
      } finally {
        await broker.close();
      }
      conversation.info(`the key pair works for Alpaca ${settings.environment} account ${broker.account}`);
      const now = clock.now();
      return { accessToken: 'api-key-pair', userId: broker.account, loginTime: now, expiresAt: KEY_PAIR_EXPIRY };
    },
    async deleteSession() {
      // Nothing to revoke: the key pair stays valid until it is regenerated on Alpaca's dashboard.
    },
  };
}
