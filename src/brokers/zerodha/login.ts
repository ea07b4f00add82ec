import type { Clock } from '../../domain/clock.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerLogin } from '../registry.js';
import { loadZerodhaSettings } from './factory.js';
import { createKiteSession, deleteKiteSession, kiteLoginUrl, openKiteSessionClient, parseRequestToken } from './session.js';

/** The Kite Connect login (BROKERS.md): the login URL, the redirect's request_token, and the session calls. */
export function zerodhaLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadZerodhaSettings(section, env);
  const withClient = async <T>(apiKey: string, work: (client: ReturnType<typeof openKiteSessionClient>['client']) => Promise<T>): Promise<T> => {
    const { client, close } = openKiteSessionClient(settings, apiKey, clock);
    try {
      return await work(client);
    } finally {
      await close();
    }
  };
  return {
    labels: { broker: 'Zerodha', keysWhere: 'your Kite Connect app page (developers.kite.trade)' },
    fields: [
      { name: 'api_key', label: 'Kite Connect API key', secret: false },
      { name: 'api_secret', label: 'Kite Connect API secret', secret: true },
    ],
    async logIn(values, conversation) {
      conversation.info('Open this URL in a browser and log in:');
      conversation.info(`  ${kiteLoginUrl(settings.login_url, values.api_key!)}`);
      const answer = await conversation.ask('Paste the URL you were redirected to (or the request_token): ');
      if (!answer.trim()) throw new InvalidInputError('no request token given: paste the redirect URL at the prompt, or pipe it on stdin');
      const requestToken = parseRequestToken(answer);
      return withClient(values.api_key!, (client) => createKiteSession(client, requestToken, values.api_secret!, clock.now()));
    },
    deleteSession: (values, accessToken) => withClient(values.api_key!, (client) => deleteKiteSession(client, accessToken)),
  };
}
