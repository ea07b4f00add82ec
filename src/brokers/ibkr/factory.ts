import { join } from 'node:path';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { requireSession } from '../http/session-check.js';
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
 * Builds the IBKR adapter for `--broker ibkr`. ptexec holds no IBKR credentials: the Client Portal
 * Gateway holds the session the user opened in a browser. What is required is the day's check
 * `ptexec brokers login ibkr` recorded (it ends with IBKR's nightly reset); `connect()` then asks
 * the gateway itself.
 */
export async function createIbkrBroker(deps: BrokerDeps): Promise<IbkrBroker> {
  requireSession(deps.credentials, { id: 'ibkr', name: 'Interactive Brokers', loginHint: 'log in to the Client Portal Gateway in a browser, then run `ptexec brokers login ibkr`' }, deps.clock.now());
  return new IbkrBroker({
    settings: loadIbkrSettings(deps.config, deps.env),
    clock: deps.clock,
    cacheDir: deps.cacheDir === undefined ? undefined : join(deps.cacheDir, 'instruments'),
    calendar: deps.calendar,
  });
}
