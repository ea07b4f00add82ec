import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../domain/clock.js';
import { backoffDelay } from './retry.js';

export interface SupervisedSocketOptions {
  /** Built on every (re)connect, so a refreshed token is picked up. */
  url: () => string;
  clock: Clock;
  /** Silence (no frame of any kind) after which the connection is presumed dead (ms). */
  silenceTimeoutMs?: number;
  reconnectBaseMs?: number;
  reconnectMaxMs?: number;
  random?: () => number;
  /** Built on every (re)connect when a function, so a renewed session cookie is picked up. */
  headers?: Record<string, string> | (() => Record<string, string>);
  /** Refuse a TLS certificate that does not verify (on unless a broker's local gateway says otherwise). */
  rejectUnauthorized?: boolean;
  /** Follow an HTTP redirect answering the handshake (Upstox redirects to a signed URL). */
  followRedirects?: boolean;
  onMessage: (data: Buffer, isBinary: boolean) => void;
  /** `reconnected` is false on the first successful connection, true afterwards. */
  onOpen?: (reconnected: boolean) => void;
  /** The connection was lost (or could not be made); a reconnect is scheduled in `retryInMs`. */
  onDown?: (reason: string, retryInMs: number) => void;
}

/**
 * A WebSocket that stays up: any frame counts as a sign of life (brokers send heartbeats), a
 * silence longer than `silenceTimeoutMs` kills the socket, and every loss is followed by a
 * reconnect with exponential backoff and jitter, reset once a connection is established.
 */
export class SupervisedSocket {
  private socket?: WebSocket;
  private stopped = true;
  private attempt = 0;
  private everOpened = false;
  private silenceTimer?: TimerHandle;
  private reconnectTimer?: TimerHandle;
  private readonly silenceTimeoutMs: number;

  constructor(private readonly options: SupervisedSocketOptions) {
    this.silenceTimeoutMs = options.silenceTimeoutMs ?? 5_000;
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Sends a frame when connected (subscriptions, keep-alive pings); false when not connected. */
  send(data: string): boolean {
    if (!this.connected) return false;
    this.socket!.send(data);
    return true;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = undefined;
    if (s) {
      s.removeAllListeners();
      s.on('error', () => undefined);
      s.terminate();
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const { headers } = this.options;
    const socket = new WebSocket(this.options.url(), {
      headers: typeof headers === 'function' ? headers() : headers,
      handshakeTimeout: this.silenceTimeoutMs,
      followRedirects: this.options.followRedirects ?? false,
      rejectUnauthorized: this.options.rejectUnauthorized ?? true,
    });
    this.socket = socket;
    let down = false;
    const goDown = (reason: string) => {
      if (down || this.socket !== socket) return;
      down = true;
      this.socket = undefined;
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      this.clearTimers();
      if (this.stopped) return;
      const delay = backoffDelay(this.attempt++, this.options.reconnectBaseMs ?? 500, this.options.reconnectMaxMs ?? 30_000, this.options.random ?? Math.random);
      this.options.onDown?.(reason, delay);
      this.reconnectTimer = this.options.clock.setTimeout(() => this.connect(), delay);
    };
    socket.on('open', () => {
      this.attempt = 0;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.armSilence(goDown);
      this.options.onOpen?.(reconnected);
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      this.armSilence(goDown);
      this.options.onMessage(data, isBinary);
    });
    socket.on('ping', () => this.armSilence(goDown));
    socket.on('unexpected-response', (_req, res) => goDown(`handshake refused with HTTP ${res.statusCode}`));
    socket.on('error', (err) => goDown(`socket error: ${err.message}`));
    socket.on('close', (code) => goDown(`closed (code ${code})`));
  }

  private armSilence(goDown: (reason: string) => void): void {
    if (this.silenceTimer) this.options.clock.clearTimeout(this.silenceTimer);
    this.silenceTimer = this.options.clock.setTimeout(() => goDown(`no frame for ${this.silenceTimeoutMs} ms`), this.silenceTimeoutMs);
  }

  private clearTimers(): void {
    if (this.silenceTimer) this.options.clock.clearTimeout(this.silenceTimer);
    if (this.reconnectTimer) this.options.clock.clearTimeout(this.reconnectTimer);
    this.silenceTimer = undefined;
    this.reconnectTimer = undefined;
  }
}
