import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import { endOfExchangeDay } from '../../market/exchange-time.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { RateLimiter } from '../http/rate-limiter.js';
import type { BrokerSession } from '../registry.js';
import type { AngelOneSettings } from './config.js';
import { SmartApiClient } from './smartapi-client.js';
import { totp } from './totp.js';
import { ANGEL_LIMITS, ANGEL_PATHS } from './wire.js';

/** A SmartAPI session ends at midnight IST (UNVERIFIED: SmartAPI says only "log in every day"). */
export function angelSessionExpiry(now: number): number {
  return endOfExchangeDay('NSE', now);
}

interface TokenAnswer {
  jwtToken?: string;
  refreshToken?: string;
  feedToken?: string;
}

/** Some answers carry the JWT as "Bearer eyJ…": the header adds the word itself. */
function bareToken(token: string): string {
  return token.replace(/^Bearer\s+/i, '');
}

/** The session a token answer describes, valid until midnight IST. */
function sessionFrom(path: string, data: TokenAnswer | null, clientCode: string, now: number): BrokerSession {
  if (!data?.jwtToken) throw new BrokerError('protocol', `POST ${path}: no jwtToken in the response`, 'angelone');
  const expiresAt = angelSessionExpiry(now);
  const session: BrokerSession = { accessToken: bareToken(data.jwtToken), userId: clientCode, loginTime: now, expiresAt };
  if (data.refreshToken) {
    session.refreshToken = data.refreshToken;
    session.refreshExpiresAt = expiresAt;
  }
  return session;
}

export interface AngelCredentials {
  apiKey: string;
  clientCode: string;
  pin: string;
}

/**
 * Logs in with client code, PIN and the current TOTP (`loginByPassword`). SmartAPI refuses a
 * wrong code (AB1050) or a wrong PIN/client code (AB1007 and kin) with `status: false`: each is
 * told apart so the user knows which value to fix.
 */
export async function createAngelSession(client: SmartApiClient, creds: AngelCredentials, code: string, now: number): Promise<BrokerSession> {
  client.addSecret(creds.pin);
  const data = await client
    .data<TokenAnswer | null>({ method: 'POST', path: ANGEL_PATHS.login, cls: 'session', write: true, anonymous: true, body: { clientcode: creds.clientCode, password: creds.pin, totp: code } })
    .catch((err: unknown) => {
      throw loginRefusal(err);
    });
  return sessionFrom(ANGEL_PATHS.login, data, creds.clientCode, now);
}

/** A new JWT from the refresh token (`generateTokens`). */
export async function renewAngelSession(client: SmartApiClient, refreshToken: string, clientCode: string, now: number): Promise<BrokerSession> {
  client.addSecret(refreshToken);
  const data = await client.data<TokenAnswer | null>({ method: 'POST', path: ANGEL_PATHS.generateTokens, cls: 'session', write: true, anonymous: true, body: { refreshToken } });
  return sessionFrom(ANGEL_PATHS.generateTokens, data, clientCode, now);
}

/** Ends the session at SmartAPI (`logout`, with the JWT). */
export async function deleteAngelSession(client: SmartApiClient, clientCode: string, jwt: string): Promise<void> {
  client.setJwt(jwt);
  await client.data<unknown>({ method: 'POST', path: ANGEL_PATHS.logout, cls: 'session', write: true, body: { clientcode: clientCode } });
}

/** The current code of a stored TOTP secret; a secret that is not base32 is the user's to fix. */
export function currentCode(secret: string, now: number): string {
  try {
    return totp(secret, now);
  } catch (err) {
    throw new BrokerError('auth', `the stored Angel One TOTP secret cannot be used: ${(err as Error).message}`, 'angelone', {
      code: 'totp_secret',
      hint: 'set PTEXEC_ANGELONE_TOTP_SECRET (or totp_secret in the credentials file) to the base32 key shown when you enabled TOTP on smartapi.angelone.in/enable-totp',
    });
  }
}

function loginRefusal(err: unknown): unknown {
  if (!isBrokerError(err)) return err;
  const code = err.details.code;
  if (code === 'AB1050') {
    return new BrokerError('auth', `Angel One refused the TOTP code (${err.message})`, 'angelone', {
      ...err.details,
      hint: 'a code is valid for 30 seconds: enter the current one, or check the stored TOTP secret (PTEXEC_ANGELONE_TOTP_SECRET or totp_secret) and the clock of this machine',
    });
  }
  if (err.kind === 'auth' || err.kind === 'rejected') {
    return new BrokerError('auth', `Angel One refused the login (${err.message})`, 'angelone', {
      ...err.details,
      hint: 'check the client code and PIN (PTEXEC_ANGELONE_CLIENT_CODE, PTEXEC_ANGELONE_PIN, or client_code and pin in the credentials file) and the API key (PTEXEC_ANGELONE_API_KEY)',
    });
  }
  return err;
}

/** A SmartAPI client for the session calls of the login and logout commands. */
export function openAngelSessionClient(settings: AngelOneSettings, apiKey: string, clock: Clock): { client: SmartApiClient; close: () => Promise<void> } {
  const http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms });
  const client = new SmartApiClient({
    http,
    apiKey,
    addresses: { localIp: settings.client_local_ip, publicIp: settings.client_public_ip, macAddress: settings.mac_address },
    limiter: new RateLimiter(ANGEL_LIMITS, clock),
    breaker: new CircuitBreaker({ broker: 'angelone', clock }),
    clock,
  });
  return { client, close: () => http.close() };
}
