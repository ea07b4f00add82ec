import * as Flags from '@oclif/core/flags';
import { recordedOrders } from '../../app/record-service.js';
import { moreMatched, renderOrders } from '../../app/render/query-tables.js';
import { orderJson } from '../../app/render/rows.js';
import { ORDER_STATUSES } from '../../domain/order.js';
import { BaseCommand } from '../base-command.js';

export default class OrdersList extends BaseCommand {
  static override summary = 'List orders sent to brokers, with filters.';
  static override aliases = ['orders:list'];
  static override examples = [
    '<%= config.bin %> orders',
    '<%= config.bin %> orders --parents',
    '<%= config.bin %> orders --status rejected --json',
    '<%= config.bin %> orders --symbol INFY',
  ];
  static override flags = {
    run: Flags.string({ description: 'only orders of this run' }),
    status: Flags.string({ description: 'only orders with this status', options: [...ORDER_STATUSES] }),
    symbol: Flags.string({ description: 'only orders for this symbol' }),
    parents: Flags.boolean({ description: 'show parent (leg) orders instead of the orders sent to the broker' }),
    limit: Flags.integer({ description: 'at most this many orders', default: 200, min: 1 }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(OrdersList);
    const { rows: orders, more } = recordedOrders(this.factory, flags);
    if (!this.jsonEnabled()) {
      if (!orders.length) this.out.info('no matching orders');
      else renderOrders(this.out, orders);
      if (more) this.out.info(moreMatched(`the first ${orders.length} orders`, '--run, --status or --symbol'));
    }
    return { orders: orders.map(orderJson), more };
  }
}
