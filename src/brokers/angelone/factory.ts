import { join } from 'node:path';
import { requireSession } from '../http/session-check.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerDeps } from '../registry.js';
import { AngelOneBroker } from './angelone-broker.js';
import { type AngelOneSettings, parseAngelOneSettings } from './config.js';

/** The `brokers.angelone` section of config.json, validated with the environment's URL overrides. */
export function loadAngelOneSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): AngelOneSettings {
  const parsed = parseAngelOneSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.angelone" section of config.json (see "Angel One" in the README)');
  return parsed.settings;
}

export const ANGELONE_LOGIN_HINT =
  'run `ptexec brokers login angelone` (or store a TOTP secret in PTEXEC_ANGELONE_TOTP_SECRET or the credentials file, and ptexec logs in by itself)';

/** Builds the Angel One adapter for `--broker angelone` from its settings and the session it is given. */
export async function createAngelOneBroker(deps: BrokerDeps): Promise<AngelOneBroker> {
  const settings = loadAngelOneSettings(deps.config, deps.env);
  const creds = deps.credentials ?? {};
  const session = requireSession(creds, { id: 'angelone', name: 'Angel One', loginHint: ANGELONE_LOGIN_HINT, needsApiKey: true }, deps.clock.now());
  return new AngelOneBroker({
    settings,
    apiKey: session.apiKey!,
    jwt: session.accessToken,
    clientCode: creds.values?.client_code ?? creds.userId,
    clock: deps.clock,
    rateLimit: settings.rate_limit,
    instrumentCacheDir: deps.cacheDir === undefined ? undefined : join(deps.cacheDir, 'instruments'),
  });
}
