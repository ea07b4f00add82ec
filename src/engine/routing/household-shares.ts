import { compareAccounts } from './account-order.js';
import { percentText } from './figures-text.js';
import type { RoutableAccount } from './types.js';

/**
 * Shares that add up to 1 within this much are taken as adding up to 1 (three accounts of
 * 0.3333 each); the accounts config refuses a sum further off (`app/loaders/accounts-config.ts`).
 */
export const SHARE_SUM_TOLERANCE = 0.001;

/**
 * The accounts' shares of a household target as the router applies them (README "Rebalancing
 * several accounts"). A share is of each line of the target: an account with share 0.3 should
 * hold 30% of the household's quantity of every line, so it holds the household's mix and about
 * 30% of its invested value. Accounts without a share hold the rest between them, the router
 * choosing among them by its weights. When every routed account has a share and they add up to
 * less than 1 (some accounts of the household are not selected), they keep their proportions
 * over the accounts selected; more than 1 is scaled down to 1.
 */
export interface HouseholdShares {
  /** Per account with a share: its share of the household's quantity of each line. */
  share: ReadonlyMap<string, number>;
  /** The share the accounts without one hold between them (0 when there are none). */
  rest: number;
  /** The accounts without a share, in tie-break order. */
  unshared: readonly string[];
  /** The shares as a leg's `why` names them: `spouse 30%, main and kid the rest (70%)`. */
  text: string;
}

/** The shares of `accounts`, or undefined when no account declares one (the router then weighs alone). */
export function householdShares(accounts: readonly RoutableAccount[]): HouseholdShares | undefined {
  const ordered = [...accounts].sort(compareAccounts);
  const declared = ordered.filter((a) => a.definition.share !== undefined && Number.isFinite(a.definition.share) && a.definition.share >= 0);
  if (declared.length === 0) return undefined;
  const unshared = ordered.filter((a) => !declared.includes(a)).map((a) => a.definition.alias);
  const sum = declared.reduce((s, a) => s + a.definition.share!, 0);
  if (!(sum > 0) && unshared.length === 0) return undefined;
  const scale = unshared.length > 0 && sum <= 1 + SHARE_SUM_TOLERANCE ? 1 / Math.max(1, sum) : 1 / sum;
  const share = new Map(declared.map((a) => [a.definition.alias, a.definition.share! * scale]));
  const rest = unshared.length > 0 ? Math.max(0, 1 - sum * scale) : 0;
  const listed = [...share].map(([alias, s]) => `${alias} ${percentText(s, 1)}`);
  if (unshared.length > 0) listed.push(`${andList(unshared)} the rest (${percentText(rest, 1)})`);
  return { share, rest, unshared, text: listed.join(', ') };
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
