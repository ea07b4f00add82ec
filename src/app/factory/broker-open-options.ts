import type { Broker } from '../../brokers/broker.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';

/** How a broker is opened: its market's speed and seed (simulated markets), and the account it must be (`accounts.<alias>.account`). */
export interface BrokerOpenOptions {
  speed?: string;
  seed?: number;
  account?: string;
}

/** A real broker's session decides the account; one that is not the configured account is refused before anything is sent. */
export function ensureAccount(broker: Broker, id: string, account: string | undefined): void {
  if (account === undefined || broker.account === account) return;
  throw new InvalidInputError(`${id} is logged in to account ${broker.account}, not ${account}`, `log in to ${account} (ptexec brokers login ${id}) or correct its "account" in config.json`);
}
