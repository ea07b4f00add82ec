import * as Flags from '@oclif/core/flags';
import { clockFor } from '../app/clock-for.js';
import { chooseBroker, openBroker } from '../app/open-broker.js';
import { ownedQuantity } from '../domain/account.js';
import { instrumentKey } from '../domain/instrument.js';
import { formatMinor } from '../domain/money.js';
import { loadConfig } from '../lib/config.js';
import { BaseCommand } from './base-command.js';

export default class Positions extends BaseCommand {
  static override summary = 'Show the holdings and cash the broker reports now.';
  static override description = 'Takes a snapshot of the account from the broker: settled and T+1 quantities, average cost, last price, value and unrealised P&L, and cash.';
  static override examples = [
    '<%= config.bin %> positions',
    '<%= config.bin %> positions --json',
  ];
  static override flags = {
    broker: Flags.string({ char: 'b', description: 'broker (default: default_broker in config, then paper)' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Positions);
    const config = loadConfig();
    const id = chooseBroker(flags.broker, undefined, config);
    const { clock } = clockFor(id, undefined);
    const broker = await openBroker(id, { store: this.store(), clock, config });
    try {
      const [holdings, funds] = await Promise.all([broker.holdings(), broker.funds()]);
      const quotes = holdings.length ? await broker.quotes(holdings.map((h) => ({ symbol: h.symbol, exchange: h.exchange }))) : [];
      const last = new Map(quotes.map((q) => [instrumentKey(q.exchange, q.symbol), q.last]));
      const rows = holdings.map((h) => {
        const qty = ownedQuantity(h);
        const price = last.get(instrumentKey(h.exchange, h.symbol)) ?? h.lastPrice ?? h.averagePrice;
        const value = Math.round(qty * price);
        const pnl = Math.round(qty * (price - h.averagePrice));
        return { h, qty, price, value, pnl };
      });
      const invested = rows.reduce((s, r) => s + r.value, 0);
      if (!this.jsonEnabled()) {
        this.out.data(`${broker.id} account ${broker.account}`);
        if (rows.length)
          this.out.table(
            ['symbol', 'quantity', 'T+1', 'avg cost', 'last', 'value', 'unrealised P&L'],
            rows.map((r) => [`${r.h.exchange}:${r.h.symbol}`, r.h.quantity, r.h.t1Quantity, formatMinor(Math.round(r.h.averagePrice)), formatMinor(Math.round(r.price)), formatMinor(r.value), formatMinor(r.pnl)]),
            ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
          );
        else this.out.data('no holdings');
        this.out.data('');
        this.out.data(`cash ${formatMinor(funds.available)} ${funds.currency}; holdings ${formatMinor(invested)}; total ${formatMinor(funds.available + invested)}`);
      }
      return {
        broker: broker.id,
        account: broker.account,
        currency: funds.currency,
        cash: formatMinor(funds.available),
        holdings_value: formatMinor(invested),
        positions: rows.map((r) => ({
          symbol: r.h.symbol,
          exchange: r.h.exchange,
          quantity: r.h.quantity,
          t1_quantity: r.h.t1Quantity,
          owned_quantity: r.qty,
          average_price: formatMinor(Math.round(r.h.averagePrice)),
          last_price: formatMinor(Math.round(r.price)),
          value: formatMinor(r.value),
          unrealised_pnl: formatMinor(r.pnl),
        })),
      };
    } finally {
      await broker.close();
    }
  }
}
