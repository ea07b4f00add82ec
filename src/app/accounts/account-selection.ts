import type { AccountDefinition } from '../../domain/accounts.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { Factory } from '../factory.js';
import { configuredAccounts } from '../factory/configured-account.js';
import { accountSelection, selectAccounts } from '../loaders/accounts-config.js';

/** The flags every read command takes to work on configured accounts instead of one broker. */
export interface AccountFlags {
  /** `--account <alias>`: one configured account. */
  account?: string;
  /** `--accounts all|a,b`: several, with a consolidated total per currency. */
  accounts?: string;
  /** `--broker`: with an account flag, it must be the broker of every account named. */
  broker?: string;
}

/** The accounts a read command covers: one (`--account`) or several (`--accounts`), in config order. */
export interface SelectedAccounts {
  single: boolean;
  definitions: AccountDefinition[];
}

/**
 * The accounts the flags name; undefined when neither `--account` nor `--accounts` is given
 * (the command works on one broker as before). An unknown alias, or a `--broker` that is not
 * the named accounts' broker, is refused (exit 2) before any broker is opened.
 */
export async function selectedAccounts(f: Factory, flags: AccountFlags): Promise<SelectedAccounts | undefined> {
  const selection = accountSelection(flags);
  if (!selection) return undefined;
  const definitions = selectAccounts(await configuredAccounts(f), selection);
  if (flags.broker !== undefined) {
    const broker = flags.broker.toLowerCase();
    const elsewhere = definitions.filter((d) => d.broker !== broker);
    if (elsewhere.length > 0) {
      throw new InvalidInputError(
        `--broker ${broker} disagrees with ${elsewhere.map((d) => `account ${d.alias} (at ${d.broker})`).join(', ')}`,
        'leave out --broker: an account already names its broker',
      );
    }
  }
  return { single: selection.kind === 'one', definitions };
}
