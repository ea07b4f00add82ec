import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import { exchangeLocalTime } from '../../market/exchange-time.js';
import { sha256Hex } from '../../market/hash.js';
import type { BrokerSession } from '../registry.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { fyersAppLimiter } from './app-limiter.js';
import type { FyersSettings } from './config.js';
import { FyersClient } from './fyers-client.js';
import { FYERS_PATHS, FYERS_REFRESH_TOKEN_DAYS } from './wire-facts.js';

export const FYERS_LOGIN_HINT = 'run `ptexec brokers login fyers` (or set PTEXEC_FYERS_API_KEY and PTEXEC_FYERS_ACCESS_TOKEN)';

/** `appIdHash`: lowercase hex sha256("<app_id>:<app_secret>") [sdk]. */
export function appIdHash(appId: string, appSecret: string): string {
  return sha256Hex(`${appId}:${appSecret}`);
}

/** The page the user opens to log in; Fyers redirects to the app's URL with `?auth_code=…` [sdk]. */
export function fyersLoginUrl(settings: Pick<FyersSettings, 'api_url' | 'redirect_uri'>, appId: string): string {
  const url = new URL(settings.api_url.replace(/\/+$/, '') + FYERS_PATHS.authCode);
  url.searchParams.set('client_id', appId);
  url.searchParams.set('redirect_uri', settings.redirect_uri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', 'ptexec');
  return url.toString();
}

/** Accepts the redirect URL the browser landed on, or the bare auth code (a JWT). */
export function parseAuthCode(input: string): string {
  const text = input.trim();
  let code = text;
  if (text.includes('auth_code=')) {
    const query = new URLSearchParams(text.slice(text.indexOf('?') + 1));
    code = query.get('auth_code') ?? '';
    const status = query.get('s');
    if (status && status !== 'ok') throw new BrokerError('auth', `the Fyers login did not succeed (s=${status}); log in again`, 'fyers');
  }
  if (!/^[A-Za-z0-9._-]{8,4096}$/.test(code)) {
    throw new BrokerError('input', 'expected the redirect URL (with ?auth_code=…) or the auth code itself', 'fyers', { code: 'auth_code' });
  }
  return code;
}

/** A Fyers client for the session calls of the login, renewal and logout (no access token yet). */
export function openFyersSessionClient(settings: Pick<FyersSettings, 'api_url' | 'timeout_ms'>, appId: string, clock: Clock, secrets: string[]): { client: FyersClient; close: () => Promise<void> } {
  const api = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms });
  const client = new FyersClient({ api, appId, secrets, limiter: fyersAppLimiter(appId, clock), breaker: new CircuitBreaker({ broker: 'fyers', clock }), clock });
  return { client, close: () => api.close() };
}

/** The user behind a fresh token (`GET /profile`). */
async function profileOf(settings: Pick<FyersSettings, 'api_url' | 'timeout_ms'>, appId: string, accessToken: string, clock: Clock, secrets: string[]): Promise<{ userId: string; userName?: string }> {
  const api = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms });
  try {
    const client = new FyersClient({ api, appId, accessToken, secrets, limiter: fyersAppLimiter(appId, clock), breaker: new CircuitBreaker({ broker: 'fyers', clock }), clock });
    const data = (await client.call({ method: 'GET', path: FYERS_PATHS.profile })).data as { fy_id?: string; name?: string } | undefined;
    if (!data?.fy_id) throw new BrokerError('protocol', `GET ${FYERS_PATHS.profile}: no fy_id in the response`, 'fyers');
    return { userId: data.fy_id, userName: data.name };
  } finally {
    await api.close();
  }
}

/**
 * Exchanges the one-time auth code for an access token and a refresh token (`POST
 * /validate-authcode` [sdk]). The refresh token lasts 15 days [3p].
 */
export async function createFyersSession(
  settings: Pick<FyersSettings, 'api_url' | 'timeout_ms'>,
  values: { appId: string; appSecret: string; authCode: string },
  clock: Clock,
): Promise<BrokerSession> {
  const secrets = [values.appSecret, values.authCode];
  const { client, close } = openFyersSessionClient(settings, values.appId, clock, secrets);
  let body;
  try {
    body = await client
      .call({ method: 'POST', path: FYERS_PATHS.validateAuthCode, anonymous: true, write: true, json: { grant_type: 'authorization_code', appIdHash: appIdHash(values.appId, values.appSecret), code: values.authCode } })
      .catch((err: unknown) => {
        throw loginRefusal(err, 'the auth code works once and for a few minutes: open the login URL again and paste the new redirect URL');
      });
  } finally {
    await close();
  }
  const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
  if (!accessToken) throw new BrokerError('protocol', `POST ${FYERS_PATHS.validateAuthCode}: no access_token in the response`, 'fyers');
  const now = clock.now();
  const profile = await profileOf(settings, values.appId, accessToken, clock, secrets);
  const session: BrokerSession = { accessToken, ...profile, loginTime: now, expiresAt: fyersTokenExpiry(now) };
  if (typeof body.refresh_token === 'string' && body.refresh_token) {
    session.refreshToken = body.refresh_token;
    session.refreshExpiresAt = now + FYERS_REFRESH_TOKEN_DAYS * 86_400_000;
  }
  return session;
}

/**
 * A new access token from the stored refresh token and PIN, without a browser (`POST
 * /validate-refresh-token` [3p]). The refresh token itself is not renewed: after its 15 days a
 * login is needed. Throws BrokerError('auth') with the login hint when it cannot renew.
 */
export async function renewFyersSession(
  settings: Pick<FyersSettings, 'api_url' | 'timeout_ms'>,
  values: { appId?: string; appSecret?: string; pin?: string; refreshToken?: string; refreshExpiresAt?: number },
  clock: Clock,
): Promise<BrokerSession> {
  const cannot = (why: string, code: string) => new BrokerError('auth', `the Fyers session expired and ${why}`, 'fyers', { code, hint: FYERS_LOGIN_HINT });
  if (!values.appId || !values.appSecret) throw cannot('the app id and secret needed to renew it are not stored', 'no_app_secret');
  if (!values.refreshToken) throw cannot('there is no refresh token to renew it with', 'no_refresh_token');
  if (!values.pin) throw cannot('no PIN is stored to renew it with (PTEXEC_FYERS_PIN, or "pin" in the credentials file)', 'no_pin');
  const now = clock.now();
  if (values.refreshExpiresAt !== undefined && values.refreshExpiresAt <= now) {
    throw cannot(`its refresh token expired at ${new Date(values.refreshExpiresAt).toISOString()} (refresh tokens last ${FYERS_REFRESH_TOKEN_DAYS} days)`, 'refresh_expired');
  }
  const secrets = [values.appSecret, values.pin, values.refreshToken];
  const { client, close } = openFyersSessionClient(settings, values.appId, clock, secrets);
  let body;
  try {
    body = await client
      .call({
        method: 'POST',
        path: FYERS_PATHS.validateRefreshToken,
        anonymous: true,
        write: true,
        json: { grant_type: 'refresh_token', appIdHash: appIdHash(values.appId, values.appSecret), refresh_token: values.refreshToken, pin: values.pin },
      })
      .catch((err: unknown) => {
        if (isBrokerError(err, 'auth') || isBrokerError(err, 'input')) throw cannot(`Fyers refused to renew it (${err.message})`, 'refresh_refused');
        throw err;
      });
  } finally {
    await close();
  }
  const accessToken = typeof body.access_token === 'string' ? body.access_token : '';
  if (!accessToken) throw new BrokerError('protocol', `POST ${FYERS_PATHS.validateRefreshToken}: no access_token in the response`, 'fyers');
  const profile = await profileOf(settings, values.appId, accessToken, clock, secrets);
  return { accessToken, ...profile, loginTime: now, expiresAt: fyersTokenExpiry(now) };
}

/** Invalidates the access token (`POST /logout` [sdk]). */
export async function deleteFyersSession(settings: Pick<FyersSettings, 'api_url' | 'timeout_ms'>, appId: string, accessToken: string, clock: Clock): Promise<void> {
  const api = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms });
  try {
    const client = new FyersClient({ api, appId, accessToken, limiter: fyersAppLimiter(appId, clock), breaker: new CircuitBreaker({ broker: 'fyers', clock }), clock });
    await client.call({ method: 'POST', path: FYERS_PATHS.logout, write: true, json: {} });
  } finally {
    await api.close();
  }
}

/** Access tokens last the trading day: treated as valid until the next 06:00 IST [unverified]. */
export function fyersTokenExpiry(now: number): number {
  const today = exchangeLocalTime('NSE', now, 6 * 60);
  return today > now ? today : exchangeLocalTime('NSE', today + 86_400_000, 6 * 60);
}

/** A refused login names what to check: the app id and secret make `appIdHash`. */
function loginRefusal(err: unknown, codeHint: string): unknown {
  if (!isBrokerError(err, 'auth') && !isBrokerError(err, 'input')) return err;
  return new BrokerError('auth', `Fyers refused the login (${err.message})`, 'fyers', {
    ...err.details,
    hint: `check PTEXEC_FYERS_API_KEY / PTEXEC_FYERS_API_SECRET (or api_key / api_secret in the credentials file) against your Fyers app (myapi.fyers.in); ${codeHint}`,
  });
}
