import { PAPER_BROKER_ID, paperAccountSummary, resetPaperAccount, type PaperAccountSummary, type PaperHoldingSeed } from '../brokers/paper/index.js';
import { InvalidInputError } from '../domain/errors/invalid-input-error.js';
import { toMinor } from '../domain/money.js';
import { paperAccountOf } from './accounts/paper-account-alias.js';
import { confirmDestructive } from './confirm.js';
import type { Factory } from './factory.js';
import { listedInstruments } from './loaders/paper-universe.js';

export interface PaperResetRequest {
  /** Starting cash in the account currency, as typed. */
  cash?: string;
  currency: 'INR' | 'USD';
  /** Settled holdings, `SYMBOL=QUANTITY[@AVGCOST]` as typed. */
  holdings: readonly string[];
  reseed?: number;
  yes: boolean;
  /** A configured paper account's alias (`--account`); else the paper broker's default account. */
  account?: string;
}

/** `ptexec paper show`: the paper account's (or the account `account` names) cash, holdings and open orders. */
export function paperAccount(f: Factory, account?: string): PaperAccountSummary {
  return paperAccountSummary(f.store().brokerTables(PAPER_BROKER_ID), { listed: () => listedInstruments(f.env), ...(account === undefined ? {} : { account }) });
}

/** `ptexec paper show --account <alias>`: a configured paper account. */
export async function configuredPaperAccount(f: Factory, alias: string): Promise<PaperAccountSummary> {
  return paperAccount(f, await paperAccountOf(f, alias));
}

/**
 * `ptexec paper reset`: the paper account starts again, after a confirmation (paper money is
 * simulated, so without a terminal it goes ahead and says so). Undefined when the user said no.
 */
export async function resetPaper(f: Factory, request: PaperResetRequest): Promise<PaperAccountSummary | undefined> {
  let cash: number | undefined;
  if (request.cash !== undefined) {
    const n = Number(request.cash);
    if (!Number.isFinite(n) || n < 0 || n > 1e13) throw new InvalidInputError(`--cash ${request.cash} is not a valid amount`, 'give a non-negative number, e.g. --cash 10000000');
    cash = toMinor(n);
  }
  const holdings = request.holdings.map(parseHolding);
  const account = request.account === undefined ? undefined : await paperAccountOf(f, request.account);
  const go = await confirmDestructive({
    question: `Reset the paper account${account === undefined ? '' : ` ${account} (${request.account})`}? Its orders, trades and holdings are discarded.`,
    yes: request.yes,
    // Paper money is simulated: scripts and tests reset it without a terminal.
    withoutTerminal: 'proceed',
    unattended: 'resetting the paper account (simulated money)',
    io: f.io,
  });
  if (!go) return undefined;
  return resetPaperAccount(f.store().brokerTables(PAPER_BROKER_ID), { cash, currency: request.currency, holdings, reseedMarket: request.reseed, listed: () => listedInstruments(f.env), ...(account === undefined ? {} : { account }) });
}

function parseHolding(text: string): PaperHoldingSeed {
  const m = /^([A-Za-z0-9&._-]+)(?::([A-Za-z]+))?=(\d+)(?:@(\d+(?:\.\d+)?))?$/.exec(text.trim());
  if (!m) throw new InvalidInputError(`--holding ${text} is not SYMBOL=QUANTITY`, 'write it like --holding RELIANCE=100 or --holding TCS=40@3100.50');
  const [, symbol, exchange, qty, avg] = m;
  return {
    symbol: symbol!.toUpperCase(),
    exchange: exchange ? (exchange.toUpperCase() as PaperHoldingSeed['exchange']) : undefined,
    quantity: Number(qty),
    averagePrice: avg === undefined ? undefined : toMinor(Number(avg)),
  };
}
