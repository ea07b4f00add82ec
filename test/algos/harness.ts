import type { Instrument, Quote } from '../../src/domain/instrument.js';
import type { ExecutionSpec, Leg } from '../../src/domain/plan.js';
import type { Side } from '../../src/domain/side.js';
import type { AlgoDecision, AlgorithmContext, ChildIntent, ChildView, ExecutionAlgorithm, ParentState } from '../../src/engine/algos/algorithm.js';
import { algorithms } from '../../src/engine/algos/index.js';

/** 2026-01-05 09:15 IST, the NSE open on a Monday. */
export const NSE_OPEN = Date.UTC(2026, 0, 5, 3, 45);

export function instrument(overrides: Partial<Instrument> = {}): Instrument {
  return { symbol: 'INFY', exchange: 'NSE', name: 'Infosys', currency: 'INR', tickSize: 5, lotSize: 1, adv: 5_000_000, volatility: 0.25, ...overrides };
}

export function quote(overrides: Partial<Quote> = {}): Quote {
  return { symbol: 'INFY', exchange: 'NSE', bid: 150_000, ask: 150_050, last: 150_025, volume: 0, ts: NSE_OPEN, ...overrides };
}

export function leg(quantity: number, overrides: Partial<Leg> = {}): Leg {
  return {
    index: 0,
    symbol: 'INFY',
    exchange: 'NSE',
    side: 'buy',
    quantity,
    current: 0,
    target: quantity,
    decisionPrice: 150_025,
    estimatedPrice: 150_025,
    estimatedValue: quantity * 150_025,
    execution: { algo: 'twap', orderType: 'limit', params: {} },
    notes: [],
    ...overrides,
  };
}

export interface PlacedChild extends ChildView {
  intent: ChildIntent;
  live: boolean;
  cancelRequested: boolean;
}

export interface SimulationOptions {
  algo: string;
  params?: ExecutionSpec['params'];
  quantity: number;
  side?: Side;
  limitPrice?: number;
  instrument?: Instrument;
  start?: number;
  volumeProfile?: number[];
  /** Fraction of child number `n` (0-based) that fills, one fill 1 s after it is placed. Default 1. */
  fillRatio?: (n: number, child: PlacedChild) => number;
  /** Volume traded by everyone else since the start, at a time. Default 0. */
  othersVolume?: (now: number) => number;
  quote?: (now: number) => Quote;
  /** Stop after this clock time even if not done. */
  until?: number;
}

export interface SimulationResult {
  filled: number;
  done: boolean;
  doneAt?: number;
  children: PlacedChild[];
  decisions: { at: number; reason: ParentState['reason']; decision: AlgoDecision }[];
}

type SimEventBody = { kind: 'timer' } | { kind: 'fill'; id: string; quantity: number } | { kind: 'cancelled'; id: string };
type SimEvent = { at: number; seq: number } & SimEventBody;

const FILL_LATENCY_MS = 1_000;
const CANCEL_LATENCY_MS = 500;

/**
 * A minimal stand-in for the runtime: it calls `decide` on start, on timers, on fills and when a
 * child ends, applies the decisions, and fails the test on any decision the real runtime would
 * have to refuse (more than the remaining quantity, off-lot sizes, off-tick prices, cancelling an
 * unknown child). Fills arrive 1 s after a child is placed, cancels are confirmed after 0.5 s.
 */
export function simulate(opts: SimulationOptions): SimulationResult {
  const inst = opts.instrument ?? instrument();
  const start = opts.start ?? NSE_OPEN;
  const theLeg = leg(opts.quantity, { side: opts.side ?? 'buy', ...(opts.limitPrice !== undefined ? { limitPrice: opts.limitPrice } : {}) });
  const spec: ExecutionSpec = { algo: opts.algo, orderType: 'limit', params: opts.params ?? {} };
  const ctx: AlgorithmContext = { leg: theLeg, instrument: inst, startAt: start, ...(opts.volumeProfile ? { volumeProfile: opts.volumeProfile } : {}) };
  const factory = algorithms[opts.algo];
  if (!factory) throw new Error(`no algorithm ${opts.algo}`);
  const algo: ExecutionAlgorithm = factory(spec, ctx);
  const quoteAt = opts.quote ?? (() => quote());
  const arrival = quoteAt(start);
  const arrivalPrice = (arrival.bid + arrival.ask) / 2;

  const children: PlacedChild[] = [];
  const byId = new Map<string, PlacedChild>();
  const events: SimEvent[] = [];
  const decisions: SimulationResult['decisions'] = [];
  let seq = 0;
  let filled = 0;
  let timer: number | undefined;
  let done = false;
  let doneAt: number | undefined;

  const push = (e: { at: number } & SimEventBody) => {
    events.push({ ...e, seq: seq++ });
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
  };
  const working = () => children.reduce((sum, c) => sum + (c.live ? c.quantity - c.filled : 0), 0);

  const call = (now: number, reason: ParentState['reason']) => {
    if (done) return;
    const state: ParentState = {
      parentId: 'run1-leg0',
      leg: theLeg,
      instrument: inst,
      quantity: opts.quantity,
      filled,
      working: working(),
      openChildren: children.filter((c) => c.live).map(({ clientOrderId, quantity, filled: f, type, limitPrice, placedAt }) => ({ clientOrderId, quantity, filled: f, type, limitPrice, placedAt })),
      startedAt: start,
      now,
      reason,
    };
    const decision = algo.decide(state, { quote: quoteAt(now), marketVolumeSinceStart: (opts.othersVolume?.(now) ?? 0) + filled, arrivalPrice });
    decisions.push({ at: now, reason, decision });
    for (const id of decision.cancel ?? []) {
      const child = byId.get(id);
      if (!child) throw new Error(`cancel of unknown child ${id}`);
      if (child.live && !child.cancelRequested) {
        child.cancelRequested = true;
        push({ at: now + CANCEL_LATENCY_MS, kind: 'cancelled', id });
      }
    }
    const placing = (decision.place ?? []).reduce((s, c) => s + c.quantity, 0);
    if (placing > opts.quantity - filled - working()) {
      throw new Error(`asked for ${placing} with only ${opts.quantity - filled - working()} remaining at ${new Date(now).toISOString()}`);
    }
    for (const intent of decision.place ?? []) {
      if (!Number.isInteger(intent.quantity) || intent.quantity <= 0) throw new Error(`bad child quantity ${intent.quantity}`);
      if (intent.quantity % inst.lotSize !== 0 && intent.quantity !== opts.quantity - filled - working()) throw new Error(`child ${intent.quantity} is not in lots of ${inst.lotSize}`);
      if (intent.limitPrice !== undefined && intent.limitPrice % inst.tickSize !== 0) throw new Error(`limit ${intent.limitPrice} is off the tick ${inst.tickSize}`);
      const child: PlacedChild = {
        clientOrderId: `c${children.length}`,
        quantity: intent.quantity,
        filled: 0,
        type: intent.type,
        ...(intent.limitPrice !== undefined ? { limitPrice: intent.limitPrice } : {}),
        placedAt: now,
        intent,
        live: true,
        cancelRequested: false,
      };
      const ratio = opts.fillRatio?.(children.length, child) ?? 1;
      children.push(child);
      byId.set(child.clientOrderId, child);
      const fillQty = Math.floor((child.quantity * ratio) / inst.lotSize) * inst.lotSize;
      if (fillQty > 0) push({ at: now + FILL_LATENCY_MS, kind: 'fill', id: child.clientOrderId, quantity: fillQty });
      else if (intent.timeInForce === 'ioc') push({ at: now + FILL_LATENCY_MS, kind: 'cancelled', id: child.clientOrderId });
      if (fillQty > 0 && fillQty < child.quantity && intent.timeInForce === 'ioc') push({ at: now + FILL_LATENCY_MS, kind: 'cancelled', id: child.clientOrderId });
    }
    if (decision.done) {
      done = true;
      doneAt = now;
    }
    timer = decision.wakeAt;
    if (timer !== undefined && timer < now) throw new Error('wakeAt in the past');
    if (timer !== undefined) push({ at: timer, kind: 'timer' });
  };

  call(start, 'start');
  let steps = 0;
  // An algorithm that only looks at a market that no longer changes (an iceberg checking that its
  // resting slice is still at the touch) has nothing more to do: the simulation ends there.
  let idleLooks = 0;
  while (!done && events.length > 0) {
    if (++steps > 200_000) throw new Error('simulation did not finish');
    const e = events.shift()!;
    if (opts.until !== undefined && e.at > opts.until) break;
    if (e.kind === 'timer') {
      // Only the latest timer counts: each decision replaces the previous one.
      if (e.at !== timer) continue;
      timer = undefined;
      const before = decisions.length;
      call(e.at, 'timer');
      const acted = decisions.slice(before).some(({ decision: d }) => d.place?.length || d.cancel?.length || d.done);
      idleLooks = acted || events.some((x) => x.kind !== 'timer') ? 0 : idleLooks + 1;
      if (idleLooks >= 1_000 && opts.quote === undefined) break;
    } else if (e.kind === 'fill') {
      const child = byId.get(e.id)!;
      if (!child.live) continue;
      child.filled += e.quantity;
      filled += e.quantity;
      if (child.filled >= child.quantity) child.live = false;
      call(e.at, 'fill');
      if (!child.live) call(e.at, 'child_done');
    } else {
      const child = byId.get(e.id)!;
      if (!child.live) continue;
      child.live = false;
      call(e.at, 'child_done');
    }
  }
  if (filled > opts.quantity) throw new Error(`overfilled: ${filled} > ${opts.quantity}`);
  return { filled, done, ...(doneAt !== undefined ? { doneAt } : {}), children, decisions };
}

/** The quantities of the children placed, in order. */
export function childQuantities(result: SimulationResult): number[] {
  return result.children.map((c) => c.quantity);
}
