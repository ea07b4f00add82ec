import { join } from 'node:path';
import { requireSession } from '../http/session-check.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerDeps } from '../registry.js';
import { parseUpstoxSettings, type UpstoxSettings } from './config.js';
import { UpstoxBroker } from './upstox-broker.js';

/** The `brokers.upstox` section of config.json, validated with the environment's URL overrides. */
export function loadUpstoxSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): UpstoxSettings {
  const parsed = parseUpstoxSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.upstox" section of config.json (see "Upstox" in the README)');
  return parsed.settings;
}

/** Builds the Upstox adapter for `--broker upstox` from its settings and the credentials it is given. */
export async function createUpstoxBroker(deps: BrokerDeps): Promise<UpstoxBroker> {
  const settings = loadUpstoxSettings(deps.config, deps.env);
  const creds = deps.credentials ?? {};
  const session = requireSession(creds, { id: 'upstox', name: 'Upstox', loginHint: 'run `ptexec brokers login upstox` (or set PTEXEC_UPSTOX_ACCESS_TOKEN)' }, deps.clock.now());
  return new UpstoxBroker({
    settings,
    accessToken: session.accessToken,
    userId: creds.userId,
    clock: deps.clock,
    instrumentCacheDir: deps.cacheDir === undefined ? undefined : join(deps.cacheDir, 'instruments'),
  });
}
