import type { Broker } from '../../brokers/broker.js';
import type { StoredEvent } from '../../domain/events/index.js';
import type { AccountDefinition, AccountSelection } from '../../domain/accounts.js';
import type { RebalanceService } from '../../engine/rebalance/rebalance-service.js';
import type { Interrupt } from '../../lib/interrupt.js';
import type { DrivenClock, Factory } from '../factory.js';
import { configuredAccounts } from '../factory/configured-account.js';
import { selectAccounts } from '../loaders/accounts-config.js';
import { RunDisplay } from '../run-display.js';

/** The configured accounts a selection names (exit 2 for an unknown alias or no accounts section). */
export async function selectedAccounts(f: Factory, selection: AccountSelection): Promise<AccountDefinition[]> {
  return selectAccounts(await configuredAccounts(f), selection);
}

/** One account opened for a run in this process: its broker, clock and rebalance service. */
export interface OpenAccount {
  definition: AccountDefinition;
  broker: Broker;
  driven: DrivenClock;
  service: RebalanceService;
  /** Where events recorded for this account's runs outside the engine go (the group's dashboard), as the engine's do. */
  onEvents: (events: StoredEvent[]) => void;
}

export interface AccountRunOptions {
  /** Paper only: the simulated market's speed and seed (ignored for a real broker's account). */
  speed?: string;
  seed?: number;
  riskFile?: string;
  interrupt: Interrupt;
  /** Where the run's events go as they are recorded (the group's dashboard). */
  onEvents?: (events: StoredEvent[]) => void;
  /** Failover is on: the account's broker down this long stops its run, so its unsent legs can move. */
  brokerDownAfterMs?: number;
}

/**
 * Opens an account by its definition: its broker logged in to that account (a real broker's
 * session must be the configured account; the paper broker opens it in its one market), on the
 * broker's clock, with a rebalance service of its own (its own account lock, limits and gate).
 * Its progress is not shown line by line: several accounts run at once, and each run's result
 * is shown when it ends; on a terminal its events go to the group's dashboard (`onEvents`).
 */
export async function openAccount(f: Factory, definition: AccountDefinition, run: AccountRunOptions): Promise<OpenAccount> {
  const brokerId = definition.broker;
  const simulated = (await f.brokerTraits(brokerId)).acceptsSpeed;
  const wiring = {
    brokerId,
    ...(definition.account === undefined ? {} : { account: definition.account }),
    ...(simulated ? { speed: run.speed, seed: run.seed } : {}),
    riskFile: run.riskFile,
    interrupt: run.interrupt,
    brokerDownAfterMs: run.brokerDownAfterMs,
    display: new RunDisplay(f.io, { noUi: true, quiet: true, sink: run.onEvents }),
  };
  const driven = await f.clock(brokerId, wiring.speed);
  const broker = await f.broker(brokerId, wiring);
  const service = await f.runService(wiring);
  return { definition, broker, driven, service, onEvents: wiring.display.onEvents };
}
