import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import { exchangeLocalTime } from '../../market/exchange-time.js';
import { sha256Hex } from '../../market/hash.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { RateLimiter } from '../http/rate-limiter.js';
import type { ZerodhaSettings } from './config.js';
import { KITE_LIMITS, KiteClient } from './kite-client.js';
import { parseKiteTime } from './kite-mapping.js';

/** The page the user opens to log in; Kite redirects to the app's URL with `?request_token=…`. */
export function kiteLoginUrl(loginUrl: string, apiKey: string): string {
  const url = new URL(loginUrl);
  url.searchParams.set('api_key', apiKey);
  url.searchParams.set('v', '3');
  return url.toString();
}

/** Accepts the redirect URL the browser landed on, or the bare request token. */
export function parseRequestToken(input: string): string {
  const text = input.trim();
  let token = text;
  if (text.includes('request_token=')) {
    const query = text.slice(text.indexOf('?') + 1);
    token = new URLSearchParams(query).get('request_token') ?? '';
    const status = new URLSearchParams(query).get('status');
    if (status && status !== 'success') throw new BrokerError('auth', `the login did not succeed (status=${status}); log in again`, 'zerodha');
  }
  if (!/^[A-Za-z0-9]{6,64}$/.test(token)) {
    throw new BrokerError('input', 'expected the redirect URL (with ?request_token=…) or the request token itself', 'zerodha', { code: 'request_token' });
  }
  return token;
}

/** Lowercase hex sha256(api_key + request_token + api_secret). */
export function sessionChecksum(apiKey: string, requestToken: string, apiSecret: string): string {
  return sha256Hex(apiKey + requestToken + apiSecret);
}

/** Kite tokens stop working at about 06:00 IST: the next such instant after `now`. */
export function kiteTokenExpiry(now: number): number {
  const today = exchangeLocalTime('NSE', now, 6 * 60);
  return today > now ? today : exchangeLocalTime('NSE', today + 86_400_000, 6 * 60);
}

export interface KiteSession {
  accessToken: string;
  userId: string;
  userName?: string;
  loginTime: number;
  expiresAt: number;
}

/** Exchanges a one-time request token for an access token (`POST /session/token`). */
export async function createKiteSession(client: KiteClient, requestToken: string, apiSecret: string, now: number): Promise<KiteSession> {
  client.addSecret(apiSecret);
  client.addSecret(requestToken);
  const data = await client
    .data<{ access_token?: string; user_id?: string; user_name?: string; login_time?: string }>({
      method: 'POST',
      path: '/session/token',
      cls: 'other',
      write: true,
      anonymous: true,
      form: { api_key: client.apiKey, request_token: requestToken, checksum: sessionChecksum(client.apiKey, requestToken, apiSecret) },
    })
    .catch((err: unknown) => {
      throw loginRefusal(err);
    });
  if (!data?.access_token || !data.user_id) throw new BrokerError('protocol', 'POST /session/token: no access_token or user_id in the response', 'zerodha');
  client.setAccessToken(data.access_token);
  const loginTime = parseKiteTime(data.login_time) ?? now;
  return { accessToken: data.access_token, userId: data.user_id, userName: data.user_name, loginTime, expiresAt: kiteTokenExpiry(loginTime) };
}

/**
 * Kite refuses a login with a TokenException whatever was wrong: say which of the three inputs
 * it was. The checksum proves the API secret, so "Invalid `checksum`" means the secret.
 */
function loginRefusal(err: unknown): unknown {
  if (!isBrokerError(err, 'auth') || err.details.code !== 'TokenException') return err;
  const { status } = err.details;
  if (/checksum/i.test(err.message)) {
    return new BrokerError('auth', `the API secret does not match the API key: Kite refused the login checksum (${err.message})`, 'zerodha', {
      status,
      code: 'checksum',
      hint: 'check PTEXEC_ZERODHA_API_SECRET, or the api_secret in the credentials file, against your Kite Connect app (developers.kite.trade), then log in again',
    });
  }
  if (/api_key/i.test(err.message)) {
    return new BrokerError('auth', `Kite does not know the API key (${err.message})`, 'zerodha', {
      ...err.details,
      hint: 'check PTEXEC_ZERODHA_API_KEY, or the api_key in the credentials file, against your Kite Connect app (developers.kite.trade)',
    });
  }
  return new BrokerError('auth', `Kite refused the request token (${err.message})`, 'zerodha', {
    ...err.details,
    hint: 'a request token works once and for a few minutes: open the login URL again and paste the new redirect URL',
  });
}

/** Invalidates the access token (`DELETE /session/token`). */
export async function deleteKiteSession(client: KiteClient, accessToken: string): Promise<void> {
  client.addSecret(accessToken);
  await client.data<unknown>({
    method: 'DELETE',
    path: '/session/token',
    cls: 'other',
    write: true,
    anonymous: true,
    query: [
      ['api_key', client.apiKey],
      ['access_token', accessToken],
    ],
  });
}

/** A Kite client for the session calls of the login and logout commands (no access token yet). */
export function openKiteSessionClient(settings: Pick<ZerodhaSettings, 'api_url' | 'timeout_ms'>, apiKey: string, clock: Clock): { client: KiteClient; close: () => Promise<void> } {
  const http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms });
  const client = new KiteClient({
    http,
    apiKey,
    limiter: new RateLimiter(KITE_LIMITS, clock),
    breaker: new CircuitBreaker({ broker: 'zerodha', clock }),
    clock,
  });
  return { client, close: () => http.close() };
}
