import { groupBy } from '../../domain/group-by.js';
import type { Factory } from '../factory.js';
import { accountPositions } from '../positions-service.js';
import type { AccountView } from '../render/positions-view.js';
import { readEachAccount, type AcrossAccounts } from './account-section.js';
import type { SelectedAccounts } from './account-selection.js';

/** One instrument held across accounts of one currency. */
export interface ConsolidatedHolding {
  exchange: string;
  symbol: string;
  quantity: number;
  value: number;
  unrealised: number;
  /** Aliases of the accounts that hold it, in config order. */
  accounts: string[];
}

/** The accounts of one currency added up (minor units). */
export interface PositionsTotal {
  currency: string;
  accounts: string[];
  cash: number;
  invested: number;
  unrealised: number;
  holdings: ConsolidatedHolding[];
}

/**
 * `positions --account/--accounts`: each account's snapshot as `positions` takes it (its broker
 * opened as that account), then each currency's cash, holdings and unrealised P&L added up, and
 * every instrument's quantity over the accounts that hold it.
 */
export async function positionsAcrossAccounts(f: Factory, selected: SelectedAccounts): Promise<AcrossAccounts<AccountView, PositionsTotal>> {
  const sections = await readEachAccount(f, selected.definitions, (d) => accountPositions(f, d.broker, d.account));
  const consolidated = [...groupBy(sections, (s) => s.result.currency).entries()].map(([currency, list]): PositionsTotal => {
    const lines = list.flatMap((s) => s.result.lines.map((line) => ({ alias: s.alias, line })));
    const holdings = [...groupBy(lines, (l) => `${l.line.o.exchange}:${l.line.o.symbol}`).values()].map((same): ConsolidatedHolding => ({
      exchange: same[0]!.line.o.exchange,
      symbol: same[0]!.line.o.symbol,
      quantity: same.reduce((n, l) => n + l.line.o.quantity, 0),
      value: same.reduce((n, l) => n + l.line.value, 0),
      unrealised: same.reduce((n, l) => n + l.line.pnl, 0),
      accounts: [...new Set(same.map((l) => l.alias))],
    }));
    holdings.sort((a, b) => a.exchange.localeCompare(b.exchange) || a.symbol.localeCompare(b.symbol));
    return {
      currency,
      accounts: list.map((s) => s.alias),
      cash: list.reduce((n, s) => n + s.result.cash, 0),
      invested: list.reduce((n, s) => n + s.result.invested, 0),
      unrealised: holdings.reduce((n, h) => n + h.unrealised, 0),
      holdings,
    };
  });
  return { single: selected.single, sections, consolidated };
}
