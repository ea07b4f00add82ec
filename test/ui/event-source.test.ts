import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../src/domain/events/index.js';
import { openDatabase } from '../../src/app/database.js';
import type { Store } from '../../src/store/store.js';
import { PollingEventSource, PushEventSource, readRunEvents } from '../../src/ui/event-source.js';
import { T0 } from './fixtures.js';

let store: Store | undefined;
afterEach(() => store?.close());

function seeded(): Store {
  store = openDatabase(':memory:');
  store.append([
    { runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'a' } },
    { runId: 'r2', type: 'run.alert', payload: { level: 'info', source: 't', message: 'other run' } },
    { runId: null, type: 'risk.halted', payload: { reason: 'x', cancelOpen: false, actor: 't' } },
    { runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'b' } },
    { runId: null, type: 'risk.unhalted', payload: { actor: 't' } },
    { runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: 'c' } },
  ]);
  return store;
}

describe('readRunEvents', () => {
  it('reads the run’s events and the kill switch, in order, without other runs', () => {
    const events = readRunEvents(seeded(), 'r1', 0);
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'run.alert'],
      [3, 'risk.halted'],
      [4, 'run.alert'],
      [5, 'risk.unhalted'],
      [6, 'run.alert'],
    ]);
  });

  it('never skips an event when reading in small batches', () => {
    const s = seeded();
    const seen: number[] = [];
    let after = 0;
    for (let guard = 0; guard < 20; guard++) {
      const batch = readRunEvents(s, 'r1', after, 1);
      if (!batch.length) break;
      seen.push(...batch.map((e) => e.seq));
      after = batch.at(-1)!.seq;
    }
    expect(seen).toEqual([1, 3, 4, 5, 6]);
  });
});

describe('readRunEvents over a log of many runs', () => {
  it('asks only for the run’s events and for those of no run, never for every run’s events of a type', () => {
    const s = seeded();
    const asked: unknown[] = [];
    const reader = { events: (query: Parameters<Store['events']>[0]) => (asked.push(query), s.events(query)) } as Pick<Store, 'events'>;
    expect(readRunEvents(reader, 'r1', 0).map((e) => e.seq)).toEqual([1, 3, 4, 5, 6]);
    expect(asked).toEqual([expect.objectContaining({ runId: 'r1' }), expect.objectContaining({ runId: null })]);
    expect(s.events({ runId: null }).map((e) => e.type)).toEqual(['risk.halted', 'risk.unhalted']);
  });
});

describe('PollingEventSource', () => {
  it('reads a backlog batch after batch without waiting an interval between them', async () => {
    const s = seeded();
    for (let i = 0; i < 40; i++) s.append({ runId: 'r1', type: 'run.alert', payload: { level: 'info', source: 't', message: `m${i}` } });
    const batches: number[] = [];
    // An interval no test waits for: only reading on at once gets through the backlog.
    const stop = new PollingEventSource(s, 'r1', { intervalMs: 3_600_000, batch: 10 }).start((events) => batches.push(events.length));
    await vi.waitFor(() => expect(batches.reduce((a, b) => a + b, 0)).toBe(45));
    stop();
    expect(batches.length).toBeGreaterThanOrEqual(4);
  });

  it('delivers what is there, then what is appended later, each event once', async () => {
    const s = seeded();
    const received: StoredEvent[] = [];
    const stop = new PollingEventSource(s, 'r1', { intervalMs: 5 }).start((events) => received.push(...events));
    expect(received.map((e) => e.seq)).toEqual([1, 3, 4, 5, 6]);
    s.append({ runId: 'r1', type: 'run.status', payload: { status: 'completed' } });
    await vi.waitFor(() => expect(received.map((e) => e.seq)).toEqual([1, 3, 4, 5, 6, 7]));
    stop();
  });

  it('reports a read error and keeps polling', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const reader = {
      events: () => {
        if (fail) throw new Error('database is locked');
        return [];
      },
    };
    const stop = new PollingEventSource(reader, 'r1', { intervalMs: 5, onError: (e) => errors.push(e) }).start(() => undefined);
    expect(errors).toHaveLength(1);
    fail = false;
    await new Promise((r) => setTimeout(r, 30));
    stop();
    expect(errors).toHaveLength(1);
  });
});

describe('PushEventSource', () => {
  it('keeps events pushed before start, delivers the rest as they come, and drops them after stop', () => {
    const source = new PushEventSource();
    const e = (seq: number): StoredEvent => ({ seq, runId: 'r1', ts: T0, type: 'run.alert', payload: { level: 'info', source: 'test', message: 'm' } });
    source.push([e(1), e(2)]);
    const received: number[] = [];
    const stop = source.start((events) => received.push(...events.map((x) => x.seq)));
    source.push(e(3));
    stop();
    source.push(e(4));
    expect(received).toEqual([1, 2, 3]);
  });
});
