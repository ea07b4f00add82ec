import { afterEach, describe, expect, it } from 'vitest';
import { violations } from '../schemas/contract.js';
import { ManualTimers, runEvents, seqsUpTo, StreamFixture, waitFor, WsClient } from './stream-support.js';

const fixtures: StreamFixture[] = [];
async function fixture(options?: Parameters<StreamFixture['start']>[0]): Promise<StreamFixture> {
  const f = await new StreamFixture().start(options);
  fixtures.push(f);
  return f;
}
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.stop();
});

describe('WebSocket /v1/stream', () => {
  it('sends the backlog then live events from another connection, with no gap and no duplicate, and resumes after since', async () => {
    const f = await fixture({ limits: { pageSize: 40 } });
    f.writer.append(runEvents('r1', 'ACC1', 60));
    const client = new WsClient(f.port, '?since=0');
    for (let i = 0; i < 15; i++) {
      f.writer.append(runEvents(`live${i}`, 'ACC2', 2));
      await new Promise((r) => setTimeout(r, 2));
    }
    const total = f.writer.lastSeq();
    await waitFor(() => client.events.length >= total, 'every event');
    expect(client.controls[0]).toEqual({ control: 'subscribed', after: 0, filter: { account: [], run: [], type: [] } });
    expect(client.seqs).toEqual(seqsUpTo(1, total));
    for (const e of client.events) expect(violations('stream-event.json', e)).toEqual([]);
    client.ws.close();

    f.writer.append(runEvents('after', 'ACC1', 1));
    const resumed = new WsClient(f.port, `?since=${total}`);
    await waitFor(() => resumed.events.length >= 4, 'the events after the reconnection');
    expect(resumed.seqs).toEqual(seqsUpTo(total + 1, total + 4));
    resumed.ws.close();
  });

  it('filters from the query string, and a subscribe message replaces the filter from where the client is', async () => {
    const f = await fixture();
    const client = new WsClient(f.port, '?since=0&account=ACC1&type=fill.*');
    await waitFor(() => client.controls.length === 1, 'the subscription');
    f.writer.append([...runEvents('r1', 'ACC1', 2), ...runEvents('r2', 'ACC2', 2)]);
    await waitFor(() => client.events.length >= 2, 'the fills of ACC1');
    await new Promise((r) => setTimeout(r, 30));
    expect(client.events.map((e) => `${e.run_id} ${e.type}`)).toEqual(['r1 fill.recorded', 'r1 fill.recorded']);

    client.ws.send(JSON.stringify({ action: 'subscribe', account: 'ACC2', type: ['run.*', 'order.status'] }));
    await waitFor(() => client.controls.length === 2, 'the new subscription');
    // From where the client was (the last event it received), not from the start.
    expect(client.controls[1]).toEqual({ control: 'subscribed', after: client.events[1]!.seq, filter: { account: ['ACC2'], run: [], type: ['order.status', 'run.*'] } });
    await waitFor(() => client.events.length >= 5, 'the ACC2 events');
    f.writer.append(runEvents('r3', 'ACC2', 1));
    await waitFor(() => client.events.length >= 7, 'a live ACC2 event');
    expect(client.events.slice(2).map((e) => `${e.run_id} ${e.type}`)).toEqual(['r2 run.created', 'r2 order.status', 'r2 order.status', 'r3 run.created', 'r3 order.status']);

    client.ws.send('{"action":"subscribe","type":"orders.*"}');
    await waitFor(() => client.closed !== undefined, 'the close');
    expect(client.closed!.code).toBe(1008);
    expect(client.closed!.reason).toContain('unknown event type "orders.*"');
  });

  it('refuses the upgrade without a token (401), without the scope (403), with a bad filter (400)', async () => {
    const f = await fixture();
    const clients = [new WsClient(f.port, '', {}), new WsClient(f.port, '', { authorization: 'Bearer no-read-token' }), new WsClient(f.port, '?type=nope')];
    await waitFor(() => clients.every((c) => c.refused !== undefined), 'the refusals');
    expect(clients.map((c) => c.refused)).toEqual([401, 403, 400]);
    expect(clients.some((c) => c.opened)).toBe(false);
    expect(f.subscriberCounts).toEqual([]);
  });

  it('refuses a subscriber past the limit, and closes every stream with 1001 when the server stops', async () => {
    const f = await fixture({ limits: { maxSubscribers: 1 } });
    const first = new WsClient(f.port);
    await waitFor(() => first.controls.length === 1, 'the first subscription');
    const second = new WsClient(f.port);
    await waitFor(() => second.refused !== undefined, 'the refusal');
    expect(second.refused).toBe(503);
    expect(f.byTransport).toEqual([{ sse: 0, websocket: 1 }]);
    f.stream.feed.close();
    await waitFor(() => first.closed !== undefined, 'the close');
    expect(first.closed).toEqual({ code: 1001, reason: 'server shutting down; resume with since=0' });
  });

  it('pings on the heartbeat timer and cuts a peer that stopped answering', async () => {
    const timers = new ManualTimers();
    const f = await fixture({ timers, limits: { heartbeatMs: 15_000 } });
    const client = new WsClient(f.port);
    await waitFor(() => client.controls.length === 1, 'the subscription');
    // The client answers each ping at once; a message sent after it proves the server has the answer.
    const beat = async (n: number) => {
      timers.advance(15_000);
      await waitFor(() => client.pings === n, `ping ${n}`);
      client.ws.send('{"action":"subscribe"}');
      await waitFor(() => client.controls.length === n + 1, `the round trip after ping ${n}`);
    };
    await beat(1);
    await beat(2);
    expect(f.stream.feed.subscriberCount).toBe(1);
    // A peer whose socket no longer reads never answers: the next beat frees its place.
    client.ws.pause();
    timers.advance(15_000);
    timers.advance(15_000);
    await waitFor(() => f.stream.feed.subscriberCount === 0, 'the silent peer to be cut');
  });

  it('closes a client that stops reading with 1013 and where to resume, while the writer goes on and the queue stays bounded', async () => {
    const f = await fixture({ limits: { maxQueue: 150, pageSize: 100, dropGraceMs: 60_000, highWaterBytes: 64 * 1024 } });
    const slow = new WsClient(f.port);
    const fast = new WsClient(f.port);
    await waitFor(() => slow.controls.length === 1 && fast.controls.length === 1, 'the subscriptions');
    slow.ws.pause();
    const big = 'y'.repeat(8_000);
    let appended = 0;
    while (f.stream.feed.subscriberCount === 2 && appended < 20_000) {
      f.writer.append(Array.from({ length: 100 }, () => ({ runId: 'r1', type: 'run.alert' as const, payload: { level: 'info' as const, source: 'test', message: big } })));
      appended += 100;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(f.stream.feed.subscriberCount).toBe(1);
    expect(f.stream.feed.peakQueued).toBeLessThanOrEqual(151);
    await waitFor(() => fast.events.length === appended, 'the fast client to have everything');
    slow.ws.resume();
    await waitFor(() => slow.closed !== undefined, 'the slow client to be closed');
    expect(slow.closed!.code).toBe(1013);
    expect(slow.closed!.reason).toMatch(/^slow consumer: more than 150 events waiting; resume with since=\d+$/);
    const resumeAfter = Number(/since=(\d+)/.exec(slow.closed!.reason)![1]);
    expect(slow.seqs).toEqual(seqsUpTo(1, resumeAfter));
    fast.ws.close();
  });
});
