import { join } from 'node:path';
import { requireSession } from '../http/session-check.js';
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
  const session = requireSession(creds, { id: 'zerodha', name: 'Zerodha', loginHint: 'run `ptexec brokers login zerodha` (or set PTEXEC_ZERODHA_API_KEY and PTEXEC_ZERODHA_ACCESS_TOKEN)', needsApiKey: true }, deps.clock.now());
  return new ZerodhaBroker({
    settings,
    apiKey: session.apiKey!,
    accessToken: session.accessToken,
    apiSecret: creds.apiSecret,
    userId: creds.userId,
    clock: deps.clock,
    instrumentCacheDir: deps.cacheDir === undefined ? undefined : join(deps.cacheDir, 'instruments'),
  });
}
