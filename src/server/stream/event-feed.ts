import { EventAccounts } from './event-account.js';
import { EventFrame } from './event-frame.js';
import type { EventFilter } from './event-filter.js';
import { DEFAULT_STREAM_LIMITS, realTimers, type StreamDeps, type StreamLimits, type StreamSource, type StreamTimers, type Transport } from './stream-deps.js';
import { Subscription, type FeedLink, type SubscriptionSink } from './subscription.js';

/**
 * The one reader of the log for every stream client: it looks for new events every `pollMs`
 * (events another process records, a CLI run on the same database, reach it the same way as the
 * server's own) and hands each, serialised once, to every live subscription. Polling only while
 * someone is live; a full page is followed at once by the next.
 */
export class EventFeed implements FeedLink {
  readonly source: StreamSource;
  readonly limits: StreamLimits;
  private readonly timers: StreamTimers;
  private readonly accounts: EventAccounts;
  private readonly subscriptions = new Set<Subscription>();
  private readonly live = new Set<Subscription>();
  /** The seq of the last event the feed read. */
  private last = 0;
  private pollTimer: unknown;
  private readonly heartbeatTimer: unknown;
  private closed = false;
  private peak = 0;
  private readonly byTransport: Record<Transport, number> = { sse: 0, websocket: 0 };

  constructor(private readonly deps: Pick<StreamDeps, 'source' | 'timers' | 'limits' | 'onSubscribers'>) {
    this.source = deps.source;
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...deps.limits };
    this.timers = deps.timers ?? realTimers;
    this.accounts = new EventAccounts((runId) => this.source.runAccount(runId));
    this.heartbeatTimer = this.timers.setInterval(() => {
      for (const s of this.subscriptions) s.heartbeat();
    }, this.limits.heartbeatMs);
  }

  get pageSize(): number {
    return this.limits.pageSize;
  }

  get maxQueue(): number {
    return this.limits.maxQueue;
  }

  /** The longest any subscription's queue has been: what slow clients cost at most. */
  get peakQueued(): number {
    return this.peak;
  }

  noteQueued(length: number): void {
    if (length > this.peak) this.peak = length;
  }

  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /** A new subscription after seq `after` (the current end of the log when undefined); undefined when the feed is full. */
  subscribe(filter: EventFilter, after: number | undefined, sink: SubscriptionSink): Subscription | undefined {
    if (this.closed || this.subscriptions.size >= this.limits.maxSubscribers) return undefined;
    const subscription = new Subscription(this, filter, after ?? this.source.lastSeq(), sink);
    this.subscriptions.add(subscription);
    this.counted(sink.transport, +1);
    subscription.start();
    return subscription;
  }

  accountOf(frame: EventFrame): string | null {
    return this.accounts.of(frame.event).account;
  }

  goLive(subscription: Subscription): void {
    // The feed's next read starts at or before the subscription's position (its last backlog
    // read is at least as recent as the feed's), and the subscription skips what it has seen.
    this.last = this.live.size ? Math.min(this.last, subscription.position) : subscription.position;
    this.live.add(subscription);
    if (this.pollTimer === undefined) this.schedule(this.limits.pollMs);
  }

  remove(subscription: Subscription): void {
    this.live.delete(subscription);
    if (this.subscriptions.delete(subscription)) this.counted(subscription.sink.transport, -1);
  }

  private counted(transport: Transport, change: number): void {
    this.byTransport[transport] += change;
    this.deps.onSubscribers?.(this.subscriptions.size, { ...this.byTransport });
  }

  /** Looks at the log now (the server's own engine has just recorded something). */
  poke(): void {
    if (!this.live.size || this.closed) return;
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.schedule(0);
  }

  /** Stops polling and beating; the transports close their connections. */
  close(): void {
    this.closed = true;
    if (this.pollTimer !== undefined) this.timers.clearTimeout(this.pollTimer);
    this.timers.clearInterval(this.heartbeatTimer);
    for (const s of [...this.subscriptions]) s.drop('server shutting down', 'shutdown');
  }

  private schedule(ms: number): void {
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = undefined;
      const full = this.poll();
      if (this.live.size && !this.closed) this.schedule(full ? 0 : this.limits.pollMs);
    }, ms);
  }

  /** Reads one page after the feed's last event and delivers it; true when the page was full. */
  private poll(): boolean {
    let page;
    try {
      page = this.source.events({ afterSeq: this.last, limit: this.limits.pageSize });
    } catch {
      // The database is briefly unreadable (being replaced, a full disk): the next poll tries again.
      return false;
    }
    if (!page.length) return false;
    this.last = page[page.length - 1]!.seq;
    const targets = [...this.live];
    for (const e of page) {
      const frame = new EventFrame(e);
      for (const s of targets) s.offer(frame);
    }
    for (const s of targets) s.flush();
    return page.length === this.limits.pageSize;
  }
}
