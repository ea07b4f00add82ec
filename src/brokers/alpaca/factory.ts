import { BrokerError } from '../../domain/errors/broker-error.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerCredentials, BrokerDeps } from '../registry.js';
import { AlpacaBroker } from './alpaca-broker.js';
import { type AlpacaSettings, parseAlpacaSettings } from './config.js';

export const ALPACA_LOGIN_HINT = 'run `ptexec brokers login alpaca`, or set PTEXEC_ALPACA_API_KEY and PTEXEC_ALPACA_API_SECRET (the key pair from the Alpaca dashboard)';

/** The `brokers.alpaca` section of config.json, validated with the environment's URL overrides. */
export function loadAlpacaSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): AlpacaSettings {
  const parsed = parseAlpacaSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.alpaca" section of config.json (see "Alpaca" in the README)');
  return parsed.settings;
}

/** The key pair an Alpaca adapter is opened with: Alpaca has no session to expire, only the keys. */
export function requireKeyPair(credentials: BrokerCredentials | undefined): { keyId: string; secretKey: string } {
  const keyId = credentials?.apiKey ?? credentials?.values?.api_key;
  const secretKey = credentials?.apiSecret ?? credentials?.values?.api_secret;
  if (!keyId || !secretKey) throw new BrokerError('auth', `not logged in to Alpaca: no API ${keyId ? 'secret' : 'key'}`, 'alpaca', { code: 'no_credentials', hint: ALPACA_LOGIN_HINT });
  return { keyId, secretKey };
}

/** Builds the Alpaca adapter for `--broker alpaca` from its settings and key pair. */
export async function createAlpacaBroker(deps: BrokerDeps): Promise<AlpacaBroker> {
  const settings = loadAlpacaSettings(deps.config, deps.env);
  return new AlpacaBroker({ settings, ...requireKeyPair(deps.credentials), clock: deps.clock });
}
