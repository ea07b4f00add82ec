import type { Clock } from '../../domain/clock.js';
import { BrokerError } from '../../domain/errors/broker-error.js';
import type { IbkrClient } from './ibkr-client.js';

/** `/iserver/auth/status`: whether the gateway's brokerage session can trade. */
export interface GatewayAuthStatus {
  authenticated?: boolean;
  competing?: boolean;
  connected?: boolean;
  message?: string;
  fail?: string;
}

export const GATEWAY_LOGIN_STEPS = (apiUrl: string): string[] => {
  const root = new URL(apiUrl).origin;
  return [
    `The Client Portal Gateway at ${root} is not logged in to IBKR.`,
    `Open ${root} in a browser on this machine and log in with your IBKR username, password and second factor`,
    '(ptexec stores no IBKR credentials: the gateway keeps the session, until about 01:00 US/Eastern or a login elsewhere).',
  ];
};

export function readAuthStatus(client: IbkrClient): Promise<GatewayAuthStatus> {
  return client.json<GatewayAuthStatus>({ method: 'POST', path: '/iserver/auth/status' });
}

/**
 * The gateway's brokerage session, ready to trade: authenticated, not competing with another
 * session (TWS, the mobile app). A session that is connected but no longer authenticated is
 * asked to reauthenticate once (`/iserver/reauthenticate`); otherwise a person must log in.
 */
export async function requireGatewaySession(client: IbkrClient, clock: Clock, settings: { api_url: string; reauth_wait_ms: number }): Promise<GatewayAuthStatus> {
  const apiUrl = settings.api_url;
  let status = await readAuthStatus(client);
  if (!status.authenticated && status.connected) {
    await client.json({ method: 'POST', path: '/iserver/reauthenticate', write: true });
    await clock.sleep(settings.reauth_wait_ms);
    status = await readAuthStatus(client);
  }
  if (status.competing) {
    throw new BrokerError('auth', 'another IBKR session (TWS, IB Gateway, the mobile app or a browser) competes with the Client Portal Gateway\'s: IBKR allows one brokerage session per username', 'ibkr', {
      code: 'competing',
      hint: `close the other session, then log in to the gateway again (${new URL(apiUrl).origin}) and run \`ptexec brokers login ibkr\``,
    });
  }
  if (!status.authenticated) {
    const [what, how] = GATEWAY_LOGIN_STEPS(apiUrl);
    throw new BrokerError('auth', `${what}${status.fail ? ` (${status.fail})` : ''}`, 'ibkr', { code: 'not_authenticated', hint: `${how!.replace(/^Open/, 'open')}, then run \`ptexec brokers login ibkr\`` });
  }
  return status;
}
