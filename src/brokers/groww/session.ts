import type { Clock } from '../../domain/clock.js';
import { BrokerError, isBrokerError } from '../../domain/errors/broker-error.js';
import { exchangeLocalTime } from '../../market/exchange-time.js';
import { sha256Hex } from '../../market/hash.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import { RateLimiter } from '../http/rate-limiter.js';
import type { BrokerSession } from '../registry.js';
import type { GrowwSettings } from './config.js';
import { GrowwClient } from './groww-client.js';
import { parseGrowwTime } from './groww-mapping.js';
import { totpCode } from './totp.js';
import { GROWW_LIMITS, GROWW_TOKEN_EXPIRY_MINUTE_IST } from './wire-facts.js';

/**
 * How `POST /v1/token/api/access` proves the API key (Authorization: Bearer <api key>):
 * `approval` = sha256 hex of (api secret + epoch seconds), the key approved for the day on
 * Groww's API keys page; `totp` = the current code of the key's TOTP secret.
 */
export type GrowwTokenProof = { kind: 'approval'; apiSecret: string } | { kind: 'totp'; code: string };

/** sha256(secret + timestamp), lowercase hex (Groww's "How to generate a checksum"). */
export function approvalChecksum(apiSecret: string, timestampSeconds: string): string {
  return sha256Hex(apiSecret + timestampSeconds);
}

/** Groww's daily expiry (06:00 IST) following `now`. */
export function growwTokenExpiry(now: number): number {
  const today = exchangeLocalTime('NSE', now, GROWW_TOKEN_EXPIRY_MINUTE_IST);
  return today > now ? today : exchangeLocalTime('NSE', today + 86_400_000, GROWW_TOKEN_EXPIRY_MINUTE_IST);
}

/** The proof a stored TOTP secret or API secret gives without a person; undefined when neither is stored. */
export function unattendedProof(values: Record<string, string>, now: number): GrowwTokenProof | undefined {
  if (values.totp_secret) {
    try {
      return { kind: 'totp', code: totpCode(values.totp_secret, now) };
    } catch (err) {
      throw new BrokerError('input', `PTEXEC_GROWW_TOTP_SECRET / totp_secret: ${(err as Error).message}`, 'groww', { code: 'totp_secret' });
    }
  }
  if (values.api_secret) return { kind: 'approval', apiSecret: values.api_secret };
  return undefined;
}

/** Exchanges the API key and its proof for the day's access token. */
export async function createGrowwSession(settings: Pick<GrowwSettings, 'api_url' | 'timeout_ms'>, apiKey: string, proof: GrowwTokenProof, clock: Clock): Promise<BrokerSession> {
  const now = clock.now();
  const timestamp = String(Math.floor(now / 1000));
  const body = proof.kind === 'approval' ? { key_type: 'approval', checksum: approvalChecksum(proof.apiSecret, timestamp), timestamp } : { key_type: 'totp', totp: proof.code };
  const secrets = [apiKey, proof.kind === 'approval' ? proof.apiSecret : proof.code];
  const http = new HttpClient({ baseUrl: settings.api_url, timeoutMs: settings.timeout_ms });
  const client = new GrowwClient({ http, secrets, limiter: new RateLimiter(GROWW_LIMITS, clock), breaker: new CircuitBreaker({ broker: 'groww', clock }), clock, readAttempts: 1 });
  try {
    const data = await client
      .object<{ token?: string; expiry?: string; isActive?: boolean; sessionName?: string }>(
        { method: 'POST', path: '/v1/token/api/access', cls: 'session', write: true, json: body },
        { authorization: `Bearer ${apiKey}` },
      )
      .catch((err: unknown) => {
        throw loginRefusal(err, proof);
      });
    if (!data?.token) throw new BrokerError('protocol', 'POST /v1/token/api/access: no token in the response', 'groww');
    if (data.isActive === false) throw new BrokerError('auth', 'Groww issued an inactive token; approve the API key for today on Groww\'s API keys page and log in again', 'groww', { code: 'inactive' });
    const expiresAt = parseGrowwTime(data.expiry) ?? growwTokenExpiry(now);
    return { accessToken: data.token, userId: data.sessionName ?? 'groww', loginTime: now, expiresAt };
  } finally {
    await http.close();
  }
}

/** Says which input Groww refused: the key, the TOTP, or the secret / the day's approval. */
function loginRefusal(err: unknown, proof: GrowwTokenProof): unknown {
  if (!isBrokerError(err) || !['auth', 'input', 'not_found'].includes(err.kind)) return err;
  const what =
    proof.kind === 'totp'
      ? 'check PTEXEC_GROWW_API_KEY and the TOTP secret (PTEXEC_GROWW_TOTP_SECRET, or the totp_secret in the credentials file) against the key on Groww\'s API keys page (groww.in/trade-api/api-keys)'
      : 'check PTEXEC_GROWW_API_KEY and PTEXEC_GROWW_API_SECRET against Groww\'s API keys page, and that the key is approved for today there (the key-and-secret flow needs a daily approval)';
  return new BrokerError('auth', `Groww refused the login (${err.message})`, 'groww', { ...err.details, hint: what });
}
