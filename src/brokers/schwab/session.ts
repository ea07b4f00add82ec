import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import { HttpClient } from '../http/http-client.js';
import { SecretList } from '../http/secret-list.js';
import { sendOrExplain } from '../http/transport-failure.js';
import type { BrokerSession } from '../registry.js';
import type { SchwabSettings } from './config.js';
import { SCHWAB_LOGIN_HINT, schwabError, type SchwabProblem, schwabReason } from './schwab-errors.js';
import { SCHWAB_ACCESS_TOKEN_MS, SCHWAB_REFRESH_TOKEN_MS } from './wire-facts.js';

/** The app's key and secret (Schwab calls them the app key and the secret). */
export interface SchwabApp {
  apiKey: string;
  apiSecret: string;
}

/** What the token endpoint gives: the access token, its lifetime, and the refresh token. */
export interface SchwabTokenGrant {
  accessToken: string;
  expiresAt: number;
  refreshToken?: string;
}

/** The authorization page the user opens; Schwab redirects to the app's callback URL with `?code=…`. */
export function schwabLoginUrl(oauthUrl: string, apiKey: string, redirectUri: string): string {
  const url = new URL(`${oauthUrl.replace(/\/+$/, '')}/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', apiKey);
  url.searchParams.set('redirect_uri', redirectUri);
  return url.toString();
}

/**
 * Accepts the callback URL the browser landed on (`https://127.0.0.1/?code=C0.…%40&session=…`), or
 * the code itself. The code in the URL is percent-encoded (it ends in `%40`, an `@`): it is
 * decoded here and encoded again in the token request's form.
 */
export function parseAuthorizationCode(input: string): string {
  const text = input.trim();
  let code = text;
  if (/[?&](code|error)=/.test(text)) {
    const query = new URLSearchParams(text.slice(text.indexOf('?') + 1));
    const error = query.get('error');
    if (error) throw new BrokerError('auth', `the Schwab login did not succeed (${error}${query.get('error_description') ? `: ${query.get('error_description')}` : ''}); log in again`, 'schwab');
    code = query.get('code') ?? '';
  } else if (code.includes('%')) {
    code = decodeURIComponent(code);
  }
  if (!/^[A-Za-z0-9._~@+/=-]{4,512}$/.test(code)) {
    throw new BrokerError('input', 'expected the callback URL (with ?code=…) or the authorization code itself', 'schwab', { code: 'authorization_code' });
  }
  return code;
}

/**
 * `POST {oauth}/token`, form-encoded, with HTTP Basic app key:secret. A refusal (a wrong key or
 * secret, a used or stale code, an expired refresh token) is `auth` with what to check.
 */
async function tokenCall(settings: Pick<SchwabSettings, 'oauth_url' | 'timeout_ms'>, app: SchwabApp, form: Record<string, string>, clock: Clock, refusal: string): Promise<SchwabTokenGrant> {
  const secrets = new SecretList([app.apiSecret, ...Object.values(form)]);
  const http = new HttpClient({ baseUrl: settings.oauth_url, timeoutMs: settings.timeout_ms });
  const request = 'POST /v1/oauth/token';
  try {
    const basic = Buffer.from(`${app.apiKey}:${app.apiSecret}`).toString('base64');
    secrets.add(basic);
    const res = await sendOrExplain(http, { method: 'POST', path: '/token', form, headers: { authorization: `Basic ${basic}`, accept: 'application/json' } }, { where: request, broker: 'schwab' });
    let body: Record<string, unknown> | undefined;
    try {
      body = JSON.parse(res.text) as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    if (res.status < 200 || res.status >= 300) {
      const error = schwabError({ request, status: res.status, problem: body as SchwabProblem | undefined });
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        const reason = schwabReason(body as SchwabProblem | undefined);
        throw new BrokerError('auth', secrets.scrub(`Schwab refused the login (${request}: HTTP ${res.status}${reason ? `: ${reason}` : ''})`), 'schwab', { status: res.status, code: 'token_refused', hint: refusal });
      }
      error.message = secrets.scrub(error.message);
      throw error;
    }
    const accessToken = typeof body?.access_token === 'string' ? body.access_token : '';
    if (!accessToken) throw new BrokerError('protocol', `${request}: no access_token in the response`, 'schwab');
    const seconds = Number(body?.expires_in);
    return {
      accessToken,
      expiresAt: clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : SCHWAB_ACCESS_TOKEN_MS),
      refreshToken: typeof body?.refresh_token === 'string' ? body.refresh_token : undefined,
    };
  } finally {
    await http.close();
  }
}

/** Exchanges the one-time code for an access token (30 minutes) and a refresh token (seven days). */
export function exchangeSchwabCode(settings: Pick<SchwabSettings, 'oauth_url' | 'timeout_ms'>, app: SchwabApp, code: string, redirectUri: string, clock: Clock): Promise<SchwabTokenGrant> {
  return tokenCall(settings, app, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, clock, 'check PTEXEC_SCHWAB_API_KEY and PTEXEC_SCHWAB_API_SECRET (or the credentials file) and the callback URL against your app on developer.schwab.com; a code works once and for a few seconds: open the login URL again and paste the new callback URL at once');
}

/** A new access token from the refresh token; Schwab keeps the refresh token's own expiry. */
export function refreshSchwabToken(settings: Pick<SchwabSettings, 'oauth_url' | 'timeout_ms'>, app: SchwabApp, refreshToken: string, clock: Clock): Promise<SchwabTokenGrant> {
  return tokenCall(settings, app, { grant_type: 'refresh_token', refresh_token: refreshToken }, clock, SCHWAB_LOGIN_HINT);
}

/** The whole login: code → tokens, then the account it reaches (its number is the session's user id). */
export async function createSchwabSession(
  settings: Pick<SchwabSettings, 'oauth_url' | 'api_url' | 'timeout_ms' | 'account_number'>,
  app: SchwabApp,
  code: string,
  redirectUri: string,
  clock: Clock,
  accountOf: (accessToken: string) => Promise<string>,
): Promise<BrokerSession> {
  const now = clock.now();
  const grant = await exchangeSchwabCode(settings, app, code, redirectUri, clock);
  if (!grant.refreshToken) throw new BrokerError('protocol', 'POST /v1/oauth/token: no refresh_token in the response', 'schwab');
  const account = await accountOf(grant.accessToken);
  return { accessToken: grant.accessToken, userId: account, loginTime: now, expiresAt: grant.expiresAt, refreshToken: grant.refreshToken, refreshExpiresAt: now + SCHWAB_REFRESH_TOKEN_MS };
}

/**
 * Renews an expired session without a person while the refresh token lasts (seven days from the
 * browser login); after that, or without the app secret, a clear `auth` error: log in again.
 */
export async function renewSchwabSession(
  settings: Pick<SchwabSettings, 'oauth_url' | 'timeout_ms'>,
  values: { apiKey?: string; apiSecret?: string; refreshToken?: string; refreshExpiresAt?: number; userId?: string },
  clock: Clock,
): Promise<BrokerSession> {
  const cannot = (why: string, code: string) => new BrokerError('auth', `the Schwab session expired and ${why}`, 'schwab', { code, hint: SCHWAB_LOGIN_HINT });
  if (!values.apiKey || !values.apiSecret) throw cannot('the app key and secret needed to renew it are not stored', 'no_app_secret');
  if (!values.refreshToken) throw cannot('there is no refresh token to renew it with', 'no_refresh_token');
  const now = clock.now();
  if (values.refreshExpiresAt !== undefined && values.refreshExpiresAt <= now) {
    throw cannot(`its refresh token expired at ${new Date(values.refreshExpiresAt).toISOString()} (Schwab refresh tokens last seven days from the browser login)`, 'refresh_expired');
  }
  const grant = await refreshSchwabToken(settings, { apiKey: values.apiKey, apiSecret: values.apiSecret }, values.refreshToken, clock).catch((err: unknown) => {
    if (isBrokerError(err, 'auth')) throw cannot(`Schwab refused to renew it (${err.message})`, 'refresh_refused');
    throw err;
  });
  return {
    accessToken: grant.accessToken,
    userId: values.userId ?? 'schwab',
    loginTime: now,
    expiresAt: grant.expiresAt,
    refreshToken: grant.refreshToken ?? values.refreshToken,
    refreshExpiresAt: values.refreshExpiresAt,
  };
}
