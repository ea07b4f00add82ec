import * as Args from '@oclif/core/args';
import { recordedOrder } from '../../app/record-service.js';
import { orderDetailJson, renderOrder } from '../../app/render/order-view.js';
import { BaseCommand } from '../base-command.js';

export default class OrdersShow extends BaseCommand {
  static override summary = 'Show one order: its status history and fills.';
  static override examples = [
    `<%= config.bin %> orders show $(ptexec orders --json | jq -r '.orders[0].client_order_id')`,
  ];
  static override args = { id: Args.string({ ignoreStdin: true, description: 'client order id or broker order id', required: true }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(OrdersShow);
    const order = recordedOrder(this.factory, args.id);
    if (!this.jsonEnabled()) renderOrder(this.out, order);
    return orderDetailJson(order);
  }
}
