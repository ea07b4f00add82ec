import type { FillRecorded } from './fill.js';
import type { MarketSampled } from './market.js';
import type { NotificationEvent } from './notification.js';
import type { OrderEvent } from './order.js';
import type { ChargesBooked } from './posttrade.js';
import type { RiskEvent } from './risk.js';
import type { RunEvent } from './run.js';
import type { SettlementEvent } from './settlement.js';
import type { AccountSnapshotted } from './snapshot.js';

export type * from './fill.js';
export type * from './market.js';
export type * from './notification.js';
export type * from './order.js';
export type * from './posttrade.js';
export type * from './risk.js';
export type * from './run.js';
export type * from './settlement.js';
export type * from './snapshot.js';

/**
 * Every fact ptexec records, one variant per event type. Events are immutable and append-only;
 * projections are derived from them. A new event type is added to its context's file and here;
 * every reader that switches over the types (projections, the runtime's rebuild, the view model,
 * `watch --json`) then fails to compile until it says what the new type means to it.
 */
export type PtexecEvent = RunEvent | OrderEvent | FillRecorded | RiskEvent | ChargesBooked | SettlementEvent | AccountSnapshotted | MarketSampled | NotificationEvent;

export type EventType = PtexecEvent['type'];
export type EventOf<T extends EventType> = Extract<PtexecEvent, { type: T }>;
/** Each type's payload: `PayloadMap[T]` is what a per-type handler map (`{ [T in EventType]: … }`) is indexed by. */
export type PayloadMap = { [T in EventType]: EventOf<T>['payload'] };
export type PayloadOf<T extends EventType> = PayloadMap[T];

/** Each event type once: the decoder's list of what it knows (a missing type is a compile error). */
const KNOWN: { readonly [T in EventType]: true } = {
  'run.created': true,
  'run.planned': true,
  'run.status': true,
  'run.control': true,
  'run.alert': true,
  'leg.paused': true,
  'leg.resumed': true,
  'run.breaker_tripped': true,
  'run.failover': true,
  'order.created': true,
  'order.status': true,
  'order.resized': true,
  'fill.recorded': true,
  'risk.checked': true,
  'risk.halted': true,
  'risk.unhalted': true,
  'charges.booked': true,
  'settlement.scheduled': true,
  'settlement.resolved': true,
  'account.snapshot': true,
  'market.sampled': true,
  'notification.sent': true,
  'notification.failed': true,
};

export const EVENT_TYPES = Object.keys(KNOWN) as readonly EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(KNOWN, type);
}

/**
 * A recorded event this version cannot read: a type it does not know (recorded by another
 * version of ptexec), or a payload that is not a JSON object. Readers receive it rather than
 * crash or lose it: projections and the runtime's rebuild skip it, the dashboard ignores it,
 * `watch --json` prints it as recorded. Real types are dotted (`area.fact`), so the tag never
 * collides with one.
 */
export interface UnknownEvent {
  type: 'unknown';
  /** The type as the database has it. */
  recordedType: string;
  payload: unknown;
}

interface Envelope {
  /** Null for events that belong to no run (the kill switch, …). */
  runId: string | null;
  /**
   * The engine's clock when the event happened: market time, which on the paper broker at
   * `--speed` is simulated and runs ahead of the wall clock. Absent for events recorded outside
   * an engine (a halt, a control request from another terminal).
   */
  marketTs?: number;
}

interface Recorded {
  seq: number;
  /** Wall-clock time at which the store recorded the event. */
  ts: number;
}

/**
 * An event about to be appended: `type` decides the shape of `payload`. Its recording time is
 * not given: the store stamps every event with its own wall clock.
 */
export type NewEvent<E extends PtexecEvent = PtexecEvent> = E extends PtexecEvent ? Envelope & E : never;

/** An event as the store returns it: a known event, or (where read back) an `UnknownEvent`. */
export type StoredEvent<E extends PtexecEvent | UnknownEvent = PtexecEvent | UnknownEvent> = E extends PtexecEvent | UnknownEvent ? Recorded & Envelope & E : never;

/** A stored event of the types `T` (a union of them): what a reader of those types receives. */
export type StoredEventOf<T extends EventType> = { [K in EventType]: Recorded & Envelope & EventOf<K> }[T];

/** An event of this run (or of none, `runId` null) at market time `marketTs`. */
export function newEvent<T extends EventType>(runId: string | null, type: T, payload: PayloadOf<T>, marketTs?: number): NewEvent<EventOf<T>> {
  // One object shape for every event (the engine makes thousands a second); `type` decides the
  // payload's, which the signature has checked.
  return { runId, type, payload, marketTs } as NewEvent<EventOf<T>>;
}

/**
 * The one decode of a recorded event: its type read against the vocabulary, its payload (parsed
 * from JSON) taken as that type's. Only ptexec writes events, through `append`, whose types make
 * a wrong payload for a type a compile error; so the payload of a known type is trusted, and
 * anything else becomes an `UnknownEvent`.
 */
export function decodeEvent(row: { seq: number; runId: string | null; ts: number; marketTs?: number; type: string; payload: unknown }): StoredEvent {
  const { payload } = row;
  const known = isEventType(row.type) && payload !== null && typeof payload === 'object' && !Array.isArray(payload);
  const event = (known ? { seq: row.seq, runId: row.runId, ts: row.ts, type: row.type, payload } : { seq: row.seq, runId: row.runId, ts: row.ts, type: 'unknown', recordedType: row.type, payload }) as StoredEvent;
  if (row.marketTs !== undefined) event.marketTs = row.marketTs;
  return event;
}

/** Which events a reader asks the log for: of one run, after a sequence number, of some types, at most `limit`. */
export interface EventQuery {
  /** The events of this run; null: the events of no run (the kill switch), read without scanning the runs'. */
  runId?: string | null;
  afterSeq?: number;
  types?: readonly EventType[];
  limit?: number;
}

/**
 * Reading the event log, in sequence order. Asked for some types, it returns events of those
 * types only (typed so); otherwise every event, unknown ones included.
 */
export interface EventReader {
  events<T extends EventType>(query: EventQuery & { types: readonly T[] }): StoredEventOf<T>[];
  events(query?: EventQuery): StoredEvent[];
}

/** Whether an event is of one of `types`: a filter that narrows what it keeps. */
export function ofTypes<T extends EventType>(types: readonly T[]): (event: StoredEvent) => event is StoredEventOf<T> {
  const wanted: ReadonlySet<string> = new Set(types);
  return (event): event is StoredEventOf<T> => wanted.has(event.type);
}

/** The type an event was recorded under (an unknown event's own). */
export function recordedTypeOf(event: StoredEvent): string {
  return event.type === 'unknown' ? event.recordedType : event.type;
}

/** The event's market time, or its recording time when it has none (events of no engine, older logs). */
export function marketTimeOf(event: Pick<Recorded & Envelope, 'ts' | 'marketTs'>): number {
  return event.marketTs ?? event.ts;
}

/**
 * Marks a switch over event types (or any union) as exhaustive: a case left out is a compile
 * error. Nothing happens at run time: a value from outside the types is ignored.
 */
export function exhaustive(_value: never): void {}
