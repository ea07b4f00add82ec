import { exhaustive, marketTimeOf, type OrderCreated, type OrderStatusChanged, type PayloadOf, type StoredEvent } from '../../domain/events/index.js';
import type { Fill } from '../../domain/fill.js';
import type { Instrument, InstrumentKey } from '../../domain/instrument.js';
import type { Leg } from '../../domain/plan.js';
import type { Broker } from '../../brokers/broker.js';
import { algorithms } from '../algos/index.js';
import { algorithmContext } from './algorithm-context.js';
import { parentOrderId } from '../identity.js';
import { cancelFailedReason } from './cancel-reasons.js';
import { countsForLeg } from './linked-exits.js';
import { horizonOf } from './parent-scheduler.js';
import { endPause, instrumentOf, newParent, type ChildOrder, type RunState } from './runtime-state.js';

export interface RebuildSetup {
  runId: string;
  instruments: ReadonlyMap<InstrumentKey, Instrument>;
  defaultHorizonMs: number;
  /** What the algorithms learn of the broker's market (profile, session). */
  broker?: Pick<Broker, 'tradingSession' | 'cumulativeVolumeProfile'>;
  /** The user's volume profiles (RuntimeOptions.volumeProfiles). */
  volumeProfiles?: ReadonlyMap<string, readonly number[]>;
}

/**
 * The run's state from its events, into `run`. Times are market times (the engine's clock,
 * simulated on the paper broker at --speed), so a resumed leg keeps its start, horizon and
 * schedule. Returns the sequence number of the last event (controls up to it were acted on).
 */
export function rebuildRun(run: RunState, events: StoredEvent[], legs: Leg[], setup: RebuildSetup): number {
  const legByIndex = new Map(legs.map((l) => [l.index, l]));
  let lastSeq = 0;
  for (const e of events) {
    lastSeq = Math.max(lastSeq, e.seq);
    const at = marketTimeOf(e);
    switch (e.type) {
      case 'order.created': {
        const p = e.payload;
        if (p.parentId) addChild(run, p, at);
        else addParent(run, p, legByIndex.get(p.leg)!, at, setup);
        break;
      }
      case 'order.status':
        applyStatus(run, e.payload);
        break;
      case 'fill.recorded':
        applyFill(run, e.payload);
        break;
      case 'order.resized': {
        const p = e.payload;
        const child = run.children.get(p.clientOrderId);
        if (child) child.request.quantity = p.to;
        break;
      }
      case 'market.sampled': {
        const p = e.payload;
        for (const parent of run.parents.values()) {
          if (parent.leg.symbol === p.symbol && parent.leg.exchange === p.exchange && parent.volumeAtStart < 0) parent.volumeAtStart = p.volume;
        }
        break;
      }
      case 'leg.paused': {
        const parent = run.parents.get(e.payload.clientOrderId);
        if (!parent) break;
        parent.paused = true;
        parent.pausedAt = at;
        break;
      }
      case 'leg.resumed': {
        const parent = run.parents.get(e.payload.clientOrderId);
        if (parent?.paused) endPause(parent, e.payload.pausedMs);
        break;
      }
      case 'run.control':
        applyControl(run, e.payload);
        break;
      // The run's own record, its checks and its post-trade bookings say nothing about its orders.
      case 'run.created':
      case 'run.planned':
      case 'run.status':
      case 'run.alert':
      // The breakers read their own trips (breaker-watch.ts).
      case 'run.breaker_tripped':
      // A failover's moved quantity is taken off the legs before they are rebuilt (takeOver).
      case 'run.failover':
      case 'risk.checked':
      case 'risk.halted':
      case 'risk.unhalted':
      case 'charges.booked':
      case 'settlement.scheduled':
      case 'settlement.resolved':
      case 'account.snapshot':
      case 'notification.sent':
      case 'notification.failed':
      case 'unknown':
        break;
      default:
        exhaustive(e);
    }
  }
  for (const parent of run.parents.values()) parent.volumeAtStart = Math.max(0, parent.volumeAtStart);
  const missing = legs.filter((l) => !run.parents.has(parentOrderId(setup.runId, l.index)));
  if (missing.length) throw new Error(`run ${setup.runId}: ${missing.length} leg(s) have no parent order; the run was not started properly`);
  return lastSeq;
}

function addParent(run: RunState, p: OrderCreated['payload'], leg: Leg, at: number, setup: RebuildSetup): void {
  const factory = algorithms[leg.execution.algo]!;
  const instrument = instrumentOf(setup.instruments, leg);
  run.parents.set(
    p.clientOrderId,
    newParent({
      parentId: p.clientOrderId,
      leg,
      instrument,
      algo: factory(leg.execution, algorithmContext(setup.broker, leg, instrument, at, setup.volumeProfiles)),
      startedAt: at,
      deadline: at + horizonOf(leg, setup.defaultHorizonMs),
      arrivalPrice: p.arrivalPrice ?? leg.decisionPrice,
      // Set from the market sample recorded with the parent's start.
      volumeAtStart: -1,
    }),
  );
}

function addChild(run: RunState, p: OrderCreated['payload'], at: number): void {
  const parent = run.parents.get(p.parentId!)!;
  const child: ChildOrder = {
    clientOrderId: p.clientOrderId,
    parentId: p.parentId!,
    leg: p.leg,
    seq: parent.children.length + 1,
    request: {
      clientOrderId: p.clientOrderId,
      symbol: p.symbol,
      exchange: p.exchange,
      side: p.side,
      type: p.type,
      quantity: p.quantity,
      limitPrice: p.limitPrice,
      triggerPrice: p.triggerPrice,
      timeInForce: p.timeInForce,
      product: p.product,
      ...(p.trail ? { trail: p.trail } : {}),
      ...(p.orderClass ? { orderClass: p.orderClass, takeProfit: p.takeProfit, stopLoss: p.stopLoss } : {}),
    },
    ...(p.exitOf ? { exitOf: p.exitOf, exitRole: p.exitRole } : {}),
    status: 'created',
    filled: 0,
    filledValue: 0,
    tradeIds: new Set(),
    placedAt: at,
    scheduledAt: at - parent.pausedMs,
    lastUpdateAt: at,
  };
  parent.children.push(child);
  run.addChild(child);
  if (!child.exitOf) parent.lastPlacedAt = child.scheduledAt;
}

function applyStatus(run: RunState, p: OrderStatusChanged['payload']): void {
  const parent = run.parents.get(p.clientOrderId);
  if (parent) {
    parent.status = p.to;
    if (p.reason) parent.lastReason = p.reason;
    return;
  }
  const child = run.children.get(p.clientOrderId);
  if (!child) return;
  child.status = p.to;
  if (p.to === 'pending_cancel') child.cancelReason = p.reason;
  if (p.reason?.startsWith(cancelFailedReason(''))) child.cancelReason = undefined;
  if (p.brokerOrderId) run.bindBrokerId(child, p.brokerOrderId);
}

function applyFill(run: RunState, p: Fill): void {
  const child = run.children.get(p.clientOrderId);
  if (!child || child.tradeIds.has(p.tradeId)) return;
  child.tradeIds.add(p.tradeId);
  child.filled += p.quantity;
  child.filledValue += p.quantity * p.price;
  const parent = run.parentOf(child);
  if (countsForLeg(child, parent)) {
    run.addLegFill(parent, p.quantity, p.price);
  }
  if (!child.brokerOrderId) run.bindBrokerId(child, p.brokerOrderId);
}

/** Cancels asked for: pauses count from when the engine acted on them (`leg.paused`), not from the request. */
function applyControl(run: RunState, p: PayloadOf<'run.control'>): void {
  for (const parent of run.parents.values()) {
    if (p.leg !== undefined && parent.leg.index !== p.leg) continue;
    if (p.action === 'cancel') parent.cancelRequested = true;
  }
}
