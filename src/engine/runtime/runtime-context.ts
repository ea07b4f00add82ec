import type { Broker, BrokerEvent, BrokerOrder, BrokerTrade } from '../../brokers/broker.js';
import type { BrokerError } from '../../domain/errors/broker-error.js';
import type { Clock } from '../../domain/clock.js';
import type { EventOf, EventType, NewEvent, PayloadOf } from '../../domain/events/index.js';
import type { Quote } from '../../domain/instrument.js';
import type { RuntimeOptions } from './runtime-options.js';
import type { ChildOrder, ParentOrder, RunState } from './runtime-state.js';

export type WakeReason = 'start' | 'timer' | 'fill' | 'child_done' | 'resume';

/** Everything the runtime acts on arrives as one of these, through its mailbox, in order. */
export type Message =
  | { kind: 'broker'; event: BrokerEvent }
  /** `quoted`: a quote was just fetched for this wake; decide on what the cache holds, however old (the fetch may have failed). */
  | { kind: 'wake'; parentId: string; reason?: WakeReason; quoted?: boolean }
  | { kind: 'deadline'; parentId: string }
  | { kind: 'poll' }
  | { kind: 'sent'; clientOrderId: string; brokerOrderId?: string; error?: unknown }
  | { kind: 'resolved'; clientOrderId: string; order?: BrokerOrder; trades: BrokerTrade[] }
  | { kind: 'book'; orders: BrokerOrder[]; trades: BrokerTrade[] }
  | { kind: 'cancel-failed'; clientOrderId: string; error: unknown }
  | { kind: 'cancel-checked'; clientOrderId: string; why: string; order?: BrokerOrder }
  | { kind: 'read-failed'; what: string; error: unknown; clientOrderId?: string }
  | { kind: 'stop'; reason: string }
  | { kind: 'cancel-sent' }
  | { kind: 'drain' };

/**
 * What the runtime's loop offers its parts. A part never writes to the log or calls the broker
 * to change anything itself: it hands the loop the events of the current step (committed
 * together) and the broker calls to make once they are on disk; what a call answers comes back
 * as a message.
 */
export interface RuntimeContext {
  readonly runId: string;
  readonly broker: Broker;
  readonly clock: Clock;
  readonly options: RuntimeOptions;
  /** The run's orders and whether it has stopped: shared by every part. */
  readonly run: RunState;
  /** The other parts, as each is reached from outside (wired by the runtime). */
  readonly parts: RuntimeParts;
  /** Adds events to the current step's transaction. */
  record(events: NewEvent[]): void;
  /** An event of this run at the engine's clock (its market time; the store adds the wall-clock time). */
  event<T extends EventType>(type: T, payload: PayloadOf<T>): NewEvent<EventOf<T>>;
  alert(level: 'info' | 'warn' | 'error', source: string, message: string, leg?: number): void;
  /** A broker call made once the current step has committed; it resolves to the message reporting its outcome. */
  dispatch(call: () => Promise<Message>): void;
  /** Work outside the loop (a read, a look-up) has begun: the run does not end before `settle` reports it. */
  begin(): void;
  settle(message: Message): void;
  post(message: Message): void;
  /** Where a crash is most dangerous (see RuntimeDeps.failpoint). */
  failpoint(name: string): void;
}

/** The parts of the runtime as the others reach them; each is one file of this folder. */
export interface RuntimeParts {
  legs: LegSchedules;
  sends: Sends;
  orders: OrderReports;
  cancels: Cancels;
  unknowns: UnknownOutcomeResolution;
  controls: Controls;
  breakers: LegBreakers;
}

/** breaker-watch.ts */
export interface LegBreakers {
  /** Checks a leg's quote before its algorithm decides on it: true when a breaker paused the leg. */
  pausedLeg(parent: ParentOrder, quote: Quote): boolean;
}

/** parent-scheduler.ts */
export interface LegSchedules {
  wake(parent: ParentOrder, reason: WakeReason): void;
  finishIfDone(parent: ParentOrder): void;
  noteRejection(parent: ParentOrder, reason: string): void;
  pause(parent: ParentOrder): void;
  resume(parent: ParentOrder): void;
}

/** send-queue.ts */
export interface Sends {
  enqueue(parent: ParentOrder, child: ChildOrder): void;
  holds(parent: ParentOrder): boolean;
}

/** order-tracker.ts */
export interface OrderReports {
  recordTrade(child: ChildOrder, trade: BrokerTrade): void;
  applyOrder(child: ChildOrder, order: BrokerOrder): void;
  handleBook(orders: BrokerOrder[], trades: BrokerTrade[]): void;
  replayOrphans(brokerOrderId: string): void;
  fetchTrades(child: ChildOrder): void;
  requestBook(): void;
}

/** order-cancels.ts */
export interface Cancels {
  cancel(child: ChildOrder, reason: string): void;
}

/** unknown-outcome.ts */
export interface UnknownOutcomeResolution {
  resolve(child: ChildOrder, why: string, firstDelayMs?: number): void;
}

/** run-controls.ts */
export interface Controls {
  interrupt(reason: string): void;
  loginLost(error: BrokerError): void;
  haltSending(halt: { reason?: string; cancelOpen?: boolean }): void;
}
