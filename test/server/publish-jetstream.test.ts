import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterEach, describe, expect, it } from 'vitest';
import { newEvent } from '../../src/domain/events/index.js';
import { publishCursor, startJetStreamPublisher, type JetStreamPublisher, type JetStreamPublisherOptions } from '../../src/server/publish/index.js';
import { storeEventSource } from '../../src/server/stream/index.js';
import { violations } from '../schemas/contract.js';
import { NATS_MISSING_IN_CI, natsServerBinary, NatsServer } from './publish-support.js';
import { runEvents, StreamFixture, waitFor } from './stream-support.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function publisherOn(f: StreamFixture, nats: NatsServer, errors: string[], more: Partial<JetStreamPublisherOptions> = {}): JetStreamPublisher {
  const publisher = startJetStreamPublisher({
    servers: nats.url,
    source: storeEventSource(f.serverStore),
    cursor: publishCursor(f.serverStore, 'nats:PTEXEC'),
    batchSize: 16,
    pollMs: 5,
    ackTimeoutMs: 400,
    retryMs: { first: 25, max: 100 },
    onError: (e) => errors.push(e.message),
    ...more,
  });
  cleanups.push(() => publisher.stop());
  return publisher;
}

/** Every message the stream holds, in stream order. */
async function readStream(url: string): Promise<{ subject: string; headers: Record<string, string>; body: Record<string, unknown> }[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info('PTEXEC');
    const out = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
      const m = (await jsm.streams.getMessage('PTEXEC', { seq }))!;
      const headers: Record<string, string> = {};
      for (const [k, v] of m.header) headers[k] = v[0]!;
      out.push({ subject: m.subject, headers, body: m.json<Record<string, unknown>>() });
    }
    return out;
  } finally {
    await nc.close();
  }
}

describe.skipIf(!natsServerBinary() && !NATS_MISSING_IN_CI)('publishing the event log to NATS JetStream (a real nats-server)', () => {
  it('is run in CI, where nats-server is installed', () => {
    expect(NATS_MISSING_IN_CI, 'nats-server is missing: .ci/run installs the Debian package nats-server').toBe(false);
  });

  it('publishes every event once and in order across a publisher restart and a server killed mid-stream, and resumes after the saved seq', async () => {
    const f = await new StreamFixture().start();
    cleanups.push(() => f.stop());
    const nats = await new NatsServer().start();
    cleanups.push(() => nats.stop());
    const errors: string[] = [];

    f.writer.append([...runEvents('r1', 'ACC1', 10), ...runEvents('r2', 'ACC2', 10)]);
    f.writer.append(newEvent(null, 'risk.halted', { reason: 'desk', cancelOpen: false, actor: 'me@host' }));
    let publisher = publisherOn(f, nats, errors);
    await waitFor(() => publisher.status().acked === f.writer.lastSeq(), 'the first events to be acknowledged');
    await publisher.stop();
    expect(publishCursor(f.serverStore, 'nats:PTEXEC').read()).toBe(f.writer.lastSeq());

    // A new server process picks up where the last acknowledged seq says.
    f.writer.append(runEvents('r3', 'ACC1', 5));
    publisher = publisherOn(f, nats, errors);
    await waitFor(() => publisher.status().acked === f.writer.lastSeq(), 'the events recorded while no publisher ran');

    // NATS dies mid-stream: the writer goes on, the publisher waits and resumes when it is back.
    const writing = (async () => {
      for (let i = 0; i < 12; i++) {
        f.writer.append([...runEvents(`k${i}`, 'ACC1', 2), ...runEvents(`k${i}b`, 'ACC2', 2)]);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    await new Promise((r) => setTimeout(r, 40));
    await nats.kill();
    await waitFor(() => !publisher.status().connected, 'the publisher to see the outage');
    await waitFor(() => publisher.status().lag > 0, 'events to wait for NATS');
    await nats.start();
    await writing;
    await waitFor(() => publisher.status().acked === f.writer.lastSeq(), 'every event to be acknowledged after the outage', 6_000);
    expect(errors.length).toBeGreaterThan(0);

    const messages = await readStream(nats.url);
    const total = f.writer.lastSeq();
    expect(messages.map((m) => Number(m.headers['Ptexec-Seq']))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    for (const account of ['ACC1', 'ACC2']) {
      const seqs = messages.filter((m) => m.subject.startsWith(`ptexec.${account}.`)).map((m) => m.body.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
    }
    const fill = messages.find((m) => m.subject === 'ptexec.ACC2.fill.recorded')!;
    expect(fill.headers).toMatchObject({ 'Nats-Msg-Id': `ptexec-${fill.body.seq}`, 'Ptexec-Type': 'fill.recorded', 'Ptexec-Account': 'ACC2', 'Ptexec-Broker': 'paper', 'Ptexec-Run': 'r2', 'Ptexec-Workflow-Event': 'TradeExecutedEvent' });
    expect(messages.find((m) => m.headers['Ptexec-Type'] === 'order.status')!.headers['Ptexec-Workflow-Event']).toBe('ExecutionStatusEvent');
    expect(messages.find((m) => m.headers['Ptexec-Type'] === 'risk.halted')!.subject).toBe('ptexec._.risk.halted');
    for (const m of messages) expect(violations('stream-event.json', m.body)).toEqual([]);
    expect(publishCursor(f.serverStore, 'nats:PTEXEC').read()).toBe(total);

    // A lost cursor (a new database file beside the old stream would be refused, see below) does not republish: the stream says where it is.
    await publisher.stop();
    publisher = publisherOn(f, nats, errors, { cursor: { read: () => 0, save: () => {} } });
    await waitFor(() => publisher.status().acked === total, 'the stream\'s own position to be read');
    expect((await readStream(nats.url)).length).toBe(total);
  });

  it('refuses to publish a database into a stream filled from another one', async () => {
    const nats = await new NatsServer().start();
    cleanups.push(() => nats.stop());
    const first = await new StreamFixture().start();
    cleanups.push(() => first.stop());
    first.writer.append(runEvents('r1', 'ACC1', 3));
    const errors: string[] = [];
    const one = publisherOn(first, nats, errors);
    await waitFor(() => one.status().acked === first.writer.lastSeq(), 'the first database to be published');
    const other = await new StreamFixture().start();
    cleanups.push(() => other.stop());
    other.writer.append(runEvents('x', 'ACC9', 1));
    const fatal: boolean[] = [];
    const two = publisherOn(other, nats, errors, { onError: (_e, isFatal) => fatal.push(isFatal) });
    await waitFor(() => two.status().stopped, 'the second publisher to stop');
    expect(fatal).toEqual([true]);
    expect(two.status().lastError).toMatch(/holds events up to seq 10, beyond this database's last \(4\).*publish this one to another stream/);
  });
});
