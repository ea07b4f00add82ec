import type { Broker } from '../../brokers/broker.js';
import type { Currency } from '../../domain/money.js';
import { loadRiskConfig } from '../loaders/risk-config.js';
import { RiskGate, type OrderHistory, type RiskConfig } from '../../engine/risk/index.js';
import type { Config } from '../../lib/config.js';
import { configDir } from '../../lib/paths.js';
import { KillSwitch, SqliteOrderHistory } from '../../store/risk-queries.js';
import type { Store } from '../../store/store.js';

export interface RiskServices {
  /** The validated limits: `--risk FILE`, else the config's `risk` section, else defaults. */
  config: RiskConfig;
  killSwitch: KillSwitch;
  /** Earlier and working orders of every run on the database (the duplicate rule, working sells). */
  history: OrderHistory;
  /** The send-time gate for a run on `broker`; `overrideHalt` (`flatten --override-halt`) lets it send while halted. */
  gate(broker: Broker, currency: Currency, overrideHalt?: boolean): RiskGate;
}

export function riskServices(store: Store, config: Config, file: string | undefined, env: NodeJS.ProcessEnv): RiskServices {
  const limits = loadRiskConfig(config.risk, file, { configDir: configDir(env) });
  const killSwitch = new KillSwitch(store);
  return {
    config: limits,
    killSwitch,
    history: new SqliteOrderHistory(store),
    gate: (broker, currency, overrideHalt = false) => new RiskGate({ config: limits, broker: { id: broker.id, account: broker.account, capabilities: broker.capabilities }, currency, halt: overrideHalt ? undefined : killSwitch }),
  };
}
