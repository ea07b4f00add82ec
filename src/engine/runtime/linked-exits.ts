import type { ExitRole } from '../../domain/events/index.js';
import { fillAdvancesLeg } from '../../domain/fill.js';
import { exitSide, STOP_LOSS_SUFFIX, TAKE_PROFIT_SUFFIX } from '../../domain/order-class.js';
import type { OrderRequest } from '../../domain/order.js';
import { isOpen, type ChildOrder, type ParentOrder } from './runtime-state.js';

/**
 * Exit legs of our linked orders (README "Order types"). The broker places them itself, under
 * `<id>TP` and `<id>SL`: a bracket's two exits once its entry fills, an OCO's stop-loss beside
 * the take-profit that carries our id. The runtime records each as a child order of the leg
 * when the broker first reports it; the intent (prices, class) was on disk with the entry.
 *
 * A bracket's exits trade the opposite side of the leg: they are *protective*. Their fills are
 * recorded (positions follow them) but do not count towards the leg, and the leg does not wait
 * for them: it ends once its entry has ended and the exits cover what the entry bought, leaving
 * them working at the broker. An OCO's stop-loss trades the leg's own side: its fills are the
 * leg's, like the take-profit's.
 */

/** The linked order an exit leg's client order id belongs to, and which exit it is. */
export function exitLegOf(clientOrderId: string | undefined, children: ReadonlyMap<string, ChildOrder>): { entry: ChildOrder; role: ExitRole } | undefined {
  if (!clientOrderId || clientOrderId.length <= 2) return undefined;
  const suffix = clientOrderId.slice(-2);
  const role: ExitRole | undefined = suffix === TAKE_PROFIT_SUFFIX ? 'take_profit' : suffix === STOP_LOSS_SUFFIX ? 'stop_loss' : undefined;
  if (!role) return undefined;
  const entry = children.get(clientOrderId.slice(0, -2));
  if (!entry?.request.orderClass) return undefined;
  // An OCO's take-profit is the entry itself (it carries our id): only its stop-loss is separate.
  if (entry.request.orderClass === 'oco' && role === 'take_profit') return undefined;
  return { entry, role };
}

/** The exit order as the entry's request defines it: side, type and prices come from our intent. */
export function exitRequest(entry: OrderRequest, role: ExitRole, clientOrderId: string, quantity: number): OrderRequest {
  const side = entry.orderClass === 'bracket' ? exitSide(entry.side) : entry.side;
  const base = { clientOrderId, symbol: entry.symbol, exchange: entry.exchange, side, quantity, timeInForce: 'day' as const, product: entry.product };
  if (role === 'take_profit') return { ...base, type: 'limit', limitPrice: entry.takeProfit!.limitPrice };
  const { triggerPrice, limitPrice } = entry.stopLoss!;
  return limitPrice === undefined ? { ...base, type: 'stop', triggerPrice } : { ...base, type: 'stop_limit', triggerPrice, limitPrice };
}

/** Whether a child's fills are the leg's: everything but a bracket's protective exits. */
export function countsForLeg(child: ChildOrder, parent: ParentOrder): boolean {
  return fillAdvancesLeg(parent.leg.side, child.request.side);
}

/** A bracket exit: it protects what the leg bought and is left working when the leg ends. */
export function isProtective(child: ChildOrder, parent: ParentOrder): boolean {
  return child.exitOf !== undefined && !countsForLeg(child, parent);
}

/**
 * Whether the leg must wait for its protection: a bracket entry filled some shares and its exits
 * have not yet been reported covering them. Once either exit has ended, the group is over.
 */
export function awaitingProtection(parent: ParentOrder): boolean {
  for (const entry of parent.children) {
    if (entry.request.orderClass !== 'bracket' || entry.filled === 0) continue;
    const exits = parent.children.filter((c) => c.exitOf === entry.clientOrderId);
    const tp = exits.find((c) => c.exitRole === 'take_profit');
    const sl = exits.find((c) => c.exitRole === 'stop_loss');
    if (!tp || !sl) return true;
    if (isOpen(tp.status) && isOpen(sl.status) && tp.request.quantity + sl.filled < entry.filled) return true;
  }
  return false;
}

/** The children the runtime may cancel: an exit goes with its group (the broker cancels it), protective ones stay. */
export function cancellable(child: ChildOrder, children: ReadonlyMap<string, ChildOrder>): boolean {
  if (child.exitOf === undefined) return true;
  const head = children.get(child.exitOf);
  return head !== undefined && head.request.orderClass === 'oco' && !isOpen(head.status);
}
