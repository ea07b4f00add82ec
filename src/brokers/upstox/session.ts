import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import { exchangeLocalTime } from '../../market/exchange-time.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { RateLimiter } from '../http/rate-limiter.js';
import type { BrokerSession } from '../registry.js';
import type { UpstoxSettings } from './config.js';
import { UpstoxClient } from './upstox-client.js';
import { UPSTOX_LIMITS, UPSTOX_TOKEN_EXPIRY_MINUTE_IST } from './wire-facts.js';

/** The authorization dialog the user opens; Upstox redirects to the app's URI with `?code=…`. */
export function upstoxLoginUrl(loginUrl: string, apiKey: string, redirectUri: string): string {
  const url = new URL(loginUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', apiKey);
  url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
}

/** Accepts the redirect URL the browser landed on, or the bare authorization code. */
export function parseAuthorizationCode(input: string): string {
  const text = input.trim();
  let code = text;
  if (/[?&]code=/.test(text) || /[?&]error=/.test(text)) {
    const query = new URLSearchParams(text.slice(text.indexOf('?') + 1));
    const error = query.get('error');
    if (error) throw new BrokerError('auth', `the Upstox login did not succeed (${error}${query.get('error_description') ? `: ${query.get('error_description')}` : ''}); log in again`, 'upstox');
    code = query.get('code') ?? '';
  }
  if (!/^[A-Za-z0-9_-]{4,128}$/.test(code)) {
    throw new BrokerError('input', 'expected the redirect URL (with ?code=…) or the authorization code itself', 'upstox', { code: 'authorization_code' });
  }
  return code;
}

/** Upstox tokens stop working at about 03:30 IST: the next such instant after `now`. */
export function upstoxTokenExpiry(now: number): number {
  const today = exchangeLocalTime('NSE', now, UPSTOX_TOKEN_EXPIRY_MINUTE_IST);
  return today > now ? today : exchangeLocalTime('NSE', today + 86_400_000, UPSTOX_TOKEN_EXPIRY_MINUTE_IST);
}

/** Exchanges a one-time authorization code for the day's access token (`POST /v2/login/authorization/token`). */
export async function createUpstoxSession(
  client: UpstoxClient,
  values: { apiKey: string; apiSecret: string; redirectUri: string; code: string },
  now: number,
): Promise<BrokerSession> {
  client.addSecret(values.apiSecret);
  client.addSecret(values.code);
  const data = await client
    .data<{ access_token?: string; user_id?: string; user_name?: string }>({
      method: 'POST',
      path: '/v2/login/authorization/token',
      cls: 'other',
      write: true,
      anonymous: true,
      flat: true,
      apiVersion: true,
      form: { code: values.code, client_id: values.apiKey, client_secret: values.apiSecret, redirect_uri: values.redirectUri, grant_type: 'authorization_code' },
    })
    .catch((err: unknown) => {
      throw loginRefusal(err);
    });
  if (!data?.access_token || !data.user_id) throw new BrokerError('protocol', 'POST /v2/login/authorization/token: no access_token or user_id in the response', 'upstox');
  client.setAccessToken(data.access_token);
  return { accessToken: data.access_token, userId: data.user_id, userName: data.user_name, loginTime: now, expiresAt: upstoxTokenExpiry(now) };
}

/** Upstox refuses a bad key, secret, redirect URI or code with a 4xx: say which input to check. */
function loginRefusal(err: unknown): unknown {
  if (!isBrokerError(err) || (err.kind !== 'auth' && err.kind !== 'input' && err.kind !== 'rejected')) return err;
  return new BrokerError('auth', `Upstox refused the login (${err.message})`, 'upstox', {
    ...err.details,
    hint: 'check PTEXEC_UPSTOX_API_KEY and PTEXEC_UPSTOX_API_SECRET (or the credentials file) and the redirect URI against your Upstox app (account.upstox.com/developer/apps); a code works once and for a few minutes: open the login URL again and paste the new redirect URL',
  });
}

/** Invalidates the access token (`DELETE /v2/logout`). */
export async function deleteUpstoxSession(client: UpstoxClient, accessToken: string): Promise<void> {
  client.setAccessToken(accessToken);
  await client.data<unknown>({ method: 'DELETE', path: '/v2/logout', cls: 'other', write: true, apiVersion: true });
}

/** An Upstox client for the session calls of the login and logout commands. */
export function openUpstoxSessionClient(settings: Pick<UpstoxSettings, 'api_url' | 'timeout_ms'>, clock: Clock): { client: UpstoxClient; close: () => Promise<void> } {
  const http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms });
  const client = new UpstoxClient({ api: http, orders: http, limiter: new RateLimiter(UPSTOX_LIMITS, clock), breaker: new CircuitBreaker({ broker: 'upstox', clock }), clock });
  return { client, close: () => http.close() };
}
