import * as Args from '@oclif/core/args';
import { eventPayloadJson } from '../../app/render/event-json.js';
import { isoTime } from '../../app/render/json-contract.js';
import { fillJson, orderJson, shortTime } from '../../app/render/rows.js';
import { formatMinor } from '../../domain/money.js';
import { listFills, orderHistory } from '../../store/queries.js';
import { orderNamed } from '../../app/named-inputs.js';
import { BaseCommand } from '../base-command.js';

export default class OrdersShow extends BaseCommand {
  static override summary = 'Show one order: its status history and fills.';
  static override examples = [
    `<%= config.bin %> orders show $(ptexec orders --json | jq -r '.orders[0].client_order_id')`,
  ];
  static override args = { id: Args.string({ ignoreStdin: true, description: 'client order id or broker order id', required: true }) };

  async run(): Promise<unknown> {
    const { args } = await this.parse(OrdersShow);
    const store = this.store();
    const order = orderNamed(store, args.id);
    const history = orderHistory(store, order.client_order_id);
    const fills = listFills(store, { clientOrderId: order.client_order_id });
    if (!this.jsonEnabled()) {
      this.out.data(`${order.client_order_id}  ${order.side} ${order.quantity} ${order.exchange}:${order.symbol} ${order.type}${order.limit_price ? ` @ ${formatMinor(order.limit_price)}` : ''}  ${order.status}`);
      if (order.reason) this.out.paragraph(`reason: ${order.reason}`);
      this.out.data('');
      this.out.table(
        [{ header: 'recorded', priority: 1 }, { header: 'market time', priority: 2 }, { header: 'event', truncate: true, minWidth: 20 }],
        history.map((h) => [shortTime(h.ts), h.marketTs === undefined ? '-' : shortTime(h.marketTs), describe(h)]),
      );
    }
    return {
      order: orderJson(order),
      history: history.map((h) => ({ seq: h.seq, time: isoTime(h.ts), market_time: isoTime(h.marketTs ?? null), type: h.type, payload: eventPayloadJson(h) })),
      fills: fills.map(fillJson),
    };
  }
}

function describe(e: ReturnType<typeof orderHistory>[number]): string {
  switch (e.type) {
    case 'order.created':
      return `created (${e.payload.type}, ${e.payload.quantity})`;
    case 'fill.recorded':
      return `fill ${e.payload.quantity} @ ${formatMinor(e.payload.price)} (trade ${e.payload.tradeId})`;
    case 'order.status':
      return `${e.payload.from} → ${e.payload.to}${e.payload.reason ? ` (${e.payload.reason})` : ''}`;
  }
}
