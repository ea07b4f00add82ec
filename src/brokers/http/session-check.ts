import { BrokerError } from '../../domain/errors/broker-error.js';
import type { BrokerCredentials } from '../registry.js';

/**
 * The session an adapter is opened with: a token (and the API key where the broker's calls carry
 * it) that has not expired. Otherwise a `BrokerError('auth')` (exit 5) that says what is wrong in
 * its message and how to log in as its hint, once each.
 */
export function requireSession(
  credentials: BrokerCredentials | undefined,
  broker: { id: string; name: string; loginHint: string; needsApiKey?: boolean },
  now: number,
): { accessToken: string; apiKey?: string } {
  const creds = credentials ?? {};
  if (!creds.accessToken || (broker.needsApiKey && !creds.apiKey)) {
    throw new BrokerError('auth', `not logged in to ${broker.name}`, broker.id, { code: 'no_credentials', hint: broker.loginHint });
  }
  if (creds.expiresAt !== undefined && creds.expiresAt <= now) {
    throw new BrokerError('auth', `the ${broker.name} session expired at ${new Date(creds.expiresAt).toISOString()}`, broker.id, { code: 'expired', hint: broker.loginHint });
  }
  return { accessToken: creds.accessToken, apiKey: creds.apiKey };
}
