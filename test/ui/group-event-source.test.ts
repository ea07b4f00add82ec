import { describe, expect, it } from 'vitest';
import type { EventQuery, EventReader, StoredEvent } from '../../src/domain/events/index.js';
import { GroupPollingEventSource, readGroupEvents } from '../../src/ui/event-source.js';
import { T0 } from './fixtures.js';
import { householdGroup } from './group-fixtures.js';

/** The log as the store reads it: by seq, after a seq, of some types, a limited batch. */
/** Just before the group's first run.created (the app finds it through the log's index by run). */
const groupStartSeq = (events: readonly StoredEvent[], group: string) => (events.find((e) => e.type === 'run.created' && e.payload.group === group)?.seq ?? 1) - 1;

function readerOf(events: readonly StoredEvent[]): EventReader {
  return {
    events: (q: EventQuery = {}) => {
      const found = events.filter((e) => (q.afterSeq === undefined || e.seq > q.afterSeq) && (q.runId === undefined || e.runId === q.runId) && (!q.types || q.types.includes(e.type as never)));
      return (q.limit ? found.slice(0, q.limit) : found) as never;
    },
  } as EventReader;
}

describe('a group’s events', () => {
  it('are its runs’ events and the kill switch, read in batches from its first run on; other runs’ are passed over', () => {
    const log = householdGroup();
    log.add('risk.halted', { reason: 'outage', cancelOpen: false, actor: 'pm' }, T0 + 50_000, null);
    const reader = readerOf(log.events);
    const members = new Set<string>();
    const seen: StoredEvent[] = [];
    let after = groupStartSeq(log.events, 'g1');
    expect(after).toBe(0);
    for (;;) {
      const read = readGroupEvents(reader, 'g1', members, after, 7);
      seen.push(...read.events);
      after = read.lastSeq;
      if (!read.full) break;
    }
    expect(new Set(seen.map((e) => e.runId))).toEqual(new Set(['run-main', 'run-spouse', 'run-us', null]));
    expect(seen.map((e) => e.seq)).toEqual(log.events.filter((e) => e.runId !== 'run-other').map((e) => e.seq));
    expect(members).toEqual(new Set(['run-main', 'run-spouse', 'run-us']));
  });

  it('start just before the group’s first run.created, and the polling source delivers each once', () => {
    const log = householdGroup();
    const reader = readerOf(log.events);
    const delivered: StoredEvent[][] = [];
    const stop = new GroupPollingEventSource(reader, 'g1', { afterSeq: groupStartSeq(log.events, 'g1'), batch: 1000, intervalMs: 60_000 }).start((events) => delivered.push(events));
    stop();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.every((e) => e.runId !== 'run-other')).toBe(true);
  });
});
