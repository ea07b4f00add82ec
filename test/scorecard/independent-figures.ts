import type { StoredEvent } from '../../src/domain/events/index.js';
import { connectionOf } from '../../src/store/connection.js';
import type { Store } from '../../src/store/store.js';

/** What a broker account's scorecard should say, counted straight from the event log (and the contract notes for charges). */
export interface Expected {
  legs: number;
  runs: number;
  ordered: number;
  filled: number;
  sent: number;
  rejected: number;
  cancelled: number;
  cancelledOnRequest: number;
  unknown: number;
  latency: { measured: number; p50Ms: number | null; p95Ms: number | null };
  currencies: Map<string, { tradedValue: number; charges: number; slippageBps: number | null }>;
}

interface Order {
  id: string;
  parent?: string;
  key: string;
  runId: string;
  exchange: string;
  side: string;
  quantity: number;
  arrival?: number;
  status: string;
  sentAt?: number;
  ackAt?: number;
  wentUnknown: boolean;
  cancelAsked: boolean;
  fills: { quantity: number; price: number }[];
}

const currency = (exchange: string) => (exchange === 'NSE' || exchange === 'BSE' ? 'INR' : 'USD');

function replay(events: readonly StoredEvent[]): Map<string, Order> {
  const orders = new Map<string, Order>();
  for (const e of events) {
    if (e.type === 'order.created') {
      const p = e.payload;
      orders.set(p.clientOrderId, { id: p.clientOrderId, parent: p.parentId, key: `${p.broker}/${p.account}`, runId: e.runId!, exchange: p.exchange, side: p.side, quantity: p.quantity, arrival: p.arrivalPrice, status: 'created', wentUnknown: false, cancelAsked: false, fills: [] });
    } else if (e.type === 'order.status') {
      const o = orders.get(e.payload.clientOrderId)!;
      const { from, to } = e.payload;
      if (to === 'pending_submit' && o.sentAt === undefined) o.sentAt = e.ts;
      if (to === 'unknown') o.wentUnknown = true;
      if (to === 'pending_cancel') o.cancelAsked = true;
      if (from === 'pending_submit' && ['accepted', 'partially_filled', 'filled'].includes(to) && !o.wentUnknown && o.ackAt === undefined) o.ackAt = e.ts;
      o.status = to;
    } else if (e.type === 'fill.recorded') {
      orders.get(e.payload.clientOrderId)!.fills.push({ quantity: e.payload.quantity, price: e.payload.price });
    }
  }
  return orders;
}

function rank(sorted: number[], p: number): number | null {
  return sorted.length ? sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]! : null;
}

export function independentFigures(store: Store): Map<string, Expected> {
  const orders = replay(store.events());
  const result = new Map<string, Expected>();
  const slip = new Map<string, { cost: number; base: number }>();
  const of = (key: string) => {
    let x = result.get(key);
    if (!x) result.set(key, (x = { legs: 0, runs: 0, ordered: 0, filled: 0, sent: 0, rejected: 0, cancelled: 0, cancelledOnRequest: 0, unknown: 0, latency: { measured: 0, p50Ms: null, p95Ms: null }, currencies: new Map() }));
    return x;
  };
  const runs = new Map<string, Set<string>>();
  const latencies = new Map<string, number[]>();
  for (const o of orders.values()) {
    const x = of(o.key);
    const money = x.currencies.get(currency(o.exchange)) ?? { tradedValue: 0, charges: 0, slippageBps: null };
    x.currencies.set(currency(o.exchange), money);
    if (o.parent === undefined) {
      const children = [...orders.values()].filter((c) => c.parent === o.id);
      const filled = children.reduce((n, c) => n + c.fills.reduce((m, f) => m + f.quantity, 0), 0);
      const value = children.reduce((n, c) => n + c.fills.reduce((m, f) => m + f.quantity * f.price, 0), 0);
      x.legs += 1;
      x.ordered += o.quantity;
      x.filled += filled;
      runs.set(o.key, (runs.get(o.key) ?? new Set()).add(o.runId));
      if (filled > 0 && o.arrival) {
        const s = slip.get(`${o.key} ${currency(o.exchange)}`) ?? { cost: 0, base: 0 };
        s.cost += (o.side === 'buy' ? 1 : -1) * (value - filled * o.arrival);
        s.base += filled * o.arrival;
        slip.set(`${o.key} ${currency(o.exchange)}`, s);
      }
    } else {
      money.tradedValue += o.fills.reduce((m, f) => m + f.quantity * f.price, 0);
      if (o.sentAt === undefined) continue;
      x.sent += 1;
      if (o.status === 'rejected') x.rejected += 1;
      if (o.status === 'cancelled') x.cancelled += 1;
      if (o.status === 'cancelled' && o.cancelAsked) x.cancelledOnRequest += 1;
      if (o.wentUnknown) x.unknown += 1;
      if (o.ackAt !== undefined) latencies.set(o.key, [...(latencies.get(o.key) ?? []), o.ackAt - o.sentAt]);
    }
  }
  for (const [key, x] of result) {
    x.runs = runs.get(key)?.size ?? 0;
    const sorted = (latencies.get(key) ?? []).sort((a, b) => a - b);
    x.latency = { measured: sorted.length, p50Ms: rank(sorted, 50), p95Ms: rank(sorted, 95) };
    for (const [ccy, money] of x.currencies) {
      const s = slip.get(`${key} ${ccy}`);
      money.slippageBps = s && s.base > 0 ? (s.cost / s.base) * 10_000 : null;
    }
    x.currencies = new Map([...x.currencies].sort(([a], [b]) => a.localeCompare(b)));
  }
  // Charges: the contract notes' totals, a different table from the per-trade allocations the scorecard reads.
  const notes = connectionOf(store).prepare('SELECT broker, account, currency, SUM(total) AS total FROM charge_notes GROUP BY broker, account, currency').all() as { broker: string; account: string; currency: string; total: number }[];
  for (const n of notes) result.get(`${n.broker}/${n.account}`)!.currencies.get(n.currency)!.charges = n.total;
  return result;
}
