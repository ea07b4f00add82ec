import type { AccountDefinition } from '../../domain/accounts.js';
import type { Factory } from '../factory.js';
import { accountScope } from '../factory/configured-account.js';

/** One account's part of a read command's answer, labelled with what names the account. */
export interface AccountSection<T> {
  alias: string;
  broker: string;
  /** The broker's account id; null for a real broker's account configured without one (its session's). */
  account: string | null;
  result: T;
}

/** What a read command reads for one account, given where its trades are recorded. */
export type ReadAccount<T> = (definition: AccountDefinition, scope: { broker: string; account?: string }) => Promise<T>;

/**
 * Reads each account in config order, one after the other (paper accounts share one simulated
 * market, and a report is easier to follow when its sections come in a fixed order), with the
 * same use case a single-account command runs, so the numbers are the same.
 */
export async function readEachAccount<T>(f: Factory, definitions: readonly AccountDefinition[], read: ReadAccount<T>): Promise<AccountSection<T>[]> {
  const sections: AccountSection<T>[] = [];
  for (const definition of definitions) {
    const scope = await accountScope(f, definition);
    sections.push({ alias: definition.alias, broker: definition.broker, account: scope.account ?? null, result: await read(definition, scope) });
  }
  return sections;
}

/** `alice (zerodha, account AB1234)`: how text output names an account. */
export function accountHeading(section: Pick<AccountSection<unknown>, 'alias' | 'broker' | 'account'>): string {
  return `${section.alias} (${section.broker}${section.account === null ? '' : `, account ${section.account}`})`;
}

/** The line that heads the consolidated part of a multi-account report. */
export const CONSOLIDATED_HEADING = 'Consolidated, per currency (INR and USD are never added together)';

/** A read command's answer over accounts: each account's section, then totals per currency. */
export interface AcrossAccounts<T, C> {
  /** `--account`: one account, shown as the single-account command shows it. */
  single: boolean;
  sections: AccountSection<T>[];
  /** One entry per currency: amounts in different currencies are never added together. */
  consolidated: C[];
}
