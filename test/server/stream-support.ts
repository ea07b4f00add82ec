import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { openDatabase } from '../../src/app/database.js';
import { newEvent, type NewEvent } from '../../src/domain/events/index.js';
import { attachWebSocketStream, createEventStream, handleEventStreamRequest, storeEventSource, type Authorization, type EventStream, type StreamLimits, type StreamTimers } from '../../src/server/stream/index.js';
import type { Store } from '../../src/store/store.js';

export const TOKEN = 'reader-token';

/** The bearer check of the server, faked: `reader-token` may read, `trader-token` is known but refused, anything else is unknown. */
export async function fakeAuthorize(req: IncomingMessage): Promise<Authorization> {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (token === TOKEN) return { ok: true, tokenId: 't1' };
  if (token === 'no-read-token') return { ok: false, status: 403, problem: { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'this token has no read scope' } };
  return { ok: false, status: 401, problem: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'a bearer token is required' } };
}

/** A database file with two connections: the server's, and a writer standing for another process (a CLI run). */
export class StreamFixture {
  readonly dir = mkdtempSync(join(tmpdir(), 'ptexec-stream-'));
  readonly path = join(this.dir, 'ptexec.db');
  readonly serverStore: Store = openDatabase(this.path);
  readonly writer: Store = openDatabase(this.path);
  server!: Server;
  stream!: EventStream;
  port = 0;
  subscriberCounts: number[] = [];
  byTransport: Record<string, number>[] = [];
  private detach?: () => void;

  async start(options: { limits?: Partial<StreamLimits>; timers?: StreamTimers } = {}): Promise<this> {
    this.stream = createEventStream({
      authorize: fakeAuthorize,
      source: storeEventSource(this.serverStore),
      limits: { pollMs: 5, ...options.limits },
      timers: options.timers,
      onSubscribers: (n, by) => {
        this.subscriberCounts.push(n);
        this.byTransport.push(by);
      },
    });
    this.server = createServer((req, res) => {
      if (handleEventStreamRequest(req, res, this.stream)) return;
      res.writeHead(404).end();
    });
    const ws = attachWebSocketStream(this.server, this.stream);
    this.detach = () => ws.close();
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.stream?.feed.close();
    this.detach?.();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.serverStore.close();
    this.writer.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A run on an account: its creation, then `orders` orders each with a status change and a fill. */
export function runEvents(runId: string, account: string, orders: number, broker = 'paper'): NewEvent[] {
  const events: NewEvent[] = [newEvent(runId, 'run.created', { runId, broker, account, tradingDate: '2026-12-03', targetHash: 'h', source: 'p.json', dryRun: false, options: {} }, 1)];
  for (let i = 0; i < orders; i++) {
    const id = `${runId}C${i}`;
    events.push(newEvent(runId, 'order.created', { clientOrderId: id, leg: 0, broker, account, symbol: 'TCS', exchange: 'NSE', side: 'buy', type: 'market', quantity: 1, timeInForce: 'day', product: 'delivery', algo: 'twap' }, 2));
    events.push(newEvent(runId, 'order.status', { clientOrderId: id, from: 'created', to: 'accepted', brokerOrderId: `B${i}` }, 3));
    events.push(newEvent(runId, 'fill.recorded', { clientOrderId: id, tradeId: `${runId}T${i}`, brokerOrderId: `B${i}`, broker, account, symbol: 'TCS', exchange: 'NSE', side: 'buy', quantity: 1, price: 312_050, ts: 4 }, 4));
  }
  return events;
}

export async function waitFor(condition: () => boolean, what: string, timeoutMs = 4_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comments: string[];
  retry?: string;
}

/** An EventSource of our own: the response, and its frames parsed as they arrive. */
export class SseClient {
  readonly frames: SseFrame[] = [];
  status = 0;
  contentType = '';
  body = '';
  ended = false;
  res?: IncomingMessage;
  private buffer = '';

  constructor(port: number, path: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
    get({ host: '127.0.0.1', port, path, headers }, (res) => {
      this.res = res;
      this.status = res.statusCode ?? 0;
      this.contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.receive(chunk));
      res.on('end', () => (this.ended = true));
      res.on('error', () => (this.ended = true));
    }).on('error', () => (this.ended = true));
  }

  get events(): { seq: number; type: string; json: Record<string, unknown> }[] {
    return this.frames.filter((f) => f.data !== undefined).map((f) => ({ seq: Number(f.id), type: f.event!, json: JSON.parse(f.data!) as Record<string, unknown> }));
  }

  get comments(): string[] {
    return this.frames.flatMap((f) => f.comments);
  }

  close(): void {
    this.res?.destroy();
  }

  private receive(chunk: string): void {
    this.body += this.status === 200 ? '' : chunk;
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const frame: SseFrame = { comments: [] };
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comments.push(line.slice(1).trim());
        else {
          const at = line.indexOf(': ');
          const [field, value] = [line.slice(0, at), line.slice(at + 2)];
          if (field === 'id' || field === 'event' || field === 'data' || field === 'retry') frame[field] = value;
        }
      }
      this.frames.push(frame);
    }
  }
}

/** A WebSocket client that keeps every message and how the connection ended. */
export class WsClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly ws: WebSocket;
  closed?: { code: number; reason: string };
  refused?: number;
  opened = false;
  pings = 0;

  constructor(port: number, query = '', headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/v1/stream${query}`, { headers });
    this.ws.on('open', () => (this.opened = true));
    this.ws.on('message', (data) => this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    this.ws.on('ping', () => this.pings++);
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
    this.ws.on('unexpected-response', (_req, res) => {
      this.refused = res.statusCode;
      res.resume();
    });
    this.ws.on('error', () => {});
  }

  get events(): Record<string, unknown>[] {
    return this.messages.filter((m) => m.control === undefined);
  }

  get controls(): Record<string, unknown>[] {
    return this.messages.filter((m) => m.control !== undefined);
  }

  get seqs(): number[] {
    return this.events.map((m) => m.seq as number);
  }
}

/** Timers a test moves by hand: intervals and timeouts fire when `advance` passes their time. */
export class ManualTimers implements StreamTimers {
  private now = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; every?: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  setInterval(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, every: ms, fn });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, t] = due;
      this.now = t.at;
      if (t.every) t.at += t.every;
      else this.pending.delete(id);
      t.fn();
    }
    this.now = until;
  }
}

/** `1..n`. */
export const seqsUpTo = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
