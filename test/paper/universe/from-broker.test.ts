import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src/app/database.js';
import { Factory } from '../../../src/app/factory.js';
import { importUniverse, showUniverse } from '../../../src/app/paper-universe-service.js';
import { fakeIO } from '../../lib/fake-terminal.js';
import { type Harness, startHarness } from '../../zerodha/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('paper universe import --from a logged-in broker', () => {
  it("imports the broker's equity master: tick and lot sizes from it, prices from the shipped list", async () => {
    h = await startHarness();
    const fake = fakeIO({ env: { XDG_DATA_HOME: mkdtempSync(join(tmpdir(), 'ptexec-universe-')) } });
    const broker = h.broker;
    const f = new Factory(fake.io, { store: openDatabase(':memory:'), openedBroker: (id) => (id === 'zerodha' ? broker : undefined) });
    const report = await importUniverse(f, { files: [], from: 'zerodha', replace: false });
    expect(report.files).toEqual([expect.objectContaining({ path: '--from zerodha', format: 'broker' })]);
    // The emulator lists a few large caps: all built in, so their figures are kept.
    expect(report.kept_built_in.length + report.added + report.skipped_no_price.length).toBe(report.files[0]!.listings);
    expect(report.kept_built_in).toContain('NSE:INFY');

    const paper = new Factory(fake.io, { store: openDatabase(':memory:') });
    await expect(importUniverse(paper, { files: [], from: 'paper', replace: false })).rejects.toThrow(/--from paper: ptexec cannot read paper's instrument master/);
    expect(showUniverse(f, { symbols: ['INFY'] }).entries).toEqual([expect.objectContaining({ symbol: 'INFY', source: 'built-in' })]);
  });
});
