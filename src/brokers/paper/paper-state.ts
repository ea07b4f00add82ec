import type { Currency } from '../../domain/money.js';
import type { PaperDb } from './paper-db.js';
import { DEFAULT_PAPER_CASH } from './paper-records.js';

/** The market's seed when neither the options, the config nor the database name one. */
export const DEFAULT_PAPER_SEED = 20_251_128;

export interface PaperMarketIdentity {
  seed: number;
  /** When every price path started at its instrument's reference price (UTC ms). */
  originTs: number;
}

/**
 * The stored facts every paper broker instance on a database shares: the market's seed and
 * origin, and the account (created with the default cash on first use). An explicit seed that
 * differs from the stored one replaces it: from then on the market follows the new seed.
 */
export function ensurePaperState(pdb: PaperDb, options: { account: string; now: number; seed?: number; currency?: Currency }): PaperMarketIdentity {
  return pdb.transaction(() => {
    const storedSeed = pdb.meta('seed');
    const seed = options.seed ?? (storedSeed !== undefined ? Number(storedSeed) : DEFAULT_PAPER_SEED);
    if (storedSeed === undefined || Number(storedSeed) !== seed) {
      pdb.setMeta('seed', String(seed));
      pdb.bumpVersion();
    }
    let origin = pdb.meta('origin_ts');
    if (origin === undefined) {
      origin = String(options.now);
      pdb.setMeta('origin_ts', origin);
      pdb.bumpVersion();
    }
    if (!pdb.account(options.account)) {
      pdb.createAccount(options.account, options.currency ?? 'INR', DEFAULT_PAPER_CASH, options.now);
      pdb.bumpVersion();
    }
    return { seed, originTs: Number(origin) };
  });
}
