import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerLogin } from '../registry.js';
import { ANGELONE_LOGIN_HINT, loadAngelOneSettings } from './factory.js';
import { createAngelSession, currentCode, deleteAngelSession, openAngelSessionClient, renewAngelSession } from './session.js';

/**
 * The SmartAPI login (BROKERS.md): client code, PIN and a TOTP code, no browser. With a stored
 * TOTP secret the code is computed here, so an expired session is renewed without a person; a
 * refresh token still valid renews it too.
 */
export function angelOneLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadAngelOneSettings(section, env);
  const withClient = async <T>(apiKey: string, work: (client: ReturnType<typeof openAngelSessionClient>['client']) => Promise<T>): Promise<T> => {
    const { client, close } = openAngelSessionClient(settings, apiKey, clock);
    try {
      return await work(client);
    } finally {
      await close();
    }
  };
  const credsOf = (values: Record<string, string>) => ({ apiKey: values.api_key!, clientCode: values.client_code!, pin: values.pin! });
  return {
    labels: { broker: 'Angel One', keysWhere: 'your SmartAPI app page (smartapi.angelone.in) and your Angel One account' },
    fields: [
      { name: 'api_key', label: 'SmartAPI API key', secret: false },
      { name: 'client_code', label: 'Angel One client code', secret: false },
      { name: 'pin', label: 'Angel One PIN', secret: true },
      { name: 'totp_secret', label: 'Angel One TOTP secret', secret: true, optional: true },
    ],
    async logIn(values, conversation) {
      let code: string;
      if (values.totp_secret) {
        code = currentCode(values.totp_secret, clock.now());
      } else {
        code = (await conversation.ask('Current 6-digit code from your authenticator app: ', true)).trim();
        if (!/^\d{6}$/.test(code)) throw new BrokerError('input', 'the TOTP code must be the 6 digits your authenticator app shows now', 'angelone', { code: 'totp' });
      }
      return withClient(values.api_key!, (client) => createAngelSession(client, credsOf(values), code, clock.now()));
    },
    async renew(values, session) {
      const missing = ['api_key', 'client_code', 'pin'].filter((f) => !values[f]);
      if (values.totp_secret && missing.length === 0) {
        const code = currentCode(values.totp_secret, clock.now());
        return withClient(values.api_key!, (client) => createAngelSession(client, credsOf(values), code, clock.now()));
      }
      if (session.refreshToken && values.api_key && values.client_code && (session.refreshExpiresAt ?? 0) > clock.now()) {
        return withClient(values.api_key, (client) => renewAngelSession(client, session.refreshToken!, values.client_code!, clock.now()));
      }
      const why = values.totp_secret ? `the ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not stored` : 'no TOTP secret is stored';
      throw new BrokerError('auth', `the Angel One session expired and cannot be renewed (${why})`, 'angelone', { code: 'expired', hint: ANGELONE_LOGIN_HINT });
    },
    deleteSession: (values, accessToken) => withClient(values.api_key!, (client) => deleteAngelSession(client, values.client_code ?? '', accessToken)),
  };
}
