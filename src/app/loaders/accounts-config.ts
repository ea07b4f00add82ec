import { z } from 'zod';
import type { AccountDefinition, AccountSelection } from '../../domain/accounts.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { jsonPlace, type InputIssue } from '../../domain/input-issue.js';
import { EXCHANGES } from '../../domain/instrument.js';
import { SHARE_SUM_TOLERANCE } from '../../engine/routing/household-shares.js';
import { splitCsvLine } from '../../market/csv.js';

const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit'] as const;

const AccountSchema = z.lazy(() =>
  z
    .object({
      broker: z.string().min(1),
      account: z.string().min(1).optional(),
      role: z.enum(['primary', 'secondary', 'backup']).default('secondary'),
      permissions: z
        .object({
          buy: z.boolean().default(true),
          sell: z.boolean().default(true),
          order_types: z.array(z.enum(ORDER_TYPES)).nonempty().optional(),
          exchanges: z.array(z.enum(EXCHANGES as unknown as [string, ...string[]])).nonempty().optional(),
        })
        .strict()
        .default({ buy: true, sell: true }),
      share: z.number().min(0).max(1).optional(),
    })
    .strict(),
);

const ALIAS = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * The `accounts` section of config.json: alias → account. Invalid entries are an input error
 * naming the key (exit 2); an empty or absent section means no accounts are configured, and
 * commands then work on the one broker `--broker` names, as before.
 */
export function parseAccounts(section: Record<string, unknown> | undefined, configPath: string): AccountDefinition[] {
  if (!section) return [];
  const definitions: AccountDefinition[] = [];
  const issues: InputIssue[] = [];
  for (const [alias, raw] of Object.entries(section)) {
    if (!ALIAS.test(alias)) {
      issues.push({ ...jsonPlace(configPath, ['accounts', alias]), message: 'an alias is lower-case letters, digits, - and _ (at most 32)' });
      continue;
    }
    const parsed = AccountSchema.safeParse(raw);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push({ ...jsonPlace(configPath, ['accounts', alias, ...i.path]), message: i.message });
      continue;
    }
    const { broker, account, role, permissions, share } = parsed.data;
    definitions.push({
      alias,
      broker: broker.toLowerCase(),
      ...(account !== undefined ? { account } : {}),
      role,
      permissions: {
        buy: permissions.buy,
        sell: permissions.sell,
        ...(permissions.order_types ? { orderTypes: permissions.order_types } : {}),
        ...(permissions.exchanges ? { exchanges: permissions.exchanges as AccountDefinition['permissions']['exchanges'] } : {}),
      },
      ...(share !== undefined ? { share } : {}),
    });
  }
  if (issues.length === 0) issues.push(...shareIssues(definitions, configPath));
  if (issues.length > 0) throw new InvalidInputError(`${configPath}: invalid accounts`, 'see "Accounts" in the README', { issues });
  return definitions;
}

/**
 * Shares are of one household target (README "Rebalancing several accounts"): they add up to at
 * most 1, the accounts without one holding the rest; when every account has one, to 1. Within
 * `SHARE_SUM_TOLERANCE`, so that thirds written 0.3333 pass.
 */
function shareIssues(definitions: readonly AccountDefinition[], configPath: string): InputIssue[] {
  const shared = definitions.filter((d) => d.share !== undefined);
  if (shared.length === 0) return [];
  const sum = shared.reduce((s, d) => s + d.share!, 0);
  const listed = `${Number(sum.toFixed(4))} (${shared.map((d) => `${d.alias} ${d.share}`).join(', ')})`;
  const place = jsonPlace(configPath, ['accounts']);
  if (sum > 1 + SHARE_SUM_TOLERANCE) return [{ ...place, message: `the accounts' shares add up to ${listed}, more than 1`, fix: 'lower them to add up to at most 1; accounts without a share hold the rest' }];
  if (shared.length === definitions.length && sum < 1 - SHARE_SUM_TOLERANCE) return [{ ...place, message: `the accounts' shares add up to ${listed}; with a share on every account they must add up to 1`, fix: 'make them add up to 1, or leave one account\'s share out to give it the rest' }];
  return [];
}

/** `--account a` or `--accounts all|a,b` as a selection; undefined when neither flag is given. */
export function accountSelection(flags: { account?: string; accounts?: string }): AccountSelection | undefined {
  if (flags.account !== undefined && flags.accounts !== undefined) throw new InvalidInputError('--account and --accounts cannot be used together', 'use --account for one account, --accounts a,b or --accounts all for several');
  if (flags.account !== undefined) return { kind: 'one', alias: flags.account.toLowerCase() };
  if (flags.accounts === undefined) return undefined;
  const text = flags.accounts.trim().toLowerCase();
  if (text === 'all') return { kind: 'all' };
  const aliases = [...new Set(splitCsvLine(text).map((a) => a.trim()).filter((a) => a !== ''))];
  if (aliases.length === 0) throw new InvalidInputError('--accounts needs account aliases or all', 'for example --accounts main,spouse or --accounts all');
  return { kind: 'some', aliases };
}

/** The configured accounts a selection names, in config order; an unknown alias is refused with the known ones. */
export function selectAccounts(definitions: readonly AccountDefinition[], selection: AccountSelection): AccountDefinition[] {
  if (definitions.length === 0) throw new InvalidInputError('no accounts are configured', 'add an "accounts" section to config.json (README "Accounts"), or use --broker');
  if (selection.kind === 'all') return [...definitions];
  const wanted = selection.kind === 'one' ? [selection.alias] : selection.aliases;
  const unknown = wanted.filter((a) => !definitions.some((d) => d.alias === a));
  if (unknown.length > 0) throw new InvalidInputError(`unknown account ${unknown.join(', ')}`, `configured accounts: ${definitions.map((d) => d.alias).join(', ')}`);
  return definitions.filter((d) => wanted.includes(d.alias));
}
