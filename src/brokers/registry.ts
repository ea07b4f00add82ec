import type { BrokerTables } from '../domain/broker-tables.js';
import type { Clock } from '../domain/clock.js';
import type { Exchange } from '../domain/instrument.js';
import type { Broker, BrokerId } from './broker.js';

/** What a broker adapter may need to be built. Credentials are read by the adapter's own loader. */
export interface BrokerDeps {
  /** The broker's own tables in the ptexec database (the paper broker keeps its account there). */
  tables: BrokerTables;
  clock: Clock;
  /** The broker's section of config.json (`brokers.<id>`), unvalidated: the adapter validates it. */
  config: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  /** The exchange calendars (brokers cannot import the engine; the caller passes them in). */
  calendar?: {
    isOpen(exchange: Exchange, ts: number): boolean;
    settlementDate(exchange: Exchange, tradeDate: string): string;
  };
}

export type BrokerFactory = (deps: BrokerDeps) => Promise<Broker>;

const factories = new Map<BrokerId, BrokerFactory>();

/** Adapters register themselves here (see src/brokers/index.ts), one line each. */
export function registerBroker(id: BrokerId, factory: BrokerFactory): void {
  factories.set(id, factory);
}

export function brokerFactory(id: string): BrokerFactory | undefined {
  return factories.get(id as BrokerId);
}

export function registeredBrokers(): BrokerId[] {
  return [...factories.keys()];
}
