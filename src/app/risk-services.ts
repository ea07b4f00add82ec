import type { Broker } from '../brokers/broker.js';
import type { Currency } from '../domain/money.js';
import { loadRiskConfig, RiskGate, type RiskConfig } from '../engine/risk/index.js';
import type { Config } from '../lib/config.js';
import { BlockedError } from '../domain/errors/blocked-error.js';
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

/**
 * While the kill switch is on nothing starts trading: the command is refused (exit 3) before it
 * takes a lock, asks the broker anything or records an event, so a run stays as it was.
 */
export function refuseWhileHalted(store: Store, unchanged: string, then?: string): void {
  const halt = new KillSwitch(store).isHalted();
  if (!halt.halted) return;
  const since = halt.at === undefined ? '' : ` since ${new Date(halt.at).toISOString()}`;
  throw new BlockedError(`trading is halted${since}${halt.reason ? ` (${halt.reason})` : ''}; ${unchanged}`, `\`ptexec unhalt\` lifts it${then ? `; then ${then}` : ''}`);
}
