import type { Clock } from '../../domain/clock.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerLogin, LoginField } from '../registry.js';
import { loadSchwabSettings } from './factory.js';
import { SchwabBroker } from './schwab-broker.js';
import { createSchwabSession, parseAuthorizationCode, renewSchwabSession, schwabLoginUrl } from './session.js';

/**
 * The Schwab login: the authorization page, the callback URL's one-time `code` pasted back, and
 * its exchange for an access token (30 minutes) and a refresh token (seven days). `renew` uses the
 * refresh token, so cron runs need no person until it expires; then `ptexec brokers login schwab`
 * again. The callback URL must be the one registered with the Schwab app.
 */
export function schwabLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadSchwabSettings(section, env);
  const fields: LoginField[] = [
    { name: 'api_key', label: 'Schwab app key', secret: false },
    { name: 'api_secret', label: 'Schwab app secret', secret: true },
  ];
  if (!settings.redirect_uri) fields.push({ name: 'redirect_uri', label: 'Schwab app callback URL', secret: false });
  const accountOf = async (accessToken: string) => {
    const broker = new SchwabBroker({ settings, accessToken, clock, readAttempts: 1 });
    try {
      await broker.connect();
      return broker.account;
    } finally {
      await broker.close();
    }
  };
  return {
    labels: { broker: 'Schwab', keysWhere: 'your app on developer.schwab.com (Dashboard → Apps)' },
    fields,
    async logIn(values, conversation) {
      const redirectUri = settings.redirect_uri ?? values.redirect_uri!;
      conversation.info('Open this URL in a browser, log in to Schwab and allow the app:');
      conversation.info(`  ${schwabLoginUrl(settings.oauth_url, values.api_key!, redirectUri)}`);
      const answer = await conversation.ask('Paste the URL you were redirected to (or the code): ');
      if (!answer.trim()) throw new InvalidInputError('no authorization code given: paste the callback URL at the prompt, or pipe it on stdin');
      const code = parseAuthorizationCode(answer);
      return createSchwabSession(settings, { apiKey: values.api_key!, apiSecret: values.api_secret! }, code, redirectUri, clock, accountOf);
    },
    renew: (values, session) =>
      renewSchwabSession(settings, { apiKey: values.api_key, apiSecret: values.api_secret, refreshToken: session.refreshToken, refreshExpiresAt: session.refreshExpiresAt, userId: values.user_id }, clock),
    // Schwab documents no endpoint that revokes a token: logging out forgets the stored tokens,
    // and the access token lapses within 30 minutes.
    deleteSession: async () => undefined,
  };
}
