import type { Clock } from '../../domain/clock.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerLogin, LoginField } from '../registry.js';
import { loadUpstoxSettings } from './factory.js';
import { createUpstoxSession, deleteUpstoxSession, openUpstoxSessionClient, parseAuthorizationCode, upstoxLoginUrl } from './session.js';

/**
 * The Upstox login: the authorization dialog, the redirect's one-time `code`, and its exchange
 * for the day's token. The redirect URI must be the one registered with the Upstox app: it comes
 * from `brokers.upstox.redirect_uri`, else it is a login value like the key.
 */
export function upstoxLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadUpstoxSettings(section, env);
  const withClient = async <T>(work: (client: ReturnType<typeof openUpstoxSessionClient>['client']) => Promise<T>): Promise<T> => {
    const { client, close } = openUpstoxSessionClient(settings, clock);
    try {
      return await work(client);
    } finally {
      await close();
    }
  };
  const fields: LoginField[] = [
    { name: 'api_key', label: 'Upstox API key', secret: false },
    { name: 'api_secret', label: 'Upstox API secret', secret: true },
  ];
  if (!settings.redirect_uri) fields.push({ name: 'redirect_uri', label: 'Upstox app redirect URI', secret: false });
  return {
    labels: { broker: 'Upstox', keysWhere: 'your Upstox app page (account.upstox.com/developer/apps)' },
    fields,
    async logIn(values, conversation) {
      const redirectUri = settings.redirect_uri ?? values.redirect_uri!;
      conversation.info('Open this URL in a browser and log in:');
      conversation.info(`  ${upstoxLoginUrl(settings.login_url, values.api_key!, redirectUri)}`);
      const answer = await conversation.ask('Paste the URL you were redirected to (or the code): ');
      if (!answer.trim()) throw new InvalidInputError('no authorization code given: paste the redirect URL at the prompt, or pipe it on stdin');
      const code = parseAuthorizationCode(answer);
      return withClient((client) => createUpstoxSession(client, { apiKey: values.api_key!, apiSecret: values.api_secret!, redirectUri, code }, clock.now()));
    },
    deleteSession: (_values, accessToken) => withClient((client) => deleteUpstoxSession(client, accessToken)),
  };
}
