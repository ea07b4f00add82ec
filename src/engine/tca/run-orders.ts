import { fillAdvancesLeg, type RecordedFill } from '../../domain/fill.js';
import { isTerminal, type OrderStatus } from '../../domain/order.js';
import type { Side } from '../../domain/side.js';
import { currencyOf, tradeKey } from '../ledger/records.js';
import type { TcaOrder } from './types.js';

/** The order rows TCA reads (the `orders` projection). */
export interface RunOrder {
  clientOrderId: string;
  runId: string | null;
  parentId: string | null;
  leg: number;
  broker: string;
  symbol: string;
  exchange: string;
  side: Side;
  quantity: number;
  algo: string | null;
  status: string;
  arrivalPrice: number | null;
  decisionPrice: number | null;
  /** Market times of the order's start and last change (market samples and fills are in market time too). */
  marketCreatedAt: number;
  marketUpdatedAt: number;
}

/** The fills TCA reads. */
export type RunFill = Pick<RecordedFill, 'broker' | 'tradeId' | 'clientOrderId' | 'quantity' | 'price' | 'ts'>;

/**
 * Turns a run's orders and fills into one TCA order per leg: the leg's parent order (the row
 * with no parent) gives S, P_d, P_0, the algorithm and the start; its children's fills are the
 * executions. The leg ends when the parent reaches a terminal status, else at its last fill.
 */
export function legsOfRun(orders: readonly RunOrder[], fills: readonly RunFill[], charges: ReadonlyMap<string, number>): TcaOrder[] {
  const byId = new Map<string, RunOrder>();
  for (const o of orders) byId.set(o.clientOrderId, o);
  // Legs by run, then by leg index: no key string is built per order or fill.
  const legs = new Map<string, Map<number, { parent: RunOrder; fills: RunFill[] }>>();
  const legsOf = (o: RunOrder) => {
    const run = o.runId ?? '';
    let byLeg = legs.get(run);
    if (!byLeg) legs.set(run, (byLeg = new Map()));
    return byLeg;
  };
  for (const o of orders) {
    const byLeg = legsOf(o);
    if (o.parentId === null && !byLeg.has(o.leg)) byLeg.set(o.leg, { parent: o, fills: [] });
  }
  // A leg recorded without a parent row: its first order stands in for the parent.
  for (const o of orders) {
    const byLeg = legsOf(o);
    if (!byLeg.has(o.leg)) byLeg.set(o.leg, { parent: o, fills: [] });
  }

  for (const f of fills) {
    const child = byId.get(f.clientOrderId);
    if (!child) continue;
    const parent = child.parentId ? byId.get(child.parentId) : undefined;
    // A bracket's exits are not the leg's execution.
    if (parent && !fillAdvancesLeg(parent.side, child.side)) continue;
    const owner = parent ?? child;
    legs.get(owner.runId ?? '')!.get(owner.leg)!.fills.push(f);
  }

  const result: TcaOrder[] = [];
  for (const byLeg of legs.values()) for (const { parent: p, fills: list } of byLeg.values()) {
    list.sort((a, b) => a.ts - b.ts);
    const lastFill = list.length ? list[list.length - 1]!.ts : undefined;
    const terminal = isTerminal(p.status as OrderStatus);
    result.push({
      id: p.clientOrderId,
      runId: p.runId ?? undefined,
      leg: p.leg,
      symbol: p.symbol,
      exchange: p.exchange,
      side: p.side,
      quantity: p.quantity,
      decisionPrice: p.decisionPrice ?? undefined,
      arrivalPrice: p.arrivalPrice ?? undefined,
      algo: p.algo ?? undefined,
      broker: p.broker,
      currency: currencyOf(p.exchange),
      startTs: p.marketCreatedAt,
      endTs: terminal ? Math.max(p.marketUpdatedAt, lastFill ?? p.marketUpdatedAt) : (lastFill ?? p.marketCreatedAt),
      fills: list.map((f) => ({ quantity: f.quantity, price: f.price, ts: f.ts, charges: charges.get(tradeKey(f.broker, f.tradeId)) ?? 0 })),
    });
  }
  return result.sort((a, b) => (a.runId === b.runId ? (a.leg ?? 0) - (b.leg ?? 0) : (a.runId ?? '').localeCompare(b.runId ?? '')));
}
