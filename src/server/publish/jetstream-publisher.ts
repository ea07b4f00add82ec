import type { NatsConnection } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { eventJson } from '../../app/render/event-json.js';
import { recordedTypeOf, type StoredEvent } from '../../domain/events/index.js';
import type { PublishCursor } from '../../store/publish-cursors.js';
import { EventAccounts } from '../stream/event-account.js';
import type { StreamSource } from '../stream/stream-deps.js';
import { messageIdOf, subjectOf } from './subjects.js';
import { workflowEventOf } from './workflow-events.js';

export interface JetStreamPublisherOptions {
  /** `nats://host:4222`, or several of one cluster. */
  servers: string | string[];
  source: StreamSource;
  /** Where the last acknowledged seq is kept (`publishCursor(store, 'nats:<stream>')`). */
  cursor: PublishCursor;
  /** The JetStream stream, created when missing; it must be ptexec's own. */
  stream?: string;
  subjectPrefix?: string;
  /** Events published before waiting for their acknowledgements. */
  batchSize?: number;
  /** How often the log is looked at when everything has been published. */
  pollMs?: number;
  ackTimeoutMs?: number;
  /** The first and the longest wait between attempts while NATS is unreachable. */
  retryMs?: { first: number; max: number };
  /** How long JetStream remembers a message id to drop a second copy. */
  duplicateWindowMs?: number;
  /** After each acknowledged batch. */
  onProgress?(status: PublisherStatus): void;
  /** Each failure (NATS down, a refused publish); the publisher retries unless it is `fatal`. */
  onError?(error: Error, fatal: boolean): void;
}

export interface PublisherStatus {
  /** The seq of the last event JetStream acknowledged. */
  acked: number;
  /** The seq of the last event recorded. */
  last: number;
  /** Events recorded and not yet acknowledged. */
  lag: number;
  connected: boolean;
  lastError?: string;
  stopped: boolean;
}

export interface JetStreamPublisher {
  status(): PublisherStatus;
  /** Looks at the log now (the server's own engine has just recorded something). */
  poke(): void;
  stop(): Promise<void>;
}

/** The stream holds events this database does not have: it is another database's. */
export class ForeignStreamError extends Error {}

/** Where the publisher is: the last event acknowledged, and the stream's last sequence after it. */
interface Position {
  acked: number;
  streamSeq: number;
}

const DEFAULTS = { stream: 'PTEXEC', subjectPrefix: 'ptexec', batchSize: 256, pollMs: 50, ackTimeoutMs: 5_000, retryMs: { first: 100, max: 5_000 }, duplicateWindowMs: 120_000 };

/**
 * Publishes every event of the log to NATS JetStream, in seq order, on
 * `ptexec.<account>.<event type>`, with the event's seq in its message id so JetStream drops a
 * copy. Each message carries the stream sequence it must follow (`Nats-Expected-Last-Sequence`),
 * so JetStream refuses a message whose predecessor it did not store: an account's events are
 * never stored out of order or with a gap, and a batch is acknowledged by its last message. The last acknowledged seq is saved; after a restart or an outage the publisher resumes
 * after the later of it and the last event the stream holds.
 */
export function startJetStreamPublisher(options: JetStreamPublisherOptions): JetStreamPublisher {
  const publisher = new Publisher({ ...DEFAULTS, ...options });
  void publisher.run();
  return publisher;
}

class Publisher implements JetStreamPublisher {
  private acked: number;
  private connected = false;
  private stopped = false;
  private lastError?: string;
  private wake?: () => void;
  private done?: Promise<void>;
  private nc?: NatsConnection;
  private readonly accounts: EventAccounts;

  constructor(private readonly o: JetStreamPublisherOptions & typeof DEFAULTS) {
    this.acked = o.cursor.read();
    this.accounts = new EventAccounts((runId) => o.source.runAccount(runId));
  }

  status(): PublisherStatus {
    const last = this.o.source.lastSeq();
    return { acked: this.acked, last, lag: Math.max(0, last - this.acked), connected: this.connected, stopped: this.stopped, ...(this.lastError ? { lastError: this.lastError } : {}) };
  }

  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.done;
  }

  run(): Promise<void> {
    return (this.done = this.loop().finally(async () => {
      this.connected = false;
      await this.nc?.close().catch(() => {});
    }));
  }

  private async loop(): Promise<void> {
    // Loaded here, so that no command but a publishing server pays for the client.
    const { connect } = await import('@nats-io/transport-node');
    const { jetstream, jetstreamManager } = await import('@nats-io/jetstream');
    let wait = this.o.retryMs.first;
    let position: Position | undefined;
    let js: JetStreamClient | undefined;
    let jsm: JetStreamManager | undefined;
    while (!this.stopped) {
      try {
        if (!this.nc) {
          this.nc = await connect({ servers: this.o.servers, name: 'ptexec', reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: this.o.retryMs.first, timeout: this.o.ackTimeoutMs });
          void this.watchConnection(this.nc);
          jsm = await jetstreamManager(this.nc, { timeout: this.o.ackTimeoutMs });
          js = jetstream(this.nc, { timeout: this.o.ackTimeoutMs });
        }
        position ??= await this.reconcile(jsm!);
        const events = this.o.source.events({ afterSeq: position.acked, limit: this.o.batchSize });
        if (!events.length) {
          await this.idle(this.o.pollMs);
          continue;
        }
        await this.publish(this.nc, js!, events, position);
        wait = this.o.retryMs.first;
        this.lastError = undefined;
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        const fatal = error instanceof ForeignStreamError;
        this.lastError = error.message;
        this.o.onError?.(error, fatal);
        if (fatal) break;
        // What the stream holds is read again before anything more is sent.
        position = undefined;
        await this.idle(wait);
        wait = Math.min(wait * 2, this.o.retryMs.max);
      }
    }
    this.stopped = true;
  }

  /** Makes sure the stream exists and finds where to go on from. */
  private async reconcile(jsm: JetStreamManager): Promise<Position> {
    const { nanos } = await import('@nats-io/transport-node');
    const subjects = `${this.o.subjectPrefix}.>`;
    let info = await jsm.streams.info(this.o.stream).catch((err: unknown) => {
      if (err instanceof Error && /stream not found/i.test(err.message)) return undefined;
      throw err;
    });
    info ??= await jsm.streams.add({ name: this.o.stream, subjects: [subjects], duplicate_window: nanos(this.o.duplicateWindowMs) });
    if (!info.config.subjects?.includes(subjects)) throw new ForeignStreamError(`the JetStream stream ${this.o.stream} does not take ${subjects}: name another stream, or add the subject to it`);
    let inStream = 0;
    if (info.state.messages > 0) {
      const last = await jsm.streams.getMessage(this.o.stream, { seq: info.state.last_seq });
      inStream = Number(last?.header?.get('Ptexec-Seq')) || 0;
    }
    if (inStream > this.o.source.lastSeq()) {
      throw new ForeignStreamError(`the JetStream stream ${this.o.stream} holds events up to seq ${inStream}, beyond this database's last (${this.o.source.lastSeq()}): it was filled from another database; publish this one to another stream`);
    }
    const acked = Math.max(this.acked, inStream);
    if (acked > this.acked) this.advance(acked);
    return { acked, streamSeq: info.state.last_seq };
  }

  /**
   * Sends a batch at once and waits for the acknowledgement of its last message only: each
   * message must follow the stream sequence before it, so the last one's acknowledgement proves
   * that the whole batch was stored, in order. A failure is thrown, and what the stream holds is
   * read again before the next attempt.
   */
  private async publish(nc: NatsConnection, js: JetStreamClient, events: StoredEvent[], position: Position): Promise<void> {
    const { headers } = await import('@nats-io/transport-node');
    const { PubHeaders } = await import('@nats-io/jetstream');
    let ack: Promise<{ seq: number }> | undefined;
    events.forEach((e, i) => {
      const account = this.accounts.of(e);
      const h = headers();
      h.set('Ptexec-Seq', String(e.seq));
      h.set('Ptexec-Type', recordedTypeOf(e));
      if (e.runId) h.set('Ptexec-Run', e.runId);
      if (account.account) h.set('Ptexec-Account', account.account);
      if (account.broker) h.set('Ptexec-Broker', account.broker);
      const workflow = workflowEventOf(e);
      if (workflow) h.set('Ptexec-Workflow-Event', workflow);
      const subject = subjectOf(this.o.subjectPrefix, account.account, e);
      const body = JSON.stringify(eventJson(e));
      if (i < events.length - 1) {
        h.set(PubHeaders.MsgIdHdr, messageIdOf(e.seq));
        h.set(PubHeaders.ExpectedLastSeqHdr, String(position.streamSeq + i));
        nc.publish(subject, body, { headers: h });
      } else {
        ack = js.publish(subject, body, { msgID: messageIdOf(e.seq), headers: h, expect: { lastSequence: position.streamSeq + i }, timeout: this.o.ackTimeoutMs });
      }
    });
    const { seq } = await ack!;
    position.streamSeq = seq;
    position.acked = events[events.length - 1]!.seq;
    this.advance(position.acked);
  }

  private advance(seq: number): void {
    this.acked = seq;
    this.o.cursor.save(seq);
    this.o.onProgress?.(this.status());
  }

  private async watchConnection(nc: NatsConnection): Promise<void> {
    this.connected = true;
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') this.connected = false;
      else if (s.type === 'reconnect') this.connected = true;
    }
  }

  private idle(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
