import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { jetStreamPublishing } from '../../src/server/publish-extension.js';
import { liveStream } from '../../src/server/stream-extension.js';
import { NATS_MISSING_IN_CI, natsServerBinary, NatsServer } from './publish-support.js';
import { ORIGINAL_REQUEST, startTestServer } from './server-harness.js';

/** Reads Server-Sent Events until `enough` says stop; the stream itself never ends. */
async function readEvents(url: string, token: string, enough: (types: string[]) => boolean): Promise<{ status: number; types: string[]; ids: number[] }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
  const types: string[] = [];
  const ids: number[] = [];
  if (response.status !== 200) return { status: response.status, types, ids };
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body!) {
    buffered += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const type = /^event: (.+)$/m.exec(frame)?.[1];
      const id = /^id: (\d+)$/m.exec(frame)?.[1];
      if (type && id) (types.push(type), ids.push(Number(id)));
    }
    if (enough(types)) break;
  }
  abort.abort();
  return { status: 200, types, ids };
}

describe('ptexec serve with its live stream', () => {
  it('serves every stored event over SSE and WebSocket behind the read scope, and counts the subscribers', async () => {
    const s = await startTestServer({ extensions: [liveStream] });
    try {
      const executed = await s.call('POST', '/execute?wait=true', { token: s.token(['trade']), body: ORIGINAL_REQUEST });
      expect(executed.status, executed.text).toBe(200);
      const reader = s.token(['read']);

      expect((await fetch(`${s.url}/v1/events`)).status).toBe(401);
      expect((await fetch(`${s.url}/v1/events`, { headers: { authorization: `Bearer ${s.token(['trade'])}` } })).status).toBe(403);

      const sse = await readEvents(`${s.url}/v1/events?since=0&type=run.*`, reader, (types) => types.includes('run.planned'));
      expect(sse.types.slice(0, 2)).toEqual(['run.created', 'run.planned']);
      expect(sse.ids).toEqual([...sse.ids].sort((a, b) => a - b));

      const ws = new WebSocket(`${s.url.replace(/^http/, 'ws')}/v1/stream?since=0&run=${executed.json.run_id}`, { headers: { authorization: `Bearer ${reader}` } });
      // The server says first what the subscription is (a control message), then sends events.
      const first = await new Promise<{ type: string; run_id: string }>((resolve, reject) => {
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type?: string; run_id: string };
          if (message.type) resolve(message as { type: string; run_id: string });
        });
        ws.once('error', reject);
      });
      expect(first).toEqual(expect.objectContaining({ type: 'run.created', run_id: executed.json.run_id }));
      const metrics = await s.call('GET', '/metrics', { token: s.token(['read']) });
      expect(metrics.text).toMatch(/stream_subscribers\{[^}]*websocket[^}]*\} 1/);
      ws.close();
    } finally {
      await s.stop();
      s.remove();
    }
  });

  it.skipIf(!natsServerBinary() && !NATS_MISSING_IN_CI)('serve --publish puts every event of the runs it executes on NATS JetStream', async () => {
    const nats = await new NatsServer().start();
    const s = await startTestServer({ extensions: [jetStreamPublishing(nats.url)] });
    try {
      const executed = await s.call('POST', '/execute?wait=true', { token: s.token(['trade']), body: ORIGINAL_REQUEST });
      expect(executed.status, executed.text).toBe(200);
      const nc = await connect({ servers: nats.url });
      try {
        const jsm = await jetstreamManager(nc);
        const last = s.store.lastSeq();
        const stored = async () => (await jsm.streams.info('PTEXEC').catch(() => undefined))?.state.last_seq ?? 0;
        for (let tries = 0; (await stored()) < last && tries < 400; tries++) await new Promise((r) => setTimeout(r, 25));
        expect(await stored()).toBe(last);
        const first = (await jsm.streams.getMessage('PTEXEC', { seq: 1 }))!;
        expect(first.subject).toMatch(/^ptexec\.[\w-]+\.run\.created$/);
      } finally {
        await nc.close();
      }
      expect(s.log).toContainEqual(expect.objectContaining({ message: 'publishing to NATS JetStream', servers: nats.url }));
    } finally {
      await s.stop();
      s.remove();
      await nats.stop();
    }
  });
});
