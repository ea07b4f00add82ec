import { join } from 'node:path';
import { requireSession } from '../http/session-check.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerDeps } from '../registry.js';
import { parseGrowwSettings, type GrowwSettings } from './config.js';
import { GrowwBroker } from './groww-broker.js';

/** The `brokers.groww` section of config.json, validated with the environment's URL overrides. */
export function loadGrowwSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): GrowwSettings {
  const parsed = parseGrowwSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.groww" section of config.json (see "Groww" in the README)');
  return parsed.settings;
}

/** Builds the Groww adapter for `--broker groww` from its settings and the access token it is given. */
export async function createGrowwBroker(deps: BrokerDeps): Promise<GrowwBroker> {
  const settings = loadGrowwSettings(deps.config, deps.env);
  const creds = deps.credentials ?? {};
  const session = requireSession(creds, { id: 'groww', name: 'Groww', loginHint: 'run `ptexec brokers login groww` (or set PTEXEC_GROWW_ACCESS_TOKEN)' }, deps.clock.now());
  return new GrowwBroker({
    settings,
    accessToken: session.accessToken,
    userId: creds.userId,
    clock: deps.clock,
    instrumentCacheDir: deps.cacheDir === undefined ? undefined : join(deps.cacheDir, 'instruments'),
  });
}
