import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { CommandResult } from '../command-result.js';
import type { Factory } from '../factory.js';
import { accountSelection } from '../loaders/accounts-config.js';
import type { RebalanceFlags } from '../rebalance-input.js';
import { executeGroupRebalance } from './group-rebalance.js';
import { accountNamed } from '../factory/configured-account.js';
import { loadRouting } from './routing.js';

/** Where a rebalance trades: one broker account (its flags say which), or a group of accounts run together. */
export type AccountOfRun = { kind: 'single'; flags: RebalanceFlags; account?: string } | { kind: 'group'; execute(): Promise<CommandResult> };

/**
 * `--account a` is today's single run on that account's broker and account id; `--accounts`
 * (several or all) is a group rebalance; neither is `--broker` (or the default broker) as before.
 */
export async function accountOfRun(f: Factory, input: { file: string; flags: RebalanceFlags }): Promise<AccountOfRun> {
  const { flags } = input;
  const selection = accountSelection(flags);
  if (!selection) {
    if (flags.failover !== undefined) throw new InvalidInputError('--failover and --no-failover work with --accounts', 'add --accounts all (or a,b), or leave the flag out');
    return { kind: 'single', flags };
  }
  if (selection.kind !== 'one') return { kind: 'group', execute: () => executeGroupRebalance(f, input, selection, () => loadRouting(f)) };
  if (flags.broker !== undefined) throw new InvalidInputError('--broker cannot be used with --account', 'the account names its broker (config.json "accounts"); leave --broker out');
  const definition = await accountNamed(f, selection.alias);
  return { kind: 'single', flags: { ...flags, broker: definition.broker }, account: definition.account };
}
