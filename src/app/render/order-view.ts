import { formatMinor } from '../../domain/money.js';
import type { Output } from '../../lib/output.js';
import type { recordedOrder } from '../record-service.js';
import { eventPayloadJson } from './event-json.js';
import { isoTime } from './json-contract.js';
import { fillJson, orderJson, shortTime } from './rows.js';

/** `ptexec orders show`: the order's line, then what happened to it. */
export function renderOrder(out: Output, { order, history }: ReturnType<typeof recordedOrder>): void {
  out.data(`${order.client_order_id}  ${order.side} ${order.quantity} ${order.exchange}:${order.symbol} ${order.type}${order.limit_price ? ` @ ${formatMinor(order.limit_price)}` : ''}  ${order.status}`);
  if (order.reason) out.paragraph(`reason: ${order.reason}`);
  out.data('');
  out.table(
    [{ header: 'recorded', priority: 1 }, { header: 'market time', priority: 2 }, { header: 'event', truncate: true, minWidth: 20 }],
    history.map((h) => [shortTime(h.ts), h.marketTs === undefined ? '-' : shortTime(h.marketTs), describe(h)]),
  );
}

export function orderDetailJson({ order, history, fills }: ReturnType<typeof recordedOrder>) {
  return {
    order: orderJson(order),
    history: history.map((h) => ({ seq: h.seq, time: isoTime(h.ts), market_time: isoTime(h.marketTs ?? null), type: h.type, payload: eventPayloadJson(h) })),
    fills: fills.map(fillJson),
  };
}

function describe(e: ReturnType<typeof recordedOrder>['history'][number]): string {
  switch (e.type) {
    case 'order.created':
      return `created (${e.payload.type}, ${e.payload.quantity})`;
    case 'fill.recorded':
      return `fill ${e.payload.quantity} @ ${formatMinor(e.payload.price)} (trade ${e.payload.tradeId})`;
    case 'order.status':
      return `${e.payload.from} → ${e.payload.to}${e.payload.reason ? ` (${e.payload.reason})` : ''}`;
  }
}
