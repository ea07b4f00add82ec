import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { requireSession } from '../http/session-check.js';
import type { BrokerDeps } from '../registry.js';
import { parseSchwabSettings, type SchwabSettings } from './config.js';
import { SCHWAB_LOGIN_HINT } from './schwab-errors.js';
import { SchwabBroker } from './schwab-broker.js';

/** The `brokers.schwab` section of config.json, validated with the environment's URL overrides. */
export function loadSchwabSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): SchwabSettings {
  const parsed = parseSchwabSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.schwab" section of config.json (see "Schwab" in the README)');
  return parsed.settings;
}

/**
 * Builds the Schwab adapter for `--broker schwab`. With the app key, secret and refresh token
 * stored, the adapter renews its 30-minute access token itself during a run.
 */
export async function createSchwabBroker(deps: BrokerDeps): Promise<SchwabBroker> {
  const settings = loadSchwabSettings(deps.config, deps.env);
  const creds = deps.credentials ?? {};
  const session = requireSession(creds, { id: 'schwab', name: 'Schwab', loginHint: `${SCHWAB_LOGIN_HINT}, or set PTEXEC_SCHWAB_ACCESS_TOKEN` }, deps.clock.now());
  const app = creds.apiKey && creds.apiSecret ? { apiKey: creds.apiKey, apiSecret: creds.apiSecret } : undefined;
  return new SchwabBroker({
    settings,
    accessToken: session.accessToken,
    expiresAt: creds.expiresAt,
    app,
    refreshToken: creds.refreshToken,
    tables: deps.tables,
    clock: deps.clock,
  });
}
