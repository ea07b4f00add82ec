import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { SupervisedSocket } from '../../src/brokers/http/supervised-socket.js';
import { WallClock } from '../../src/engine/clock/index.js';

let server: Server | undefined;
let wss: WebSocketServer | undefined;
let socket: SupervisedSocket | undefined;
afterEach(async () => {
  socket?.stop();
  for (const c of wss?.clients ?? []) c.terminate();
  wss?.close();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

async function start(onConnection: (ws: WebSocket, n: number) => void): Promise<string> {
  server = createServer();
  wss = new WebSocketServer({ server });
  let n = 0;
  wss.on('connection', (ws) => onConnection(ws, ++n));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const until = async (check: () => boolean, what: string) => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('SupervisedSocket', () => {
  it('reconnects when the server goes silent longer than the heartbeat timeout', async () => {
    // First connection: one message then silence. Second: heartbeats.
    const url = await start((ws, n) => {
      ws.send(`hello ${n}`);
      if (n > 1) {
        const t = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(Buffer.from([0]), { binary: true }), 50);
        ws.on('close', () => clearInterval(t));
      }
    });
    const opens: boolean[] = [];
    const downs: string[] = [];
    const texts: string[] = [];
    socket = new SupervisedSocket({
      url: () => url,
      clock: new WallClock(),
      silenceTimeoutMs: 1000,
      reconnectBaseMs: 20,
      reconnectMaxMs: 50,
      random: () => 0.5,
      onMessage: (d, bin) => !bin && texts.push(d.toString()),
      onOpen: (re) => opens.push(re),
      onDown: (reason) => downs.push(reason),
    });
    socket.start();
    await until(() => opens.length === 2, 'a reconnect');
    expect(opens).toEqual([false, true]);
    expect(downs[0]).toMatch(/no frame for 1000 ms/);
    expect(texts).toEqual(['hello 1', 'hello 2']);
    // Heartbeats (every 50 ms) keep the second connection alive well past the silence timeout.
    await new Promise((r) => setTimeout(r, 1500));
    expect(opens).toHaveLength(2);
    expect(socket.connected).toBe(true);
  });

  it('reconnects after the server drops the connection', async () => {
    const url = await start((ws, n) => {
      if (n === 1) setTimeout(() => ws.terminate(), 20);
    });
    const opens: boolean[] = [];
    socket = new SupervisedSocket({ url: () => url, clock: new WallClock(), silenceTimeoutMs: 5000, reconnectBaseMs: 20, reconnectMaxMs: 40, onMessage: () => undefined, onOpen: (re) => opens.push(re) });
    socket.start();
    await until(() => opens.length === 2, 'a reconnect');
    expect(opens).toEqual([false, true]);
  });
});
