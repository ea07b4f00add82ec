import { join } from 'node:path';
import { BrokerError } from '../../domain/errors/broker-error.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerDeps } from '../registry.js';
import { parseZerodhaSettings, type ZerodhaSettings } from './config.js';
import { ZerodhaBroker } from './zerodha-broker.js';

/** The `brokers.zerodha` section of config.json, validated with the environment's URL overrides. */
export function loadZerodhaSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): ZerodhaSettings {
  const parsed = parseZerodhaSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.zerodha" section of config.json (see "Zerodha" in the README)');
  return parsed.settings;
}

/** Builds the Zerodha adapter for `--broker zerodha` from its settings and the credentials it is given. */
export async function createZerodhaBroker(deps: BrokerDeps): Promise<ZerodhaBroker> {
  const settings = loadZerodhaSettings(deps.config, deps.env);
  const creds = deps.credentials ?? {};
  const login = 'run `ptexec brokers login zerodha` (or set PTEXEC_ZERODHA_API_KEY and PTEXEC_ZERODHA_ACCESS_TOKEN)';
  if (!creds.apiKey || !creds.accessToken) throw new BrokerError('auth', `not logged in to Zerodha: ${login}`, 'zerodha', { code: 'no_credentials' });
  if (creds.expiresAt !== undefined && creds.expiresAt <= deps.clock.now()) {
    throw new BrokerError('auth', `the Zerodha session expired at ${new Date(creds.expiresAt).toISOString()}: ${login}`, 'zerodha', { code: 'expired' });
  }
  return new ZerodhaBroker({
    settings,
    apiKey: creds.apiKey,
    accessToken: creds.accessToken,
    apiSecret: creds.apiSecret,
    userId: creds.userId,
    clock: deps.clock,
    instrumentCacheDir: deps.cacheDir === undefined ? undefined : join(deps.cacheDir, 'instruments'),
  });
}
