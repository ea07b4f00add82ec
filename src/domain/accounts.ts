import type { Exchange } from './instrument.js';
import type { OrderType } from './order.js';

/**
 * One of a portfolio manager's trading accounts, as the `accounts` section of the config names
 * it. The alias is how every command and file refers to it (`--account`, `--accounts`, a
 * per-account target); the broker and its account id are where it lives.
 */
export interface AccountDefinition {
  /** The key in `accounts`: lower-case letters, digits, `-` and `_`. */
  alias: string;
  /** A registered broker id, `fix:<session>` included. */
  broker: string;
  /**
   * The broker's own account id. The paper broker opens this account (one simulated market,
   * many accounts); a real broker's session must report this id, or the account is refused.
   * Absent: whatever account the broker's session is logged in to.
   */
  account?: string;
  /** `primary` accounts are preferred on a tie and receive what a group target leaves over. */
  role: AccountRole;
  permissions: AccountPermissions;
  /** Share of a household (group) target this account should hold, 0–1; absent = by the router. */
  share?: number;
}

export type AccountRole = 'primary' | 'secondary' | 'backup';

/** What an account may do, on top of what its broker can (capabilities). */
export interface AccountPermissions {
  buy: boolean;
  sell: boolean;
  /** Order types allowed here; absent = every type the broker offers. */
  orderTypes?: readonly OrderType[];
  /** Exchanges allowed here; absent = every exchange the broker trades. */
  exchanges?: readonly Exchange[];
}

/** Which accounts a command works on: one (`--account`), several or all (`--accounts`). */
export type AccountSelection = { kind: 'one'; alias: string } | { kind: 'some'; aliases: readonly string[] } | { kind: 'all' };
