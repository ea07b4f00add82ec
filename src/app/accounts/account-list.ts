import { BROKERS_WITH_LOGIN } from '../../brokers/registry.js';
import type { AccountDefinition } from '../../domain/accounts.js';
import { configFilePath } from '../../lib/paths.js';
import { brokerSessions } from '../broker-session-service.js';
import type { Factory } from '../factory.js';
import { configuredAccounts } from '../factory/configured-account.js';

/** Whether an account's broker session can be used now, by the rule of `ptexec brokers status`. */
export type AccountSession = 'logged in' | 'expired' | 'not logged in' | 'no login needed';

export interface AccountListing {
  definition: AccountDefinition;
  session: AccountSession;
  usable: boolean;
}

/**
 * `ptexec brokers accounts`: the configured accounts in config order, each with whether its
 * broker's session is usable now: a broker with a login (Zerodha, Alpaca, IBKR, …) has a stored
 * session that has not expired, exactly as `brokers status` says; the paper broker and FIX
 * sessions need no login. Reads the config and the credentials only: nothing is opened.
 */
export async function listAccounts(f: Factory): Promise<{ configFile: string; accounts: AccountListing[] }> {
  const definitions = await configuredAccounts(f);
  const sessions = new Map(brokerSessions(f).brokers.map((b) => [b.broker, b]));
  const accounts = definitions.map((definition): AccountListing => {
    if (!(BROKERS_WITH_LOGIN as readonly string[]).includes(definition.broker)) return { definition, session: 'no login needed', usable: true };
    const s = sessions.get(definition.broker);
    const session: AccountSession = s?.logged_in ? 'logged in' : s?.expired ? 'expired' : 'not logged in';
    return { definition, session, usable: session === 'logged in' };
  });
  return { configFile: configFilePath(f.env), accounts };
}
