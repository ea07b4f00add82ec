import type { Broker } from '../brokers/broker.js';
import { loadConfig, type Config } from '../lib/config.js';
import type { RunRow } from '../store/queries.js';
import type { Store } from '../store/store.js';
import { clockFor, type DrivenClock } from './clock-for.js';
import { openBroker } from './open-broker.js';

/** What a recorded run was started with (never secrets). */
export interface RunOptions {
  seed?: number | null;
  risk_file?: string | null;
}

/**
 * What continuing a recorded run needs: the config, the clock for `speed`, the run's options, and
 * its broker, opened as the run opened it (same paper seed) when `openBroker` is called.
 */
export function runContext(store: Store, run: RunRow, speed?: string): { config: Config; driven: DrivenClock; options: RunOptions; openBroker: () => Promise<Broker> } {
  const config = loadConfig();
  const driven = clockFor(run.broker, speed, store);
  const options = JSON.parse(run.options) as RunOptions;
  return { config, driven, options, openBroker: () => openBroker(run.broker, { store, clock: driven.clock, config, extra: options.seed == null ? {} : { seed: options.seed } }) };
}
