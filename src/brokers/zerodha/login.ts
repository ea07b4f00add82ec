import type { Clock } from '../../domain/clock.js';
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
    labels: { broker: 'Zerodha', apiKey: 'Kite Connect API key', apiSecret: 'Kite Connect API secret', keysWhere: 'your Kite Connect app page (developers.kite.trade)' },
    loginUrl: (apiKey) => kiteLoginUrl(settings.login_url, apiKey),
    requestToken: parseRequestToken,
    createSession: (apiKey, apiSecret, requestToken) => withClient(apiKey, (client) => createKiteSession(client, requestToken, apiSecret, clock.now())),
    deleteSession: (apiKey, accessToken) => withClient(apiKey, (client) => deleteKiteSession(client, accessToken)),
  };
}
