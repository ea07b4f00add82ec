import { join } from 'node:path';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { BrokerDeps } from '../registry.js';
import { type IbkrSettings, parseIbkrSettings } from './config.js';
import { IbkrBroker } from './ibkr-broker.js';

/** The `brokers.ibkr` section of config.json, validated with the environment's overrides. */
export function loadIbkrSettings(section: Record<string, unknown> | undefined, env: NodeJS.ProcessEnv): IbkrSettings {
  const parsed = parseIbkrSettings(section ?? {}, env);
  if (parsed.error !== undefined) throw new InvalidInputError(parsed.error, 'fix the "brokers.ibkr" section of config.json (see "Interactive Brokers" in the README)');
  return parsed.settings;
}

/**
 * Builds the IBKR adapter for `--broker ibkr`. It needs no credentials of ptexec's: the Client
 * Portal Gateway holds the session the user opened in a browser, and `connect()` checks it.
 */
export async function createIbkrBroker(deps: BrokerDeps): Promise<IbkrBroker> {
  return new IbkrBroker({
    settings: loadIbkrSettings(deps.config, deps.env),
    clock: deps.clock,
    cacheDir: deps.cacheDir === undefined ? undefined : join(deps.cacheDir, 'instruments'),
    calendar: deps.calendar,
  });
}
