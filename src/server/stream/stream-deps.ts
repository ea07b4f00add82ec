import type { IncomingMessage } from 'node:http';
import type { StoredEvent } from '../../domain/events/index.js';

export type Transport = 'sse' | 'websocket';

/** The answer of the server's bearer-token check for one request. */
export type Authorization = { ok: true; tokenId: string } | { ok: false; status: 401 | 403; problem: Record<string, unknown> };

/** The broker account an event belongs to, as the run that recorded it says. */
export interface RunAccount {
  broker: string;
  account: string;
}

/** What the stream reads: the event log by sequence number, and which account a run trades. */
export interface StreamSource {
  /** Events with `seq > afterSeq`, in sequence order, at most `limit`. */
  events(query: { afterSeq: number; limit: number }): StoredEvent[];
  /** The highest sequence number recorded (0 for an empty log). */
  lastSeq(): number;
  runAccount(runId: string): RunAccount | undefined;
}

/** The timers the feed polls and beats with (tests pass a manual one). */
export interface StreamTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface StreamLimits {
  /** How often the log is looked at for events another process recorded. */
  pollMs: number;
  /** A comment (SSE) or a ping (WebSocket) this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** The reconnection delay an SSE client is told to use. */
  retryMs: number;
  /** Events read from the log at once, for the backlog and for each poll. */
  pageSize: number;
  /** Events a subscriber may have waiting while its connection is full; one more and it is dropped. */
  maxQueue: number;
  maxSubscribers: number;
  /** A WebSocket with more than this many bytes unsent counts as full. */
  highWaterBytes: number;
  /** How long a dropped client has to read why (the close frame, the final comment) before its connection is cut. */
  dropGraceMs: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  pollMs: 10,
  heartbeatMs: 15_000,
  retryMs: 2_000,
  pageSize: 500,
  maxQueue: 5_000,
  maxSubscribers: 1_000,
  highWaterBytes: 1 << 20,
  dropGraceMs: 1_000,
};

export interface StreamDeps {
  /** The server's bearer-token check (bound to the scope reading events needs). */
  authorize(req: IncomingMessage): Promise<Authorization> | Authorization;
  source: StreamSource;
  timers?: StreamTimers;
  limits?: Partial<StreamLimits>;
  /** Told the number of subscribers whenever it changes, in all and by transport (a metrics gauge). */
  onSubscribers?(count: number, byTransport: Readonly<Record<Transport, number>>): void;
}

export const realTimers: StreamTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};
