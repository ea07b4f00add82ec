import type { Broker } from '../brokers/broker.js';
import '../brokers/index.js';
import { brokerFactory, registeredBrokers } from '../brokers/registry.js';
import type { Clock } from '../domain/clock.js';
import type { Exchange } from '../domain/instrument.js';
import { addBusinessDays, sessionState } from '../engine/calendar/index.js';
import type { Config } from '../lib/config.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import type { Store } from '../store/store.js';

/**
 * `--broker` wins, then the target file's `broker`, then `default_broker` in the config, then
 * paper. An unknown name is refused here, before flags that depend on the broker are checked.
 */
export function chooseBroker(flag: string | undefined, fromFile: string | undefined, config: Config): string {
  const id = brokerNamed(flag, fromFile, config);
  knownBrokerFactory(id);
  return id;
}

/** The broker a command is about, by name only: the flag, else the file's, else default_broker, else paper. */
export function brokerNamed(flag: string | undefined, fromFile: string | undefined, config: Config): string {
  return (flag ?? fromFile ?? config.default_broker ?? 'paper').toLowerCase();
}

function knownBrokerFactory(id: string) {
  const factory = brokerFactory(id);
  if (!factory) throw new InvalidInputError(`unknown broker "${id}"`, `available: ${registeredBrokers().join(', ')}`);
  return factory;
}

/** Builds and connects the broker adapter (auth and reachability are checked before anything is sent). */
export async function openBroker(id: string, deps: { store: Store; clock: Clock; config: Config; env?: NodeJS.ProcessEnv; extra?: Record<string, unknown> }): Promise<Broker> {
  const factory = knownBrokerFactory(id);
  const section = id === 'paper' ? { ...(deps.config.paper ?? {}), ...(deps.config.brokers?.paper ?? {}) } : (deps.config.brokers?.[id] ?? {});
  const calendar = {
    isOpen: (exchange: Exchange, ts: number) => sessionState(exchange, ts).state === 'open',
    settlementDate: (exchange: Exchange, tradeDate: string) => addBusinessDays(exchange, tradeDate, 1),
  };
  const broker = await factory({ db: deps.store.db, clock: deps.clock, config: { ...section, ...(deps.extra ?? {}) }, env: deps.env ?? process.env, calendar });
  await broker.connect();
  return broker;
}
