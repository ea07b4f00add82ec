import { EventFrame } from './event-frame.js';
import { matches, type EventFilter } from './event-filter.js';
import type { StreamSource, Transport } from './stream-deps.js';

/** Why a subscription is ended by the server: its client fell behind, or the server is stopping. */
export type DropCause = 'slow' | 'shutdown';

/** The connection a subscription writes to (an SSE response, a WebSocket). */
export interface SubscriptionSink {
  readonly transport: Transport;
  /** Sends frames in order; false when the connection is full: then it calls `writable()` once it has room. */
  write(frames: readonly EventFrame[]): boolean;
  heartbeat(): void;
  /** Ends the connection, telling the client why and after which seq to resume. */
  drop(reason: string, cause: DropCause): void;
}

/** What a subscription needs of its feed. */
export interface FeedLink {
  readonly source: StreamSource;
  readonly pageSize: number;
  readonly maxQueue: number;
  accountOf(frame: EventFrame): string | null;
  goLive(subscription: Subscription): void;
  noteQueued(length: number): void;
  remove(subscription: Subscription): void;
}

/**
 * One client's place in the log. It first reads the backlog after its start from the store, a
 * page at a time and only while the client keeps up, then joins the feed's live delivery in the
 * same turn of the event loop as its last backlog read: the feed hands it only events after that
 * read, so nothing is missed or sent twice. Live events wait in a bounded queue while the
 * connection is full; a client that lets the queue overflow is dropped, so a slow client costs a
 * bounded amount of memory and never holds up the feed or the engine.
 */
export class Subscription {
  /** The seq of the last event looked at (sent, queued or filtered out). */
  private cursor: number;
  /** The seq of the last event handed to the connection: where the client resumes. */
  lastSent: number;
  private queue: EventFrame[] = [];
  private full = false;
  private state: 'backlog' | 'live' | 'closed' = 'backlog';

  constructor(
    private readonly feed: FeedLink,
    readonly filter: EventFilter,
    after: number,
    readonly sink: SubscriptionSink,
  ) {
    this.cursor = after;
    this.lastSent = after;
  }

  get isLive(): boolean {
    return this.state === 'live';
  }

  get position(): number {
    return this.cursor;
  }

  /** Starts reading the backlog (on the next turn, so the caller can finish setting up). */
  start(): void {
    setImmediate(() => this.readBacklog());
  }

  /** A live event from the feed, in seq order. */
  offer(frame: EventFrame): void {
    if (this.state !== 'live' || frame.seq <= this.cursor) return;
    this.cursor = frame.seq;
    if (!matches(this.filter, frame.event, () => this.feed.accountOf(frame))) return;
    this.queue.push(frame);
    this.feed.noteQueued(this.queue.length);
    if (this.full && this.queue.length > this.feed.maxQueue) this.drop(`slow consumer: more than ${this.feed.maxQueue} events waiting`, 'slow');
  }

  /** Hands what is queued to the connection unless it is full. */
  flush(): void {
    if (this.full || !this.queue.length || this.state === 'closed') return;
    const frames = this.queue;
    this.queue = [];
    this.lastSent = frames[frames.length - 1]!.seq;
    if (!this.sink.write(frames)) this.full = true;
  }

  /** The connection has room again. */
  writable(): void {
    if (this.state === 'closed') return;
    this.full = false;
    this.flush();
    if (this.state === 'backlog' && !this.full) this.readBacklog();
  }

  heartbeat(): void {
    if (this.state !== 'closed' && !this.full) this.sink.heartbeat();
  }

  /** The client went away, or the server is closing the stream. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.queue = [];
    this.feed.remove(this);
  }

  drop(reason: string, cause: DropCause): void {
    if (this.state === 'closed') return;
    this.close();
    this.sink.drop(`${reason}; resume with since=${this.lastSent}`, cause);
  }

  private readBacklog(): void {
    if (this.state !== 'backlog' || this.full) return;
    const page = this.feed.source.events({ afterSeq: this.cursor, limit: this.feed.pageSize });
    for (const e of page) {
      this.cursor = e.seq;
      const frame = new EventFrame(e);
      if (matches(this.filter, e, () => this.feed.accountOf(frame))) this.queue.push(frame);
    }
    if (page.length < this.feed.pageSize) {
      // Caught up: from here the feed delivers what is recorded after this read.
      this.state = 'live';
      this.feed.goLive(this);
      this.flush();
      return;
    }
    this.flush();
    if (!this.full) setImmediate(() => this.readBacklog());
  }
}
