import { requireSession } from '../http/session-check.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerDeps } from '../registry.js';
import { parseFyersSettings, type FyersSettings } from './config.js';
import { FyersBroker } from './fyers-broker.js';
import { FYERS_LOGIN_HINT } from './session.js';

/** The `brokers.fyers` section of config.json, validated with the environment's URL overrides. */
export function loadFyersSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): FyersSettings {
  const parsed = parseFyersSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.fyers" section of config.json (see "Fyers" in the README)');
  return parsed.settings;
}

/** Builds the Fyers adapter for `--broker fyers` from its settings and the credentials it is given. */
export async function createFyersBroker(deps: BrokerDeps): Promise<FyersBroker> {
  const settings = loadFyersSettings(deps.config, deps.env);
  const creds = deps.credentials ?? {};
  const session = requireSession(creds, { id: 'fyers', name: 'Fyers', loginHint: FYERS_LOGIN_HINT, needsApiKey: true }, deps.clock.now());
  return new FyersBroker({
    settings,
    appId: session.apiKey!,
    accessToken: session.accessToken,
    userId: creds.userId,
    secrets: [creds.apiSecret, creds.values?.pin, creds.refreshToken].filter((s): s is string => !!s),
    clock: deps.clock,
  });
}
