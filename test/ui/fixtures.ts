import { decodeEvent, type StoredEvent } from '../../src/domain/events/index.js';
import type { Leg } from '../../src/domain/plan.js';

/** Friday 20 Nov 2026, 09:30 IST. */
export const T0 = Date.UTC(2026, 10, 20, 4, 0, 0);

/**
 * Builds stored events with increasing seq and explicit times, as the store would return them
 * (decoded as the store decodes the rows it reads).
 * `at` is the wall-clock time of recording; with a `market` clock, events of the run also carry
 * the market time the engine saw then (a simulated market runs ahead and faster).
 */
export class EventLog {
  readonly events: StoredEvent[] = [];
  private seq = 0;

  constructor(
    readonly runId = 'r-20261120-ab12',
    private readonly market?: (wall: number) => number,
  ) {}

  add(type: string, payload: unknown, at: number, runId: string | null = this.runId): StoredEvent {
    const marketTs = this.market && runId !== null ? this.market(at) : undefined;
    const event = decodeEvent({ seq: ++this.seq, runId, ts: at, marketTs, type, payload });
    this.events.push(event);
    return event;
  }

  /** The market time at wall-clock time `at` (the same time without a market clock). */
  marketAt(at: number): number {
    return this.market ? this.market(at) : at;
  }

  /** Events from `from` (exclusive seq) on. */
  after(seq: number): StoredEvent[] {
    return this.events.filter((e) => e.seq > seq);
  }
}

export function leg(index: number, symbol: string, side: 'buy' | 'sell', quantity: number, decisionPrice: number, algo = 'twap', params: Record<string, string | number | boolean> = { duration: '30m' }): Leg {
  return {
    index,
    symbol,
    exchange: 'NSE',
    side,
    quantity,
    current: side === 'buy' ? 0 : quantity,
    target: side === 'buy' ? quantity : 0,
    decisionPrice,
    estimatedPrice: decisionPrice,
    estimatedValue: quantity * decisionPrice,
    execution: { algo, orderType: 'limit', params },
    notes: [],
  };
}

export const LEGS: Leg[] = [leg(0, 'RELIANCE', 'buy', 100, 250_000), leg(1, 'INFY', 'sell', 200, 150_000), leg(2, 'TCS', 'buy', 50, 400_000, 'vwap')];

/** A run created and planned with three legs, not started. */
export function plannedRun(log = new EventLog(), options: Record<string, unknown> = {}): EventLog {
  log.add('run.created', { runId: log.runId, broker: 'paper', account: 'PAPER1', tradingDate: '2026-11-20', targetHash: 'h', source: 'portfolio.json', dryRun: false, options }, T0);
  log.add('run.planned', { legs: LEGS, skipped: [], notes: [], accountValue: 100_000_000, cashBefore: 50_000_000, currency: 'INR' }, T0 + 10);
  return log;
}

export function parent(log: EventLog, legIndex: number, symbol: string, side: 'buy' | 'sell', quantity: number, arrivalPrice: number, decisionPrice: number, at: number, algo = 'twap'): string {
  const id = `P${legIndex}`;
  log.add(
    'order.created',
    { clientOrderId: id, leg: legIndex, broker: 'paper', account: 'PAPER1', symbol, exchange: 'NSE', side, type: 'limit', quantity, timeInForce: 'day', product: 'delivery', algo, arrivalPrice, decisionPrice },
    at,
  );
  log.add('order.status', { clientOrderId: id, from: 'created', to: 'accepted' }, at);
  return id;
}

export function child(log: EventLog, parentId: string, n: number, legIndex: number, symbol: string, side: 'buy' | 'sell', quantity: number, at: number): string {
  const id = `${parentId}C${n}`;
  log.add('order.created', { clientOrderId: id, parentId, leg: legIndex, broker: 'paper', account: 'PAPER1', symbol, exchange: 'NSE', side, type: 'limit', quantity, timeInForce: 'day', product: 'delivery' }, at);
  log.add('order.status', { clientOrderId: id, from: 'created', to: 'accepted', brokerOrderId: `B${id}` }, at);
  return id;
}

export function fill(log: EventLog, clientOrderId: string, tradeId: string, symbol: string, side: 'buy' | 'sell', quantity: number, price: number, at: number): StoredEvent {
  return log.add('fill.recorded', { clientOrderId, tradeId, brokerOrderId: `B${clientOrderId}`, broker: 'paper', account: 'PAPER1', symbol, exchange: 'NSE', side, quantity, price, ts: log.marketAt(at) }, at);
}

export function sample(log: EventLog, symbol: string, bid: number, ask: number, volume: number, at: number): StoredEvent {
  return log.add('market.sampled', { symbol, exchange: 'NSE', ts: log.marketAt(at), bid, ask, last: bid, volume }, at);
}

/**
 * A run in progress: RELIANCE 60/100 bought above arrival (a cost), INFY 200/200 sold and done,
 * TCS not started; one child rejected with a reason.
 */
export function partialRun(log = plannedRun()): EventLog {
  log.add('run.status', { status: 'running' }, T0 + 1_000);
  const p0 = parent(log, 0, 'RELIANCE', 'buy', 100, 250_000, 249_900, T0 + 1_000);
  sample(log, 'RELIANCE', 249_950, 250_050, 1_000_000, T0 + 1_000);
  const c0 = child(log, p0, 1, 0, 'RELIANCE', 'buy', 60, T0 + 2_000);
  fill(log, c0, 't1', 'RELIANCE', 'buy', 20, 250_100, T0 + 3_000);
  fill(log, c0, 't2', 'RELIANCE', 'buy', 40, 250_200, T0 + 4_000);
  log.add('order.status', { clientOrderId: c0, from: 'accepted', to: 'filled' }, T0 + 4_000);
  sample(log, 'RELIANCE', 250_150, 250_250, 1_000_600, T0 + 5_000);
  const p1 = parent(log, 1, 'INFY', 'sell', 200, 150_000, 150_000, T0 + 1_000);
  const c1 = child(log, p1, 1, 1, 'INFY', 'sell', 200, T0 + 2_000);
  fill(log, c1, 't3', 'INFY', 'sell', 200, 149_850, T0 + 6_000);
  log.add('order.status', { clientOrderId: c1, from: 'accepted', to: 'filled' }, T0 + 6_000);
  log.add('order.status', { clientOrderId: p1, from: 'accepted', to: 'filled' }, T0 + 6_000);
  const c2 = child(log, p0, 2, 0, 'RELIANCE', 'buy', 40, T0 + 7_000);
  log.add('order.status', { clientOrderId: c2, from: 'accepted', to: 'rejected', reason: 'price outside the circuit band' }, T0 + 8_000);
  child(log, p0, 3, 0, 'RELIANCE', 'buy', 40, T0 + 9_000);
  return log;
}

/** How far the simulated market of {@link simulatedRun} is ahead: three days, the Monday after T0. */
export const AHEAD = 3 * 86_400_000;

/**
 * The partial run as a paper run at `--speed 60` records it: its market clock starts three days
 * ahead of the wall clock and runs 60 times faster.
 */
export function simulatedRun(): EventLog {
  return partialRun(plannedRun(new EventLog(undefined, (wall) => T0 + AHEAD + (wall - T0) * 60), { speed: '60' }));
}
