import type { Clock } from '../../domain/clock.js';
import type { BrokerLogin } from '../registry.js';
import { loadFyersSettings } from './factory.js';
import { createFyersSession, deleteFyersSession, fyersLoginUrl, parseAuthCode, renewFyersSession } from './session.js';

/** The Fyers API v3 login: the auth-code URL, `appIdHash`, and renewal with the refresh token and PIN. */
export function fyersLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadFyersSettings(section, env);
  return {
    labels: { broker: 'Fyers', keysWhere: 'your Fyers API app page (myapi.fyers.in/dashboard)' },
    fields: [
      { name: 'api_key', label: 'Fyers app id', secret: false },
      { name: 'api_secret', label: 'Fyers app secret', secret: true },
      { name: 'pin', label: 'Fyers PIN (lets ptexec renew the session for 15 days)', secret: true, optional: true },
    ],
    async logIn(values, conversation) {
      conversation.info('Open this URL in a browser and log in:');
      conversation.info(`  ${fyersLoginUrl(settings, values.api_key!)}`);
      const answer = await conversation.ask('Paste the URL you were redirected to (or the auth_code): ');
      return createFyersSession(settings, { appId: values.api_key!, appSecret: values.api_secret!, authCode: parseAuthCode(answer) }, clock);
    },
    renew: (values, session) =>
      renewFyersSession(settings, { appId: values.api_key, appSecret: values.api_secret, pin: values.pin, refreshToken: session.refreshToken, refreshExpiresAt: session.refreshExpiresAt }, clock),
    deleteSession: (values, accessToken) => deleteFyersSession(settings, values.api_key!, accessToken, clock),
  };
}
