import { PAPER_BROKER_ID } from '../../brokers/paper/index.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import type { Factory } from '../factory.js';
import { accountNamed, accountScope } from '../factory/configured-account.js';

/**
 * The simulated market's account id of a configured paper account (`paper reset/show --account
 * <alias>`): its configured `account`, else the paper config's. An alias of another broker is
 * refused: only paper money can be reset.
 */
export async function paperAccountOf(f: Factory, alias: string): Promise<string> {
  const definition = await accountNamed(f, alias);
  if (definition.broker !== PAPER_BROKER_ID) throw new InvalidInputError(`account ${definition.alias} is at ${definition.broker}, not the paper broker`, 'give the alias of a paper account (ptexec brokers accounts lists them)');
  return (await accountScope(f, definition)).account!;
}
