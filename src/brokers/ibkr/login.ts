import type { Clock } from '../../domain/clock.js';
import { exchangeLocalTime } from '../../market/exchange-time.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { RateLimiter } from '../http/rate-limiter.js';
import type { BrokerLogin, BrokerSession } from '../registry.js';
import { loadIbkrSettings } from './factory.js';
import { GATEWAY_LOGIN_STEPS, readAuthStatus, requireGatewaySession } from './gateway-session.js';
import { gatewayDispatcher, IbkrClient } from './ibkr-client.js';
import { IBKR_LIMITS } from './wire-facts.js';

/** The brokerage session resets nightly at about 01:00 US/Eastern: the next such instant after `now`. */
export function gatewaySessionEnd(now: number): number {
  const today = exchangeLocalTime('NYSE', now, 60);
  return today > now ? today : exchangeLocalTime('NYSE', today + 86_400_000, 60);
}

/**
 * The IBKR "login": ptexec never sees IBKR credentials. The user logs in to the Client Portal
 * Gateway in a browser; `ptexec brokers login ibkr` checks `/iserver/auth/status`, and when the
 * gateway is not logged in says where to log in and checks again once the user says it is done.
 * What it stores is only the account and when the gateway's session ends (no secret).
 */
export function ibkrLogin(section: Record<string, unknown>, env: NodeJS.ProcessEnv, clock: Clock): BrokerLogin {
  const settings = loadIbkrSettings(section, env);
  const withClient = async <T>(work: (client: IbkrClient) => Promise<T>): Promise<T> => {
    const client = new IbkrClient({ limiter: new RateLimiter(IBKR_LIMITS, clock), breaker: new CircuitBreaker({ broker: 'ibkr', clock }), clock, readAttempts: 1 }, settings, gatewayDispatcher(settings));
    try {
      return await work(client);
    } finally {
      await client.close();
    }
  };
  return {
    labels: { broker: 'Interactive Brokers', keysWhere: `the Client Portal Gateway's login page (${new URL(settings.api_url).origin})` },
    fields: [],
    logIn: (_values, conversation) =>
      withClient(async (client): Promise<BrokerSession> => {
        const status = await readAuthStatus(client);
        if (!status.authenticated || status.competing) {
          for (const line of GATEWAY_LOGIN_STEPS(settings.api_url)) conversation.info(line);
          await conversation.ask('Press Enter once the gateway says "Client login succeeds": ');
        }
        await requireGatewaySession(client, clock, settings);
        const { accounts = [], selectedAccount } = await client.json<{ accounts?: string[]; selectedAccount?: string }>({ method: 'GET', path: '/iserver/accounts' });
        const account = settings.account ?? selectedAccount ?? accounts[0] ?? 'unknown';
        const now = clock.now();
        return { accessToken: 'client-portal-gateway', userId: account, loginTime: now, expiresAt: gatewaySessionEnd(now) };
      }),
    deleteSession: (_values, _token) => withClient(async (client) => void (await client.json({ method: 'POST', path: '/logout', write: true }))),
  };
}
