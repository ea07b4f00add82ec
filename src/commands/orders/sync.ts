import * as Flags from '@oclif/core/flags';
import { clockFor } from '../../app/clock-for.js';
import { catchUpLeftWorking } from '../../app/left-working.js';
import { chooseBroker, openBroker } from '../../app/open-broker.js';
import { orderJson } from '../../app/render/rows.js';
import { loadConfig } from '../../lib/config.js';
import { listOrders } from '../../store/queries.js';
import { BaseCommand } from '../base-command.js';

export default class OrdersSync extends BaseCommand {
  static override summary = 'Record what became of orders runs left working (bracket exits).';
  static override description = `A bracket leg ends once its entry has filled, leaving its take-profit and stop-loss working at the broker. This reads the broker's order and trade books and records what became of them: fills (once each, with their charges), cancels, expiries. It sends nothing; rebalance and reconcile do the same before they read the account.`;
  static override examples = [
    '<%= config.bin %> orders sync',
    '<%= config.bin %> orders sync --json',
  ];
  static override flags = {
    broker: Flags.string({ char: 'b', helpValue: 'NAME', description: 'broker whose orders are read (default: default_broker, else paper)' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(OrdersSync);
    const config = loadConfig();
    const store = this.store();
    const id = chooseBroker(flags.broker, undefined, config);
    const { clock } = clockFor(id, undefined, store);
    const broker = await openBroker(id, { store, clock, config });
    let runs: string[];
    try {
      runs = await catchUpLeftWorking(store, broker, clock, config);
    } finally {
      await broker.close();
    }
    const orders = runs.flatMap((runId) => listOrders(store, { runId, childrenOnly: true, limit: 10_000 }).filter((o) => o.link_group !== null));
    if (!this.jsonEnabled()) {
      if (!runs.length) this.out.info(`no orders left working at ${broker.id} account ${broker.account}`);
      else this.out.table(
          [{ header: 'order' }, { header: 'symbol' }, { header: 'side' }, { header: 'type', priority: 1 }, { header: 'quantity', align: 'right' }, { header: 'filled', align: 'right' }, { header: 'status' }],
          orders.map((o) => [o.client_order_id, o.symbol, o.side, o.type, o.quantity, o.filled_quantity, o.status]),
        );
    }
    return { broker: broker.id, account: broker.account, runs, orders: orders.map(orderJson) };
  }
}
