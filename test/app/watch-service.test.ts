import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/app/database.js';
import { Factory } from '../../src/app/factory.js';
import { watchRun } from '../../src/app/watch-service.js';
import { newEvent } from '../../src/domain/events/index.js';
import { fakeIO } from '../lib/fake-terminal.js';
import { partialRun } from '../ui/fixtures.js';

// `ptexec watch` in-process: what it shows depends only on the terminal the IO object describes.
const dir = mkdtempSync(join(tmpdir(), 'ptexec-watch-service-'));
const db = join(dir, 'ptexec.db');
const events = partialRun().events.filter((e) => e.type !== 'unknown');
const store = openDatabase(db);
for (const e of events) store.append(newEvent(e.runId, e.type, e.payload, e.ts));
store.close();

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('watchRun', () => {
  it('streams the latest run as NDJSON on a pipe, and plain progress lines on a terminal that cannot draw (TERM=dumb)', async () => {
    const piped = fakeIO();
    await watchRun(new Factory(piped.io, { db }), { follow: false, control: false });
    const lines = piped.stdout.text().trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(lines).toHaveLength(events.length);
    expect(lines[0]!.type).toBe('run.created');
    expect(piped.stderr.text()).toBe('');

    // A partial run has not ended: progress lines follow it, so end it before watching.
    const writer = openDatabase(db);
    writer.append({ runId: events[0]!.runId, type: 'run.status', payload: { status: 'completed' } });
    writer.close();
    const dumb = fakeIO({ tty: { stdout: true, stderr: true, stdin: true }, env: { TERM: 'dumb' } });
    await watchRun(new Factory(dumb.io, { db }), { follow: false, control: false });
    expect(dumb.stdout.text()).toBe('');
    expect(dumb.stderr.text()).toMatch(/RELIANCE/);
  });

  it('names a missing database and an unknown run as the user’s problem', async () => {
    const { io } = fakeIO();
    await expect(watchRun(new Factory(io, { db: join(dir, 'none.db') }), { follow: false, control: false })).rejects.toThrow(/no runs yet: there is no database at/);
    await expect(watchRun(new Factory(io, { db }), { run: 'no-such-run', follow: false, control: false })).rejects.toThrow(/no run no-such-run/);
  });
});
