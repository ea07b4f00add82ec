import type { Broker } from '../brokers/broker.js';
import type { Currency } from '../domain/money.js';
import { loadRiskConfig, RiskGate, type RiskConfig } from '../engine/risk/index.js';
import type { Config } from '../lib/config.js';
import { configDir } from '../lib/paths.js';
import { KillSwitch } from '../store/risk-queries.js';
import type { Store } from '../store/store.js';

/** The validated risk limits: `--risk FILE`, else the config's `risk` section, else defaults. */
export function riskConfigFor(config: Config, file: string | undefined): RiskConfig {
  return loadRiskConfig(config.risk, file, { configDir: configDir() });
}

/** The send-time gate and the kill switch for a run on `broker`, over the database. */
export function riskGuards(store: Store, risk: RiskConfig, broker: Broker, currency: Currency) {
  const halt = new KillSwitch(store);
  const guard = new RiskGate({ config: risk, broker: { id: broker.id, account: broker.account, capabilities: broker.capabilities }, currency, halt });
  return { guard, halt, pollMs: risk.kill_switch.poll_ms };
}
