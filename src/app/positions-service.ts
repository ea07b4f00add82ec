import { instrumentKey } from '../domain/instrument.js';
import { ownedInstruments } from '../domain/ownership.js';
import type { Factory } from './factory.js';
import type { AccountView } from './render/positions-view.js';

/**
 * `ptexec positions`: what the broker says the account owns now, valued at the latest prices,
 * and its cash. `account` opens the broker as that account (a configured account's id).
 */
export async function accountPositions(f: Factory, brokerFlag?: string, account?: string): Promise<AccountView> {
  const broker = await f.broker(await f.chooseBroker(brokerFlag), account === undefined ? {} : { account });
  const [holdings, positions, funds] = await Promise.all([broker.holdings(), broker.positions(), broker.funds()]);
  const owned = ownedInstruments({ holdings, positions, holdingsIncludeTodaysTrades: broker.capabilities.holdingsIncludeTodaysTrades });
  const quotes = owned.size ? await broker.quotes([...owned.values()].map((o) => ({ symbol: o.symbol, exchange: o.exchange }))) : [];
  const last = new Map(quotes.map((q) => [instrumentKey(q.exchange, q.symbol), q.last]));
  const lines = [...owned].map(([key, o]) => {
    const price = last.get(key) ?? o.lastPrice ?? o.averagePrice;
    return { o, price, value: Math.round(o.quantity * price), pnl: Math.round(o.quantity * (price - o.averagePrice)) };
  });
  const invested = lines.reduce((s, r) => s + r.value, 0);
  return { broker: broker.id, account: broker.account, lines, cash: funds.available, currency: funds.currency, invested };
}
