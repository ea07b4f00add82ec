import { afterEach, describe, expect, it } from 'vitest';
import { violations } from '../schemas/contract.js';
import { ManualTimers, runEvents, seqsUpTo, SseClient, StreamFixture, waitFor } from './stream-support.js';

const fixtures: StreamFixture[] = [];
async function fixture(options?: Parameters<StreamFixture['start']>[0]): Promise<StreamFixture> {
  const f = await new StreamFixture().start(options);
  fixtures.push(f);
  return f;
}
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.stop();
});

describe('GET /v1/events (Server-Sent Events)', () => {
  it('sends the backlog and then live events another connection records, with no gap and no duplicate, and resumes after Last-Event-ID', async () => {
    const f = await fixture({ limits: { pageSize: 50 } });
    f.writer.append(runEvents('r1', 'ACC1', 100)); // 301 events: seven pages of backlog
    const client = new SseClient(f.port, '/v1/events?since=0');
    // While the backlog is being read, the other connection keeps recording.
    for (let i = 0; i < 20; i++) {
      f.writer.append(runEvents(`live${i}`, 'ACC1', 3));
      await new Promise((r) => setTimeout(r, 2));
    }
    const total = f.writer.lastSeq();
    await waitFor(() => client.events.length >= total, 'every event');
    expect(client.status).toBe(200);
    expect(client.contentType).toBe('text/event-stream; charset=utf-8');
    expect(client.frames[0]!.retry).toBe('2000');
    expect(client.events.map((e) => e.seq)).toEqual(seqsUpTo(1, total));
    for (const e of client.events) {
      expect(e.json.seq).toBe(e.seq);
      expect(e.json.type).toBe(e.type);
      expect(violations('stream-event.json', e.json)).toEqual([]);
    }
    expect(client.events.find((e) => e.type === 'fill.recorded')!.json.payload).toMatchObject({ price: '3120.50', value: '3120.50', value_minor: 312_050, account: 'ACC1' });
    client.close();

    // Reconnecting as an EventSource does: the original URL, and the last id it saw.
    f.writer.append(runEvents('after', 'ACC1', 5));
    const resumed = new SseClient(f.port, '/v1/events?since=0', { authorization: 'Bearer reader-token', 'last-event-id': String(total) });
    await waitFor(() => resumed.events.length >= 16, 'the events after the reconnection');
    f.writer.append(runEvents('later', 'ACC1', 1));
    await waitFor(() => resumed.events.length >= 20, 'a live event after the reconnection');
    expect(resumed.events.map((e) => e.seq)).toEqual(seqsUpTo(total + 1, total + 20));
    resumed.close();
  });

  it('events recorded after a client\'s last backlog read but before the feed\'s next look reach it once', async () => {
    // The feed polls only when the test says so: the window between a backlog read and the next poll is held open.
    const timers = new ManualTimers();
    const f = await fixture({ timers });
    const early = new SseClient(f.port, '/v1/events');
    await waitFor(() => early.status === 200 && f.stream.feed.subscriberCount === 1, 'the first stream');
    await new Promise((r) => setTimeout(r, 20));
    f.writer.append(runEvents('r1', 'ACC1', 1));
    // The second client reads these four in its backlog; the feed has not seen them yet.
    const late = new SseClient(f.port, '/v1/events?since=0');
    await waitFor(() => late.events.length === 4, 'the backlog of the second client');
    f.writer.append(runEvents('r2', 'ACC1', 1));
    timers.advance(5);
    await waitFor(() => early.events.length === 8 && late.events.length === 8, 'the feed to deliver');
    await new Promise((r) => setTimeout(r, 20));
    expect(late.events.map((e) => e.seq)).toEqual(seqsUpTo(1, 8));
    expect(early.events.map((e) => e.seq)).toEqual(seqsUpTo(1, 8));
    early.close();
    late.close();
  });

  it('filters by account, run and type prefix; without since it starts at the end of the log', async () => {
    const f = await fixture();
    f.writer.append([...runEvents('old', 'ACC1', 2)]);
    const byAccount = new SseClient(f.port, '/v1/events?account=ACC2');
    const byRunAndType = new SseClient(f.port, '/v1/events?since=0&run=r1,old&type=order.*');
    const fills = new SseClient(f.port, '/v1/events?since=0&type=fill.recorded&type=run.created');
    await waitFor(() => byAccount.status === 200 && byRunAndType.status === 200 && fills.status === 200, 'the streams to open');
    f.writer.append([...runEvents('r1', 'ACC1', 2), ...runEvents('r2', 'ACC2', 2)]);
    await waitFor(() => byAccount.events.length >= 7 && byRunAndType.events.length >= 8 && fills.events.length >= 9, 'the filtered events');
    // order.status carries no account: it is the run's.
    expect(byAccount.events.map((e) => e.type)).toEqual(['run.created', ...Array(2).fill(['order.created', 'order.status', 'fill.recorded']).flat()]);
    expect(new Set(byAccount.events.map((e) => e.json.run_id))).toEqual(new Set(['r2']));
    expect(byRunAndType.events.map((e) => `${e.json.run_id} ${e.type}`)).toEqual([...Array(2).fill(['old order.created', 'old order.status']).flat(), ...Array(2).fill(['r1 order.created', 'r1 order.status']).flat()]);
    expect(fills.events.map((e) => e.type)).toEqual(['run.created', 'fill.recorded', 'fill.recorded', 'run.created', 'fill.recorded', 'fill.recorded', 'run.created', 'fill.recorded', 'fill.recorded']);
    for (const c of [byAccount, byRunAndType, fills]) c.close();
    await waitFor(() => f.stream.feed.subscriberCount === 0, 'the subscribers to leave');
    expect(f.subscriberCounts.slice(0, 3)).toEqual([1, 2, 3]);
    expect(f.byTransport[2]).toEqual({ sse: 3, websocket: 0 });
    expect(f.subscriberCounts.at(-1)).toBe(0);
  });

  it('refuses a request without a token (401), a token without the scope (403), a bad filter or since (400), each as a problem document', async () => {
    const f = await fixture();
    const none = new SseClient(f.port, '/v1/events', {});
    const forbidden = new SseClient(f.port, '/v1/events', { authorization: 'Bearer no-read-token' });
    const badType = new SseClient(f.port, '/v1/events?type=order.creatd');
    const badSince = new SseClient(f.port, '/v1/events?since=yesterday');
    await waitFor(() => [none, forbidden, badType, badSince].every((c) => c.ended), 'the refusals');
    expect([none.status, forbidden.status, badType.status, badSince.status]).toEqual([401, 403, 400, 400]);
    for (const c of [none, forbidden, badType, badSince]) expect(c.contentType).toBe('application/problem+json');
    expect(JSON.parse(badType.body)).toMatchObject({ status: 400, detail: expect.stringContaining('unknown event type "order.creatd"') });
    expect(JSON.parse(badSince.body).detail).toContain('since "yesterday" is not a sequence number');
    expect(f.subscriberCounts).toEqual([]);
  });

  it('sends a heartbeat comment on the feed\'s timer', async () => {
    const timers = new ManualTimers();
    const f = await fixture({ timers, limits: { heartbeatMs: 15_000 } });
    const client = new SseClient(f.port, '/v1/events');
    await waitFor(() => client.status === 200 && f.stream.feed.subscriberCount === 1, 'the stream to open');
    await new Promise((r) => setTimeout(r, 20));
    expect(client.comments.filter((c) => c.startsWith('heartbeat'))).toEqual([]);
    timers.advance(15_000);
    await waitFor(() => client.comments.some((c) => c.startsWith('heartbeat')), 'a heartbeat');
    timers.advance(30_000);
    await waitFor(() => client.comments.filter((c) => c.startsWith('heartbeat')).length === 3, 'two more heartbeats');
    client.close();
  });

  it('drops a client that stops reading, with a final comment, once its queue is full; the writer is never held up and the queue stays bounded', async () => {
    const f = await fixture({ limits: { maxQueue: 200, pageSize: 100, dropGraceMs: 60_000 } });
    const slow = new SseClient(f.port, '/v1/events');
    const fast = new SseClient(f.port, '/v1/events');
    await waitFor(() => slow.status === 200 && fast.status === 200 && f.stream.feed.subscriberCount === 2, 'the streams to open');
    slow.res!.pause();
    // Large events fill the socket's buffers quickly; the writer appends them all without waiting.
    const big = 'x'.repeat(8_000);
    let appended = 0;
    while (f.stream.feed.subscriberCount === 2 && appended < 20_000) {
      f.writer.append(Array.from({ length: 100 }, () => ({ runId: 'r1', type: 'run.alert' as const, payload: { level: 'info' as const, source: 'test', message: big } })));
      appended += 100;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(f.stream.feed.subscriberCount).toBe(1);
    expect(f.stream.feed.peakQueued).toBeLessThanOrEqual(201);
    await waitFor(() => fast.events.length === appended, 'the fast client to have everything');
    slow.res!.resume();
    await waitFor(() => slow.ended, 'the slow client to see the end');
    const last = slow.comments.at(-1)!;
    expect(last).toMatch(/^dropped: slow consumer: more than 200 events waiting; resume with since=\d+$/);
    // Everything up to the seq it is told to resume after was sent to it.
    const resumeAfter = Number(/since=(\d+)/.exec(last)![1]);
    expect(slow.events.map((e) => e.seq)).toEqual(seqsUpTo(1, resumeAfter));
    fast.close();
  });
});
