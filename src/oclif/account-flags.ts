import * as Flags from '@oclif/core/flags';

/** Which configured accounts a read command covers (README "Accounts"), shared by positions, pnl, settlement, reconcile and tca. */
export const accountFlags = {
  account: Flags.string({ description: 'one configured account (config.json "accounts")', helpValue: 'ALIAS' }),
  accounts: Flags.string({ description: 'several accounts, with totals per currency: all or a,b', helpValue: 'LIST' }),
};
