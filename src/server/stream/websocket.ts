import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { describeFilter, FilterError, filterFromQuery, parseFilter, startAfter, type EventFilter } from './event-filter.js';
import type { EventStream } from './event-stream.js';
import { badStreamRequest, streamFull } from './problem.js';
import type { Subscription } from './subscription.js';

export const WS_PATH = '/v1/stream';

/** Close codes: the client broke the protocol (a bad subscribe message), or fell behind. */
export const CLOSE_POLICY = 1008;
export const CLOSE_TRY_AGAIN_LATER = 1013;
const CLOSE_GOING_AWAY = 1001;
/** An event is a text message, sent from the bytes every subscriber shares. */
const TEXT = { binary: false } as const;

/**
 * The WebSocket stream at `/v1/stream` on `server`: handles the `upgrade` of that path only. The
 * query string (`since`, `account`, `run`, `type`) starts the subscription; a message
 * `{"action":"subscribe", "since"?, "account"?, "run"?, "type"?}` replaces it. Each event is one
 * text message, the object `watch --json` prints; the server confirms each subscription with
 * `{"control":"subscribed", "after": seq, "filter": …}`.
 */
export function attachWebSocketStream(server: Server, stream: EventStream): { close(): void } {
  const handler = webSocketUpgrade(stream);
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (handler.upgrade(req, socket, head)) return;
    // Another listener may serve it; when there is none, say so rather than leave it hanging.
    if (server.listenerCount('upgrade') === 1) refuse(socket, 404, { type: 'about:blank', title: 'Not found', status: 404, detail: `no WebSocket at ${new URL(req.url ?? '/', 'http://localhost').pathname}: the stream is at ${WS_PATH}` });
  };
  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      handler.close();
    },
  };
}

/**
 * The stream's handler of `upgrade` requests, for a server that dispatches them itself: `upgrade`
 * takes a request for `/v1/stream` (true) and leaves any other (false).
 */
export function webSocketUpgrade(stream: EventStream): { upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean; close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => {
    const auth = await stream.deps.authorize(req);
    if (!auth.ok) return refuse(socket, auth.status, auth.problem);
    let filter: EventFilter;
    let after: number | undefined;
    try {
      filter = filterFromQuery(url.searchParams);
      after = startAfter(url.searchParams.get('since'));
    } catch (err) {
      if (err instanceof FilterError) return refuse(socket, 400, badStreamRequest(err.message));
      throw err;
    }
    if (stream.feed.subscriberCount >= stream.feed.limits.maxSubscribers) return refuse(socket, 503, streamFull());
    wss.handleUpgrade(req, socket, head, (ws) => new StreamSocket(ws, stream).subscribe(filter, after));
  };
  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== WS_PATH) return false;
      void upgrade(req, socket, head, url).catch(() => socket.destroy());
      return true;
    },
    close() {
      for (const ws of wss.clients) ws.close(CLOSE_GOING_AWAY, 'server shutting down');
      wss.close();
    },
  };
}

/** One client's WebSocket and its current subscription. */
class StreamSocket {
  private subscription?: Subscription;
  private answeredPing = true;

  constructor(
    private readonly ws: WebSocket,
    private readonly stream: EventStream,
  ) {
    ws.on('pong', () => (this.answeredPing = true));
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.subscription?.close());
    ws.on('error', () => ws.terminate());
  }

  subscribe(filter: EventFilter, after: number | undefined): void {
    this.subscription?.close();
    const { highWaterBytes } = this.stream.feed.limits;
    const ws = this.ws;
    const subscription = this.stream.feed.subscribe(filter, after, {
      transport: 'websocket',
      write: (frames) => {
        // One write to the socket for the whole batch rather than one per message: at 2,000
        // events/s and hundreds of subscribers, a system call per message is most of the cost.
        const socket = (ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
        socket?.cork();
        for (let i = 0; i < frames.length - 1; i++) ws.send(frames[i]!.message, TEXT);
        // The last frame's callback runs once everything before it is on the socket.
        ws.send(frames[frames.length - 1]!.message, TEXT, () => {
          if (ws.bufferedAmount < highWaterBytes && this.subscription === subscription) subscription?.writable();
        });
        socket?.uncork();
        return ws.bufferedAmount < highWaterBytes;
      },
      heartbeat: () => {
        // A peer that did not answer the last ping is gone (a half-open connection): free its place.
        if (!this.answeredPing) return ws.terminate();
        this.answeredPing = false;
        ws.ping();
      },
      drop: (reason, cause) => this.close(cause === 'slow' ? CLOSE_TRY_AGAIN_LATER : CLOSE_GOING_AWAY, reason),
    });
    if (!subscription) return this.close(CLOSE_TRY_AGAIN_LATER, 'too many stream subscribers');
    this.subscription = subscription;
    ws.send(JSON.stringify({ control: 'subscribed', after: subscription.lastSent, filter: describeFilter(filter) }));
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let request: { action?: unknown; since?: unknown; account?: unknown; run?: unknown; type?: unknown };
    try {
      if (isBinary) throw new FilterError('messages are JSON text');
      request = JSON.parse(data.toString()) as typeof request;
      if (typeof request !== 'object' || request === null || request.action !== 'subscribe') throw new FilterError('the only message is {"action":"subscribe", …}');
      const filter = parseFilter({ account: list(request.account, 'account'), run: list(request.run, 'run'), type: list(request.type, 'type') });
      const since = request.since === undefined ? this.subscription?.lastSent : startAfter(String(request.since));
      this.subscribe(filter, since);
    } catch (err) {
      const reason = err instanceof FilterError ? err.message : 'the message is not JSON';
      this.close(CLOSE_POLICY, reason);
    }
  }

  private close(code: number, reason: string): void {
    this.subscription?.close();
    // A close reason is at most 123 bytes.
    this.ws.close(code, truncate(reason, 123));
    setTimeout(() => this.ws.terminate(), this.stream.feed.limits.dropGraceMs).unref();
  }
}

function list(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new FilterError(`${field} is a string or a list of strings`);
}

function truncate(text: string, bytes: number): string {
  let out = text;
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out;
}

function refuse(socket: Duplex, status: number, body: Record<string, unknown>): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}
