import type { Currency } from '../../domain/money.js';
import type { Exchange } from '../../domain/instrument.js';
import { InvalidInputError } from '../../domain/errors/invalid-input-error.js';
import { tradingDate } from '../../market/exchange-time.js';
import { PaperMarket } from './market.js';
import type { PaperDb } from './paper-db.js';
import { DEFAULT_PAPER_ACCOUNT, DEFAULT_PAPER_CASH } from './paper-records.js';
import { ensurePaperState } from './paper-state.js';
import { currencyOfExchange, InstrumentIndex, PAPER_UNIVERSE, type PaperInstrument } from './universe.js';

export interface PaperHoldingSeed {
  symbol: string;
  exchange?: Exchange;
  quantity: number;
  /** Average cost, minor units; defaults to the instrument's current price. */
  averagePrice?: number;
}

export interface ResetPaperAccountOptions {
  /** Starting cash in minor units (default ₹1,00,00,000 = 1e9 paise). */
  cash?: number;
  currency?: Currency;
  /** Settled holdings to start with. */
  holdings?: PaperHoldingSeed[];
  account?: string;
  /** A new market seed: forgets every price change so far and restarts the paths from reference prices now. */
  reseedMarket?: number;
  /** Time of the reset (default: the paper market's clock, never before the wall clock); used for the market origin and holding prices. */
  now?: number;
  instruments?: readonly PaperInstrument[];
  /** The rest of the listed market (see InstrumentIndex). */
  listed?: () => readonly PaperInstrument[];
}

export interface PaperHoldingSummary {
  symbol: string;
  exchange: Exchange;
  quantity: number;
  t1Quantity: number;
  averagePrice: number;
  lastPrice: number | undefined;
  /** (quantity + t1Quantity) × lastPrice, minor units; 0 when no price is known. */
  value: number;
}

export interface PaperAccountSummary {
  account: string;
  currency: Currency;
  cash: number;
  holdings: PaperHoldingSummary[];
  holdingsValue: number;
  totalValue: number;
  openOrders: number;
  tradesToday: number;
  seed: number;
}

/**
 * Empties a paper account (orders, trades, holdings) and starts it again with `cash` and the
 * given holdings. The market (prices moved by earlier trades) is kept unless `reseedMarket`.
 */
export function resetAccount(pdb: PaperDb, options: ResetPaperAccountOptions = {}): PaperAccountSummary {
  const account = options.account ?? DEFAULT_PAPER_ACCOUNT;
  const currency = options.currency ?? 'INR';
  const cash = options.cash ?? (currency === 'INR' ? DEFAULT_PAPER_CASH : 10_000_000);
  const now = options.now ?? paperNow(pdb);
  if (!Number.isInteger(cash) || cash < 0) throw new InvalidInputError(`paper cash must be a non-negative whole number of minor units, got ${cash}`);
  const index = new InstrumentIndex(options.instruments ?? PAPER_UNIVERSE, options.listed);
  pdb.transaction(() => {
    if (options.reseedMarket !== undefined) {
      pdb.deleteAnchors();
      pdb.setMeta('seed', String(options.reseedMarket));
      pdb.setMeta('origin_ts', String(now));
    }
    pdb.wipeAccount(account);
    const identity = ensurePaperState(pdb, { account, now, currency });
    pdb.addCash(account, cash - (pdb.account(account)?.cash ?? 0), now);
    const market = new PaperMarket(pdb, { seed: identity.seed, stepMs: 1_000, originTs: identity.originTs, spreadMultiplier: 1, impact: { temporary: 1, permanent: 1 }, isOpen: () => true });
    for (const seed of options.holdings ?? []) {
      const instrument = index.find(seed.symbol, seed.exchange);
      if (!instrument) throw new InvalidInputError(`unknown paper instrument ${seed.exchange ? `${seed.exchange}:` : ''}${seed.symbol}`);
      if (currencyOfExchange(instrument.exchange) !== currency) {
        throw new InvalidInputError(`${instrument.symbol} trades in ${currencyOfExchange(instrument.exchange)} but the paper account holds ${currency}`);
      }
      if (!Number.isInteger(seed.quantity) || seed.quantity <= 0) throw new InvalidInputError(`${seed.symbol}: quantity must be a positive integer, got ${seed.quantity}`);
      const average = seed.averagePrice ?? market.quote(instrument, now).last;
      pdb.addSettled(account, instrument.exchange, instrument.symbol, seed.quantity, Math.round(seed.quantity * average));
    }
    pdb.bumpVersion();
    pdb.noteMarketTime(now);
  });
  return accountSummary(pdb, { account, now, instruments: options.instruments, listed: options.listed });
}

/** Cash, holdings valued at the paper market's last prices, open orders and today's trades. */
export function accountSummary(
  pdb: PaperDb,
  options: { account?: string; now?: number; instruments?: readonly PaperInstrument[]; listed?: () => readonly PaperInstrument[]; stepMs?: number } = {},
): PaperAccountSummary {
  const account = options.account ?? DEFAULT_PAPER_ACCOUNT;
  const now = options.now ?? paperNow(pdb);
  const identity = ensurePaperState(pdb, { account, now });
  const row = pdb.account(account)!;
  const index = new InstrumentIndex(options.instruments ?? PAPER_UNIVERSE, options.listed);
  const market = new PaperMarket(pdb, {
    seed: identity.seed,
    stepMs: options.stepMs ?? 1_000,
    originTs: identity.originTs,
    spreadMultiplier: 1,
    impact: { temporary: 1, permanent: 1 },
    isOpen: () => true,
  });
  const holdings = pdb.holdings(account).map((h): PaperHoldingSummary => {
    const instrument = index.find(h.symbol, h.exchange);
    const lastPrice = instrument ? market.quote(instrument, now).last : undefined;
    const owned = h.quantity + h.t1Quantity;
    return {
      symbol: h.symbol,
      exchange: h.exchange,
      quantity: h.quantity,
      t1Quantity: h.t1Quantity,
      averagePrice: owned > 0 ? h.cost / owned : 0,
      lastPrice,
      value: lastPrice === undefined ? 0 : owned * lastPrice,
    };
  });
  const holdingsValue = holdings.reduce((sum, h) => sum + h.value, 0);
  const today = tradingDate(row.currency === 'INR' ? 'NSE' : 'NYSE', now);
  return {
    account,
    currency: row.currency,
    cash: row.cash,
    holdings,
    holdingsValue,
    totalValue: row.cash + holdingsValue,
    openOrders: pdb.openOrders(account).length,
    tradesToday: pdb.tradeCountOfDay(account, today),
    seed: identity.seed,
  };
}

/** The paper market's time now: the wall clock, unless the market has run ahead of it (`--speed`). */
function paperNow(pdb: PaperDb): number {
  return Math.max(Date.now(), pdb.marketTime() + 1);
}
