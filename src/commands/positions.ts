import * as Flags from '@oclif/core/flags';
import { clockFor } from '../app/clock-for.js';
import { chooseBroker, openBroker } from '../app/open-broker.js';
import { positionsJson, renderPositions } from '../app/render/positions-view.js';
import { instrumentKey } from '../domain/instrument.js';
import { ownedInstruments } from '../domain/ownership.js';
import { loadConfig } from '../lib/config.js';
import { BaseCommand } from './base-command.js';

export default class Positions extends BaseCommand {
  static override summary = 'Show the holdings and cash the broker reports now.';
  static override description = "Takes a snapshot of the account from the broker: settled and T+1 quantities, today's delivery trades where the broker shows them only as positions (Zerodha), average cost, last price, value and unrealised P&L, and cash.";
  static override examples = ['<%= config.bin %> positions', '<%= config.bin %> positions --json'];
  static override flags = {
    broker: Flags.string({ char: 'b', description: 'broker (default: default_broker in config, then paper)' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Positions);
    const config = loadConfig();
    const id = chooseBroker(flags.broker, undefined, config);
    const { clock } = clockFor(id, undefined, this.store());
    const broker = await openBroker(id, { store: this.store(), clock, config });
    try {
      const [holdings, positions, funds] = await Promise.all([broker.holdings(), broker.positions(), broker.funds()]);
      const owned = ownedInstruments({ holdings, positions, holdingsIncludeTodaysTrades: broker.capabilities.holdingsIncludeTodaysTrades });
      const quotes = owned.size ? await broker.quotes([...owned.values()].map((o) => ({ symbol: o.symbol, exchange: o.exchange }))) : [];
      const last = new Map(quotes.map((q) => [instrumentKey(q.exchange, q.symbol), q.last]));
      const rows = [...owned].map(([key, o]) => {
        const price = last.get(key) ?? o.lastPrice ?? o.averagePrice;
        const value = Math.round(o.quantity * price);
        const pnl = Math.round(o.quantity * (price - o.averagePrice));
        return { o, price, value, pnl };
      });
      const invested = rows.reduce((s, r) => s + r.value, 0);
      const account = { broker: broker.id, account: broker.account, lines: rows, cash: funds.available, currency: funds.currency, invested };
      if (!this.jsonEnabled()) renderPositions(this.out, account);
      return positionsJson(account);
    } finally {
      await broker.close();
    }
  }
}
