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
        history.map((h) => [shortTime(h.ts), h.market_ts === null ? '-' : shortTime(h.market_ts), describe(h.type, h.payload as Record<string, unknown>)]),
      );
    }
    return {
      order: orderJson(order),
      history: history.map((h) => ({ seq: h.seq, time: isoTime(h.ts), market_time: isoTime(h.market_ts), type: h.type, payload: eventPayloadJson(h.type, h.payload) })),
      fills: fills.map(fillJson),
    };
  }
}

function describe(type: string, p: Record<string, unknown>): string {
  if (type === 'order.created') return `created (${String(p['type'])}, ${String(p['quantity'])})`;
  if (type === 'fill.recorded') return `fill ${String(p['quantity'])} @ ${formatMinor(Number(p['price']))} (trade ${String(p['tradeId'])})`;
  return `${String(p['from'])} → ${String(p['to'])}${p['reason'] ? ` (${String(p['reason'])})` : ''}`;
}
