import * as Flags from '@oclif/core/flags';
import { syncLeftWorking } from '../../app/orders-sync-service.js';
import { orderJson } from '../../app/render/rows.js';
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
    const { broker, account, runs, orders } = await syncLeftWorking(this.factory, flags.broker);
    if (!this.jsonEnabled()) {
      if (!runs.length) this.out.info(`no orders left working at ${broker} account ${account}`);
      else this.out.table(
          [{ header: 'order' }, { header: 'symbol' }, { header: 'side' }, { header: 'type', priority: 1 }, { header: 'quantity', align: 'right' }, { header: 'filled', align: 'right' }, { header: 'status' }],
          orders.map((o) => [o.client_order_id, o.symbol, o.side, o.type, o.quantity, o.filled_quantity, o.status]),
        );
    }
    return { broker, account, runs, orders: orders.map(orderJson) };
  }
}
