import type { Broker } from '../../brokers/broker.js';
import type { AccountDefinition } from '../../domain/accounts.js';
import { configFilePath } from '../../lib/paths.js';
import type { Factory } from '../factory.js';
import { parseAccounts, selectAccounts } from '../loaders/accounts-config.js';

/** The accounts config.json names (`accounts`), in config order; none when the section is absent. */
export async function configuredAccounts(f: Factory): Promise<AccountDefinition[]> {
  return parseAccounts((await f.config()).accounts, configFilePath(f.env));
}

/** A configured account by its alias; an unknown alias is refused with the known ones (exit 2). */
export async function accountNamed(f: Factory, alias: string): Promise<AccountDefinition> {
  return selectAccounts(await configuredAccounts(f), { kind: 'one', alias: alias.toLowerCase() })[0]!;
}

/**
 * A configured account's broker, opened as that account: a real broker's session must be logged
 * in to the configured account id (else refused before anything is read or sent); the paper
 * broker opens the account in its one simulated market, creating it on first use with the
 * starting cash `paper reset` gives (₹1,00,00,000, INR). An account without an id is whatever
 * account the broker's session (or the paper config's `account`) is.
 */
export function openAccountBroker(f: Factory, definition: AccountDefinition): Promise<Broker> {
  return f.broker(definition.broker, definition.account === undefined ? {} : { account: definition.account });
}

/**
 * Which recorded trades are an account's: its broker and account id. Without a configured id the
 * simulated market is opened to learn its account (offline and cheap); a real broker's are all
 * the trades recorded for that broker, so no session is needed to read the ledger.
 */
export async function accountScope(f: Factory, definition: AccountDefinition): Promise<{ broker: string; account?: string }> {
  if (definition.account !== undefined) return { broker: definition.broker, account: definition.account };
  if (!(await f.brokerTraits(definition.broker)).simulatedMarket) return { broker: definition.broker };
  return { broker: definition.broker, account: (await openAccountBroker(f, definition)).account };
}
